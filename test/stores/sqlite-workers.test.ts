// `--workers 2` on the SQLite store: two processes share the port and the file; concurrent
// writes through both stay consistent (no lost update, no duplicate, the kept count right).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ACME, buildDirectory, bulkIds, U } from '../helpers/directory.ts';
import { startServer, type KalendsServer } from '../helpers/server.ts';

describe('--workers 2 on SQLite', () => {
  let server: KalendsServer;
  let token: string;
  before(async () => {
    server = await startServer({ directory: buildDirectory(), store: 'sqlite', extraArgs: ['--workers', '2'] });
    const res = await fetch(`${server.baseUrl}/v1.0/oauth2/accessToken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ACME.app) });
    token = ((await res.json()) as { accessToken: string }).accessToken;
  });
  after(async () => server?.cleanup());

  it('30 clients adding distinct batches through both processes: every batch lands once', async () => {
    const headers = { 'x-acs-dingtalk-access-token': token, 'content-type': 'application/json' };
    const base = `${server.baseUrl}/v1.0/calendar/users/${U.alice}/calendars/primary/events`;
    const created = await fetch(base, { method: 'POST', headers, body: JSON.stringify({
      summary: 'workers', start: { dateTime: '2031-06-01T10:00:00+08:00' }, end: { dateTime: '2031-06-01T11:00:00+08:00' },
    }) });
    const id = ((await created.json()) as { id: string }).id;
    const statuses = await Promise.all(Array.from({ length: 30 }, async (_, c) => {
      const r = await fetch(`${base}/${id}/attendees`, { method: 'POST', headers, body: JSON.stringify({ attendeesToAdd: bulkIds(c * 20, c * 20 + 20).map((u) => ({ id: u })) }) });
      return r.status;
    }));
    assert.deepEqual([...new Set(statuses)], [200]);
    await server.stop();
    const db = new Database(path.join(server.dataDir, 'kalends.sqlite'), { readonly: true });
    try {
      const row = db.prepare("SELECT e.attendee_count AS kept, (SELECT count(*) FROM attendees a WHERE a.event_id = e.id) AS n FROM events e WHERE e.summary = 'workers'").get() as { kept: number; n: number };
      assert.equal(row.n, 600);
      assert.equal(row.kept, 600);
    } finally {
      db.close();
    }
  });
});
