// DingTalk ListEvents sync tokens (syncToken): a listing read over several pages hands out a
// token that still covers a change made to an already-listed event while the later pages were
// read (the token is the position of the listing's first page, carried in nextToken).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME, U, buildDirectory } from './helpers/directory.ts';
import { Dt, getToken, timedEventBody } from './helpers/dingtalk.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

describe('DingTalk syncToken across pages', () => {
  let server: KalendsServer;
  let dt: Dt;
  before(async () => {
    server = await startServer({ directory: buildDirectory() });
    dt = new Dt(server.endpoint, await getToken(server.endpoint, ACME.app));
  });
  after(async () => server?.cleanup());

  it('an event changed while the later pages of a listing are read is in the next sync', async () => {
    const window = { timeMin: '2032-06-01T00:00:00+08:00', timeMax: '2032-06-30T00:00:00+08:00' };
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const body = { ...timedEventBody(`paged ${i}`), start: { dateTime: `2032-06-0${1 + i}T10:00:00+08:00`, timeZone: 'Asia/Shanghai' }, end: { dateTime: `2032-06-0${1 + i}T11:00:00+08:00`, timeZone: 'Asia/Shanghai' } };
      made.push((await dt.createEvent(U.alice, body)).body.id as string);
    }
    const first = await dt.listEvents(U.alice, { ...window, maxResults: 2 });
    assert.deepEqual(first.body.events.map((e: any) => e.id), made.slice(0, 2));
    assert.equal(first.body.syncToken, undefined, 'only the last page carries the sync token');
    assert.equal((await dt.patchEvent(U.alice, made[0]!, { summary: 'paged 0 (changed)' })).statusCode, 200);
    let page = first;
    const listed = [...first.body.events];
    while (page.body.nextToken) {
      page = await dt.listEvents(U.alice, { ...window, maxResults: 2, nextToken: page.body.nextToken });
      listed.push(...page.body.events);
    }
    assert.deepEqual(listed.map((e: any) => e.id), made);
    const sync = await dt.listEvents(U.alice, { syncToken: page.body.syncToken });
    const changed = sync.body.events.find((e: any) => e.id === made[0]);
    assert.equal(changed?.summary, 'paged 0 (changed)', 'the change made during the listing is returned by the next sync');
  });
});
