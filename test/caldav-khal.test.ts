// vdirsyncer + khal (Debian) against Kalends, with an account minted by the DingTalk SDK: an event
// made through DingTalk appears in `khal list` after `vdirsyncer sync`; one made with `khal new` reaches
// DingTalk's listEvents; a DingTalk change comes back on the next sync.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ACME, U, buildDirectory } from './helpers/directory.ts';
import { Dt, getToken, timedEventBody } from './helpers/dingtalk.ts';
import { mintDingTalkAccount } from './helpers/caldav.ts';
import { makeTmpDir, startServer, type KalendsServer } from './helpers/server.ts';

let srv: KalendsServer;
let dt: Dt;
let dir = '';

before(async () => {
  srv = await startServer({ directory: buildDirectory({ bulk: false }) });
  dt = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
  dir = await makeTmpDir('kalends-khal-');
  const account = await mintDingTalkAccount(srv.endpoint, dt.token!, U.alice, 'khal');
  await mkdir(path.join(dir, 'cal'));
  await mkdir(path.join(dir, 'status'));
  await writeFile(path.join(dir, 'vdirsyncer.conf'), [
    '[general]', `status_path = "${dir}/status/"`, '',
    '[pair kalends]', 'a = "local"', 'b = "remote"', 'collections = ["from b"]', '',
    '[storage local]', 'type = "filesystem"', `path = "${dir}/cal/"`, 'fileext = ".ics"', '',
    '[storage remote]', 'type = "caldav"', `url = "${account.serverAddress}"`, `username = "${account.username}"`, `password = "${account.password}"`, '',
  ].join('\n'));
  await writeFile(path.join(dir, 'khal.conf'), [
    '[calendars]', '[[kalends]]', `path = ${dir}/cal/*`, 'type = discover', '',
    '[locale]', 'timeformat = %H:%M', 'dateformat = %Y-%m-%d', 'longdateformat = %Y-%m-%d', 'datetimeformat = %Y-%m-%d %H:%M',
    'longdatetimeformat = %Y-%m-%d %H:%M', 'default_timezone = Asia/Shanghai', 'local_timezone = Asia/Shanghai', '',
  ].join('\n'));
});
after(async () => {
  await srv?.cleanup();
});

function run(command: string, args: string[], input = ''): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: dir, env: { ...process.env, HOME: dir, TZ: 'Asia/Shanghai' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.end(input);
  });
}

const vdirsyncer = (...args: string[]) => run('/usr/bin/vdirsyncer', ['-c', path.join(dir, 'vdirsyncer.conf'), ...args], 'y\n'.repeat(5));
const khal = (...args: string[]) => run('/usr/bin/khal', ['-c', path.join(dir, 'khal.conf'), ...args]);

describe('vdirsyncer and khal against Kalends', () => {
  it('an event made with the DingTalk SDK appears in khal list', async () => {
    assert.equal((await dt.createEvent(U.alice, timedEventBody('Made in DingTalk'))).statusCode, 200);
    const discover = await vdirsyncer('discover');
    assert.equal(discover.code, 0, discover.out);
    const sync = await vdirsyncer('sync');
    assert.equal(sync.code, 0, sync.out);
    const list = await khal('list', '2031-03-04', '2d');
    assert.equal(list.code, 0, list.out);
    assert.match(list.out, /10:00-11:00 Made in DingTalk/);
  });

  it('an event made with khal new reaches DingTalk; a DingTalk change comes back', async () => {
    const [calendar] = await readdir(path.join(dir, 'cal'));
    const made = await khal('new', '-a', calendar!, '2031-03-06', '14:00', '15:00', 'From khal');
    assert.equal(made.code, 0, made.out);
    const sync = await vdirsyncer('sync');
    assert.equal(sync.code, 0, sync.out);
    const listed = await dt.listEvents(U.alice, { timeMin: '2031-03-06T00:00:00+08:00', timeMax: '2031-03-07T00:00:00+08:00' });
    const event = (listed.body.events as any[]).find((e) => e.summary === 'From khal');
    assert.ok(event, JSON.stringify(listed.body));
    assert.equal(event.start.dateTime.slice(0, 16), '2031-03-06T14:00', 'khal wrote Asia/Shanghai local time');
    assert.equal((await dt.patchEvent(U.alice, event.id, { id: event.id, summary: 'From khal, renamed in DingTalk' })).statusCode, 200);
    assert.equal((await vdirsyncer('sync')).code, 0);
    assert.match((await khal('list', '2031-03-06', '1d')).out, /14:00-15:00 From khal, renamed in DingTalk/);
  });
});
