// The attendee limits: 500 per add/remove/create call, 5,000 per event; rejected calls change nothing.
// Also listAttendees paging limits (default 100, max 500).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME, U, buildDirectory, bulkId, bulkIds } from './helpers/directory.ts';
import { Dt, expectDtError, getToken, ids, timedEventBody } from './helpers/dingtalk.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

let srv: KalendsServer;
let dt: Dt;

before(async () => {
  srv = await startServer({ directory: buildDirectory() });
  dt = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
});

after(async () => {
  await srv?.cleanup();
});

async function newEvent(organizer: string, summary: string, attendees: string[] = []): Promise<string> {
  const res = await dt.createEvent(organizer, timedEventBody(summary, attendees));
  assert.equal(typeof res.body.id, 'string');
  return res.body.id;
}

async function attendeeIds(organizer: string, eventId: string): Promise<string[]> {
  return ids(await dt.listAllAttendees(organizer, eventId));
}

describe('one addAttendee call: 500 accepted, 501 rejected', () => {
  it('adds 500 in one call', async () => {
    const id = await newEvent(U.alice, 'add 500');
    await dt.addAttendees(U.alice, id, bulkIds(0, 500));
    assert.deepEqual(await attendeeIds(U.alice, id), bulkIds(0, 500));
  });

  it('rejects 501 in one call with invalidParameter and adds none of them', async () => {
    const id = await newEvent(U.alice, 'add 501', [U.bob]);
    await expectDtError(dt.addAttendees(U.alice, id, bulkIds(0, 501)), 400, 'invalidParameter');
    assert.deepEqual(await attendeeIds(U.alice, id), [U.bob]);
  });
});

describe('one removeAttendee call: 500 accepted, 501 rejected', () => {
  it('rejects 501 ids in one call and removes none; then removes 500 in one call', async () => {
    const id = await newEvent(U.alice, 'remove 500/501');
    await dt.addAttendees(U.alice, id, bulkIds(0, 500));
    await dt.addAttendees(U.alice, id, bulkIds(500, 1000));
    const before = await attendeeIds(U.alice, id);
    assert.equal(before.length, 1000);

    await expectDtError(dt.removeAttendees(U.alice, id, bulkIds(0, 501)), 400, 'invalidParameter');
    assert.deepEqual(await attendeeIds(U.alice, id), before, 'a rejected remove must change nothing');

    await dt.removeAttendees(U.alice, id, bulkIds(0, 500));
    assert.deepEqual(await attendeeIds(U.alice, id), bulkIds(500, 1000));
  });
});

describe('createEvent attendees: 500 accepted, above 500 rejected', () => {
  it('creates an event with 500 attendees', async () => {
    const res = await dt.createEvent(U.bob, timedEventBody('create 500', bulkIds(1000, 1500)));
    assert.equal(res.body.attendees.length, 500);
    assert.deepEqual(await attendeeIds(U.bob, res.body.id), bulkIds(1000, 1500));
  });

  it('rejects 501 and 5,001 attendees with invalidParameter and creates nothing', async () => {
    const before = ids(await dt.listAllEvents(U.heidi, { showDeleted: true }));
    await expectDtError(dt.createEvent(U.heidi, timedEventBody('create 501', bulkIds(0, 501))), 400, 'invalidParameter');
    await expectDtError(
      dt.createEvent(U.heidi, timedEventBody('create 5001', bulkIds(0, 5001))),
      400,
      'invalidParameter',
    );
    const afterList = ids(await dt.listAllEvents(U.heidi, { showDeleted: true }));
    assert.deepEqual(afterList, before, 'a rejected createEvent must not create an event');
    const seenByAttendee = await dt.listAllEvents(bulkId(0), { showDeleted: true });
    assert.ok(
      !seenByAttendee.some((e) => e.summary === 'create 501' || e.summary === 'create 5001'),
      'a rejected createEvent must not show on the would-be attendees calendars',
    );
  });
});

