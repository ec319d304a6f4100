// The `kalends` CLI: demo tenant on an empty data dir, directory validation, KALENDS_* environment variables.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ACME, U, buildDirectory } from './helpers/directory.ts';
import { Dt, expectDtError, getToken, timedEventBody } from './helpers/dingtalk.ts';
import {
  KALENDS_BIN,
  makeTmpDir,
  removeTmpDir,
  spawnKalends,
  stopProc,
  waitForListening,
  waitUntil,
  type Proc,
} from './helpers/server.ts';

const procs: Proc[] = [];
const dirs: string[] = [];

after(async () => {
  for (const p of procs) {
    await stopProc(p).catch(() => undefined);
  }
  for (const d of dirs) await removeTmpDir(d);
});

async function tmp(): Promise<string> {
  const d = await makeTmpDir('kalends-cli-');
  dirs.push(d);
  return d;
}

function run(args: string[], env: Record<string, string> = {}): Proc {
  const p = spawnKalends(args, env);
  procs.push(p);
  return p;
}

/** Waits for the process to exit on its own (bounded); kills it and fails if it starts listening instead. */
async function expectExit(p: Proc, timeoutMs = 30_000): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const res = await Promise.race([
    p.exited,
    new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (res === 'timeout') {
    p.child.kill('SIGKILL');
    assert.fail(`kalends did not exit within ${timeoutMs} ms\n--- stdout ---\n${p.stdout()}\n--- stderr ---\n${p.stderr()}`);
  }
  return res.code;
}

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const KEY_RE = /appKey["'`\s:=]+([A-Za-z0-9_.\-]+)/;
const SECRET_RE = /appSecret["'`\s:=]+([A-Za-z0-9_.\-]+)/;

describe('kalends start without --directory on an empty data dir (demo tenant)', () => {
  it('prints the listening line and demo credentials that work for getAccessToken; they survive a restart', async () => {
    const data = path.join(await tmp(), 'data');
    await mkdir(data);
    const p = run(['start', '--host', '127.0.0.1', '--port', '0', '--data', data]);
    const { host, port } = await waitForListening(p);
    assert.equal(host, '127.0.0.1');
    assert.ok(port > 0);
    const printed = await waitUntil(() => KEY_RE.test(p.stdout()) && SECRET_RE.test(p.stdout()));
    assert.ok(printed, `stdout must mention an appKey and an appSecret:\n${p.stdout()}`);
    const appKey = KEY_RE.exec(p.stdout())![1]!;
    const appSecret = SECRET_RE.exec(p.stdout())![1]!;
    const endpoint = `127.0.0.1:${port}`;
    const token = await getToken(endpoint, { appKey, appSecret });
    assert.ok(token.length > 0);
    await expectDtError(
      getToken(endpoint, { appKey, appSecret: appSecret + 'x' }),
      400,
      'invalidClientIdOrSecret',
    );
    assert.equal(await stopProc(p), 0, `SIGTERM exit code; stderr:\n${p.stderr()}`);

    // Same data dir again: the demo tenant (and its credentials) persist.
    const p2 = run(['start', '--host', '127.0.0.1', '--port', '0', '--data', data]);
    const again = await waitForListening(p2);
    const token2 = await getToken(`127.0.0.1:${again.port}`, { appKey, appSecret });
    assert.ok(token2.length > 0);
    assert.equal(await stopProc(p2), 0);
  });
});

describe('--directory validation', () => {
  async function badDirectory(mutate: (d: any) => void): Promise<string> {
    const d = buildDirectory({ bulk: false }) as any;
    mutate(d);
    const file = path.join(await tmp(), 'directory.json');
    await writeFile(file, JSON.stringify(d));
    return file;
  }

  const cases: Array<[string, string, (d: any) => void]> = [
    ['a top-level key', 'bogusTopLevelKey', (d) => (d.bogusTopLevelKey = 1)],
    ['a tenant key', 'tenantColour', (d) => (d.tenants[0].tenantColour = 'red')],
    ['a user key', 'favouriteColour', (d) => (d.tenants[0].users[1].favouriteColour = 'blue')],
    ['an app key', 'appKeyTypo', (d) => (d.tenants[0].apps[0].appKeyTypo = 'x')],
    ['a chat key', 'chatTopic', (d) => (d.tenants[0].chats[0].chatTopic = 'x')],
    ['a room key', 'roomFloor', (d) => (d.tenants[0].rooms[0].roomFloor = 3)],
  ];
  // The failing starts are launched together up front (each is a separate process), so the suite stays fast.
  const launched = new Map<string, Promise<{ p: Proc; code: number | null }>>();
  before(() => {
    for (const [label, , mutate] of cases) {
      const started = (async () => {
        const file = await badDirectory(mutate);
        const data = path.join(await tmp(), 'data');
        await mkdir(data);
        const p = run(['start', '--host', '127.0.0.1', '--port', '0', '--data', data, '--directory', file]);
        return { p, code: await expectExit(p, 60_000) };
      })();
      started.catch(() => undefined); // surfaced by the test that awaits it
      launched.set(label, started);
    }
  });

  for (const [label, key] of cases) {
    it(`an unknown key in ${label} fails with a message naming the key and a non-zero exit`, async () => {
      const { p, code } = await launched.get(label)!;
      assert.notEqual(code, 0, 'must exit non-zero');
      assert.ok(!/Kalends listening on/.test(p.stdout()), 'must not start listening');
      const output = p.stderr() + p.stdout();
      assert.ok(output.includes(key), `the message must name ${key}:\n${output}`);
    });
  }

  it('a directory file that is not JSON fails with a non-zero exit', async () => {
    const file = path.join(await tmp(), 'directory.json');
    await writeFile(file, '{"tenants": [');
    const data = path.join(await tmp(), 'data');
    await mkdir(data);
    const p = run(['start', '--host', '127.0.0.1', '--port', '0', '--data', data, '--directory', file]);
    assert.notEqual(await expectExit(p), 0);
    assert.ok(!/Kalends listening on/.test(p.stdout()));
  });

  it('loading the same directory twice changes nothing (data and credentials intact)', async () => {
    const file = path.join(await tmp(), 'directory.json');
    await writeFile(file, JSON.stringify(buildDirectory({ bulk: false })));
    const data = path.join(await tmp(), 'data');
    await mkdir(data);
    const args = ['start', '--host', '127.0.0.1', '--port', '0', '--data', data, '--directory', file];
    const p1 = run(args);
    const a1 = await waitForListening(p1);
    const dt1 = new Dt(`127.0.0.1:${a1.port}`, await getToken(`127.0.0.1:${a1.port}`, ACME.app));
    const id = (await dt1.createEvent(U.alice, timedEventBody('Before reload', [U.bob]))).body.id;
    await dt1.respond(U.bob, id, 'accepted');
    const calIds = async (dt: Dt) =>
      ((await dt.listCalendars(U.alice)).body.response.calendars as any[]).map((c) => [c.id, c.type]);
    const cals1 = await calIds(dt1);
    assert.equal(await stopProc(p1), 0);

    const p2 = run(args);
    const a2 = await waitForListening(p2);
    const dt2 = new Dt(`127.0.0.1:${a2.port}`, await getToken(`127.0.0.1:${a2.port}`, ACME.app));
    const list = await dt2.listAttendees(U.alice, id);
    assert.deepEqual(
      list.body.attendees.map((a: any) => [a.id, a.responseStatus]),
      [[U.bob, 'accepted']],
    );
    assert.deepEqual(await calIds(dt2), cals1, 'the primary calendar must be the same one');
    assert.equal(await stopProc(p2), 0);
  });
});

describe('KALENDS_PORT / KALENDS_HOST / KALENDS_DATA work like the flags', () => {
  it('listens where the environment says and stores data in KALENDS_DATA', async () => {
    const host = '127.0.0.2';
    const port = await freePort(host);
    const data = path.join(await tmp(), 'env-data');
    await mkdir(data);
    const file = path.join(await tmp(), 'directory.json');
    await writeFile(file, JSON.stringify(buildDirectory({ bulk: false })));

    const p = run(['start', '--directory', file], {
      KALENDS_PORT: String(port),
      KALENDS_HOST: host,
      KALENDS_DATA: data,
    });
    const addr = await waitForListening(p);
    assert.equal(addr.host, host);
    assert.equal(addr.port, port);
    const endpoint = `${host}:${port}`;
    const dt = new Dt(endpoint, await getToken(endpoint, ACME.app));
    const id = (await dt.createEvent(U.alice, timedEventBody('Env data'))).body.id;
    assert.equal(await stopProc(p), 0);
    assert.ok((await readdir(data)).length > 0, 'KALENDS_DATA directory must hold the data');

    // The same directory through the --data flag sees what was written under KALENDS_DATA.
    const p2 = run(['start', '--host', '127.0.0.1', '--port', '0', '--data', data]);
    const a2 = await waitForListening(p2);
    const dt2 = new Dt(`127.0.0.1:${a2.port}`, await getToken(`127.0.0.1:${a2.port}`, ACME.app));
    assert.equal((await dt2.getEvent(U.alice, id)).body.summary, 'Env data');
    assert.equal(await stopProc(p2), 0);
  });
});

describe('the binary run as itself (npx kalends)', () => {
  it('gives Node the heap ceiling of its shebang (1 GiB of old space, a small young generation) and two malloc arenas', () => {
    const probe = "import v8 from 'node:v8'; process.stderr.write(`heap_size_limit=${v8.getHeapStatistics().heap_size_limit} arenas=${process.env.MALLOC_ARENA_MAX}\\n`);";
    const out = spawnSync(KALENDS_BIN, ['--help'], {
      encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(probe)}` },
    });
    assert.equal(out.status, 0, out.stderr);
    const limit = Number(/heap_size_limit=(\d+)/.exec(out.stderr)?.[1]);
    // old space 1,024 MiB plus the young generation (three semi-spaces of 4 MiB at most).
    assert.ok(limit >= 1024 * 2 ** 20 && limit <= 1040 * 2 ** 20, `heap_size_limit ${limit}`);
    assert.match(out.stderr, /arenas=2\b/, 'MALLOC_ARENA_MAX=2 from the shebang');
  });
});

describe('the request log', () => {
  it('at info, logs each request without the admin token of a console sign-in link', async () => {
    const token = 'log-test-admin-token-0123456789';
    const p = run(['start', '--host', '127.0.0.1', '--port', '0', '--data', await tmp(), '--admin-token', token, '--log-level', 'info']);
    const { host, port } = await waitForListening(p);
    for (const query of [`token=${token}`, `view=week&token=${token}x`, `access_token=${token}`]) {
      const res = await fetch(`http://${host}:${port}/console?${query}`, { redirect: 'manual' });
      assert.equal(res.status, 302, query);
    }
    const logged = await waitUntil(() => (p.stdout().match(/incoming request/g) ?? []).length >= 3);
    assert.ok(logged, `three requests logged at info:\n${p.stdout()}`);
    assert.ok(!p.stdout().includes(token), `the admin token is not in the log:\n${p.stdout()}`);
    assert.match(p.stdout(), /"url":"\/console\?token=\*\*\*"/);
    assert.match(p.stdout(), /"url":"\/console\?view=week&token=\*\*\*"/, 'other parameters are kept');
    assert.match(p.stdout(), /"url":"\/console\?access_token=\*\*\*"/);
    assert.equal(await stopProc(p), 0);
  });
});
