// The npm package: `npm pack` makes a tarball that installs into a clean folder and runs from its
// compiled build alone (no src/, no TypeScript, no dev dependency), configured by `--config FILE`,
// checked by `kalends doctor`, and driven through both official SDKs.
//
// Cost: `npm pack --ignore-scripts` packs the build `npm test` has just made (prepack would
// rebuild it, ~1 min of tsc here), and `npm install --prefer-offline --ignore-scripts` installs
// the dependencies from npm's cache (~8 s). better-sqlite3's install script would compile the
// native module from source (~2 min on this machine): the test copies this checkout's compiled
// module instead, the same file for the same Node.js.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ACME, U, buildDirectory } from './helpers/directory.ts';
import { Dt, getToken, timedEventBody } from './helpers/dingtalk.ts';
import { fsClient, ok, primaryCalendarId, timedEvent } from './helpers/feishu.ts';
import { PROJECT_ROOT, makeTmpDir, removeTmpDir } from './helpers/server.ts';
import { createDatabase, testDatabaseUrl } from './helpers/postgres.ts';

const ADMIN_TOKEN = 'package-test-admin-token-0123456789';
let dir: string;
let appDir: string;
let bin: string;

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
  assert.equal(result.status, 0, `${command} ${args.join(' ')}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

before(async () => {
  dir = await makeTmpDir('kalends-package-');
  run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], PROJECT_ROOT);
  const tarball = readdirSync(dir).find((f) => /^kalends-.*\.tgz$/.test(f));
  assert.ok(tarball, 'npm pack made a tarball');
  appDir = path.join(dir, 'app');
  mkdirSync(appDir);
  writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'kalends-install-probe', version: '1.0.0', private: true }));
  run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', path.join(dir, tarball)], appDir);
  const release = path.join(appDir, 'node_modules', 'better-sqlite3', 'build', 'Release');
  mkdirSync(release, { recursive: true });
  copyFileSync(path.join(PROJECT_ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), path.join(release, 'better_sqlite3.node'));
  bin = path.join(appDir, 'node_modules', '.bin', 'kalends');
});

after(async () => {
  if (dir) await removeTmpDir(dir);
});

/** Starts the installed binary; resolves with its base URL once it listens. */
function startInstalled(args: string[]): Promise<{ baseUrl: string; output: () => string; stop: () => Promise<void> }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KALENDS_') && k !== 'NODE_OPTIONS'));
  const child = spawn(bin, args, { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the installed kalends did not listen:\n${out}`)), 30_000);
    child.once('exit', () => reject(new Error(`the installed kalends exited:\n${out}`)));
    child.stdout.on('data', () => {
      const m = /Kalends listening on (http:\/\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({ baseUrl: m[1]!, output: () => out, stop: async () => { child.kill('SIGTERM'); await exited; } });
    });
  });
}

describe('the npm package', () => {
  it('holds the build and no sources, and installs without any dev dependency', () => {
    const pkg = path.join(appDir, 'node_modules', 'kalends');
    assert.ok(existsSync(path.join(pkg, 'dist', 'main.js')));
    assert.ok(!existsSync(path.join(pkg, 'src')), 'no src/ in the package');
    assert.ok(!existsSync(path.join(pkg, 'test')), 'no test/ in the package');
    for (const dev of ['typescript', 'tsx', '@alicloud/dingtalk', '@larksuiteoapi/node-sdk', 'playwright-core', 'fast-check']) {
      assert.ok(!existsSync(path.join(appDir, 'node_modules', dev)), `${dev} is not installed`);
    }
  });

  it('prints its version', () => {
    const version = run(bin, ['--version'], appDir).trim();
    assert.equal(version, (JSON.parse(run('npm', ['pkg', 'get', 'version'], PROJECT_ROOT)) as string));
  });

  it('starts from a --config file, passes kalends doctor, and serves both SDKs', async () => {
    const data = path.join(dir, 'data');
    const directory = path.join(dir, 'directory.json');
    writeFileSync(directory, JSON.stringify(buildDirectory({ bulk: false })));
    const settings: Record<string, unknown> = { host: '127.0.0.1', port: 0, data, directory, adminToken: ADMIN_TOKEN, logLevel: 'warn' };
    if (process.env.KALENDS_TEST_STORE === 'postgres') settings.databaseUrl = await createDatabase(testDatabaseUrl());
    const config = path.join(dir, 'kalends.json');
    writeFileSync(config, JSON.stringify(settings));

    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...settings, prot: 8080 }));
    const refused = spawnSync(bin, ['start', '--config', bad], { cwd: appDir, encoding: 'utf8' });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /unknown setting "prot"/);

    const server = await startInstalled(['start', '--config', config]);
    try {
      const endpoint = server.baseUrl.replace(/^http:\/\//, '');
      const dt = new Dt(endpoint, await getToken(endpoint, ACME.app));
      const created = await dt.createEvent(U.alice, timedEventBody('From the package', [U.bob]));
      assert.equal(created.statusCode, 200);
      assert.equal((await dt.getEvent(U.alice, created.body.id)).body.summary, 'From the package');

      const client = fsClient(server.baseUrl, ACME.feishuApp);
      const calendarId = await primaryCalendarId(client);
      const event = ok(await client.calendar.v4.calendarEvent.create({ path: { calendar_id: calendarId }, data: timedEvent('Feishu from the package') as never }), 'create');
      assert.equal(event.event.summary, 'Feishu from the package');
    } finally {
      await server.stop();
    }

    const doctor = spawnSync(bin, ['doctor', '--config', config], { cwd: appDir, encoding: 'utf8' });
    assert.equal(doctor.status, 0, doctor.stdout + doctor.stderr);
    assert.match(doctor.stdout, /^ok {3}store: .* answers$/m);
    assert.match(doctor.stdout, /^ok {3}migrations: all \d+ applied$/m);
    assert.match(doctor.stdout, /^ok {3}directory: .*2 tenant\(s\)/m);
    assert.match(doctor.stdout, /^ok {3}port: /m);
  });
});