describe('5,000 attendees per event', () => {
  let id = '';

  it('reaches exactly 5,000 across 10 calls of 500', async () => {
    id = await newEvent(U.carol, '5000 attendees');
    for (let i = 0; i < 10; i++) {
      await dt.addAttendees(U.carol, id, bulkIds(i * 500, (i + 1) * 500));
    }
    const all = await attendeeIds(U.carol, id);
    assert.equal(all.length, 5000);
    assert.deepEqual(all, bulkIds(0, 5000), 'order must be the order added');
  });

  it('rejects the 5,001st attendee with invalidParameter; count unchanged', async () => {
    await expectDtError(dt.addAttendees(U.carol, id, [bulkId(5000)]), 400, 'invalidParameter');
    const all = await attendeeIds(U.carol, id);
    assert.equal(all.length, 5000);
    assert.ok(!all.includes(bulkId(5000)));
  });

  it('rejects a mixed call (one existing + one new) as a whole; count unchanged', async () => {
    await expectDtError(dt.addAttendees(U.carol, id, [bulkId(0), bulkId(5001)]), 400, 'invalidParameter');
    const all = await attendeeIds(U.carol, id);
    assert.equal(all.length, 5000);
    assert.ok(!all.includes(bulkId(5001)));
  });

  it('re-adding existing attendees at 5,000 is fine (does not go past the limit)', async () => {
    const res = await dt.addAttendees(U.carol, id, bulkIds(0, 3));
    assert.equal(res.statusCode, 200);
    assert.equal((await attendeeIds(U.carol, id)).length, 5000);
  });

  it('after removing 500, 500 new ones fit again, and one more does not', async () => {
    await dt.removeAttendees(U.carol, id, bulkIds(0, 500));
    assert.equal((await attendeeIds(U.carol, id)).length, 4500);
    await dt.addAttendees(U.carol, id, bulkIds(4600, 5100)); // 400 existing + 100 new
    assert.equal((await attendeeIds(U.carol, id)).length, 4600);
    await dt.addAttendees(U.carol, id, bulkIds(0, 400));
    const all = await attendeeIds(U.carol, id);
    assert.equal(all.length, 5000);
    await expectDtError(dt.addAttendees(U.carol, id, [bulkId(400)]), 400, 'invalidParameter');
    assert.deepEqual(await attendeeIds(U.carol, id), all);
  });

  it('the 5,000-attendee event still reads fine (getEvent, listAttendees as an attendee)', async () => {
    const ev = await dt.getEvent(U.carol, id);
    assert.equal(ev.body.id, id);
    const page = await dt.listAttendees(bulkId(1000), id, { maxResults: 500 });
    assert.equal(page.body.attendees.length, 500);
    assert.equal(typeof page.body.nextToken, 'string');
  });
});

describe('listAttendees maxResults', () => {
  let id = '';

  before(async () => {
    id = await newEvent(U.dave, 'paging 150');
    await dt.addAttendees(U.dave, id, bulkIds(2000, 2150));
  });

  it('defaults to 100 per page, nextToken absent on the last page', async () => {
    const p1 = await dt.listAttendees(U.dave, id);
    assert.deepEqual(ids(p1.body.attendees), bulkIds(2000, 2100));
    assert.equal(typeof p1.body.nextToken, 'string');
    const p2 = await dt.listAttendees(U.dave, id, { nextToken: p1.body.nextToken });
    assert.deepEqual(ids(p2.body.attendees), bulkIds(2100, 2150));
    assert.equal(p2.body.nextToken, undefined);
  });

  it('accepts up to 500 per page', async () => {
    const res = await dt.listAttendees(U.dave, id, { maxResults: 500 });
    assert.deepEqual(ids(res.body.attendees), bulkIds(2000, 2150));
    assert.equal(res.body.nextToken, undefined);
  });

  it('pages of 7 concatenate to the order added', async () => {
    assert.deepEqual(ids(await dt.listAllAttendees(U.dave, id, { pageSize: 7 })), bulkIds(2000, 2150));
  });

  it('rejects maxResults above 500 with invalidParameter', async () => {
    await expectDtError(dt.listAttendees(U.dave, id, { maxResults: 501 }), 400, 'invalidParameter');
    await expectDtError(dt.listAttendees(U.dave, id, { maxResults: 5000 }), 400, 'invalidParameter');
  });
});
