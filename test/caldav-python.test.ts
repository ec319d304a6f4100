// CalDAV through Debian's python3-caldav, spawned as a script (test/helpers/caldav-python-client.py)
// with an account minted by the DingTalk SDK: discovery, MKCALENDAR, PUT, a time-range search,
// search by UID, an edit, sync tokens, DELETE of an object and of the calendar.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ACME, U, buildDirectory } from './helpers/directory.ts';
import { getToken } from './helpers/dingtalk.ts';
import { mintDingTalkAccount } from './helpers/caldav.ts';
import { PROJECT_ROOT, startServer, type KalendsServer } from './helpers/server.ts';

let srv: KalendsServer;

before(async () => {
  srv = await startServer({ directory: buildDirectory({ bulk: false }) });
});
after(async () => {
  await srv?.cleanup();
});

function runPython(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/python3', [path.join(PROJECT_ROOT, 'test', 'helpers', 'caldav-python-client.py'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('python3-caldav against Kalends', () => {
  it('discovers, makes a calendar, saves, searches, edits, syncs and deletes', async () => {
    const account = await mintDingTalkAccount(srv.endpoint, await getToken(srv.endpoint, ACME.app), U.alice, 'python');
    const run = await runPython([account.serverAddress, account.username, account.password]);
    assert.equal(run.code, 0, `python exited ${run.code}\n${run.stderr}`);
    const seen = JSON.parse(run.stdout.trim().split('\n').pop()!);
    assert.match(seen.principal, /\/caldav\/[^/]+\/$/);
    assert.ok(seen.calendars.length >= 1, 'the primary calendar');
    assert.ok(seen.made.endsWith('/python-plans/'), `made at ${seen.made}`);
    assert.equal(seen.made_name, 'Python plans');
    assert.deepEqual(seen.march, ['Python standup'], 'the time-range search finds March only');
    assert.equal(seen.sync_initial, 2);
    assert.equal(seen.edited, 'Python standup (moved)');
    assert.deepEqual(seen.sync_changed, ['Python standup (moved)'], 'the sync token gives the one change');
    assert.deepEqual(seen.after_delete, ['Python retro']);
    assert.ok(!seen.calendars_after.includes('Python plans'), 'the calendar is gone');
  });
});
