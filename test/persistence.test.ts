// Persistence: SIGTERM exits 0; a restart on the same data dir (and the same directory file, loaded again)
// keeps events, attendees, responses, subscribed calendars, and access tokens issued before the restart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME, U, buildDirectory } from './helpers/directory.ts';
import { Dt, expectDtError, getToken, seedEventBody, timedEventBody, uniqueToken } from './helpers/dingtalk.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

let srv: KalendsServer;

before(async () => {
  srv = await startServer({ directory: buildDirectory({ bulk: false }) });
});

after(async () => {
  await srv?.cleanup();
});

describe('restart on the same data dir keeps everything', () => {
  let oldToken = '';
  let eventId = '';
  let event2Id = '';
  let deletedId = '';
  let calId = '';
  let idemToken = '';
  let idemEventId = '';
  let before1: any;

  it('creates data, then SIGTERM exits 0', async () => {
    oldToken = await getToken(srv.endpoint, ACME.app);
    const dt = new Dt(srv.endpoint, oldToken);
    eventId = (await dt.createEvent(U.alice, seedEventBody(U.bob))).body.id;
    await dt.addAttendees(U.alice, eventId, [U.carol, { id: U.dave, isOptional: true }]);
    await dt.respond(U.bob, eventId, 'accepted');
    await dt.respond(U.carol, eventId, 'tentative');
    await dt.removeAttendees(U.alice, eventId, [U.dave]);
    await dt.addAttendees(U.alice, eventId, [U.erin]);
    event2Id = (await dt.createEvent(U.frank, timedEventBody('Second', [U.alice]))).body.id;
    await dt.patchEvent(U.frank, event2Id, { summary: 'Second (patched)' });
    deletedId = (await dt.createEvent(U.alice, timedEventBody('Deleted before restart'))).body.id;
    await dt.deleteEvent(U.alice, deletedId);
    calId = (
      await dt.createSubscribed(U.alice, {
        name: 'Persisted calendar',
        description: 'survives restarts',
        managers: [U.alice],
        subscribeScope: { unionIds: [U.bob], corpIds: [], openConversationIds: [] },
      })
    ).body.calendarId;
    await dt.subscribe(U.bob, calId);
    idemToken = uniqueToken('persist');
    idemEventId = (await dt.createEvent(U.grace, timedEventBody('Idempotent before restart'), { clientToken: idemToken })).body
      .id;

    before1 = await snapshot(dt);
    const code = await srv.stop();
    assert.equal(code, 0, `exit code after SIGTERM; stderr:\n${srv.stderr()}`);
  });

  async function snapshot(dt: Dt) {
    return {
      event: (await dt.getEvent(U.alice, eventId)).body,
      attendees: (await dt.listAttendees(U.alice, eventId, { maxResults: 500 })).body,
      attendeesAsBob: (await dt.listAttendees(U.bob, eventId, { maxResults: 500 })).body,
      event2: (await dt.getEvent(U.frank, event2Id)).body,
      aliceEvents: (await dt.listAllEvents(U.alice)).map((e) => e.id).sort(),
      aliceEventsWithDeleted: (await dt.listAllEvents(U.alice, { showDeleted: true })).map((e) => e.id).sort(),
      sub: (await dt.getSubscribed(U.alice, calId)).body,
      bobCalendars: (await dt.listCalendars(U.bob)).body,
      aliceCalendars: (await dt.listCalendars(U.alice)).body,
    };
  }

  it('restarts (same --data, same --directory) and everything is still there, read with the old token', async () => {
    await srv.restart();
    const dt = new Dt(srv.endpoint, oldToken);
    const after1 = await snapshot(dt);
    assert.deepEqual(after1, before1);
    // spot checks, so a vacuous snapshot cannot pass
    assert.equal(after1.event.summary, 'New Event');
    assert.deepEqual(after1.event.recurrence, {
      pattern: { type: 'daily', interval: 1 },
      range: { type: 'numbered', numberOfOccurrences: 1 },
    });
    assert.deepEqual(after1.event.reminders, [{ method: 'dingtalk', minutes: '15' }]);
    assert.deepEqual(
      after1.attendees.attendees.map((a: any) => [a.id, a.responseStatus]),
      [
        [U.bob, 'accepted'],
        [U.carol, 'tentative'],
        [U.erin, 'needsAction'],
      ],
    );
    assert.equal(after1.event2.summary, 'Second (patched)');
    assert.ok(!after1.aliceEvents.includes(deletedId));
    assert.ok(after1.aliceEventsWithDeleted.includes(deletedId));
    assert.equal(after1.sub.name, 'Persisted calendar');
    assert.ok(after1.bobCalendars.response.calendars.some((c: any) => c.id === calId && c.type === 'subscribed'));
  });

  it('the old token can still write, and new tokens work', async () => {
    const dt = new Dt(srv.endpoint, oldToken);
    await dt.addAttendees(U.alice, eventId, [U.frank]);
    const fresh = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
    const list = await fresh.listAttendees(U.alice, eventId);
    assert.deepEqual(
      list.body.attendees.map((a: any) => a.id),
      [U.bob, U.carol, U.erin, U.frank],
    );
    // unknown tokens are still rejected (the restart did not open the door)
    await expectDtError(dt.withToken('bogus-token').getEvent(U.alice, eventId), 401, 'InvalidAuthentication');
  });

  it('new ids do not collide with ids issued before the restart', async () => {
    const dt = new Dt(srv.endpoint, oldToken);
    const id = (await dt.createEvent(U.alice, timedEventBody('After restart'))).body.id;
    assert.ok(![eventId, event2Id, deletedId, idemEventId].includes(id));
    assert.equal((await dt.getEvent(U.alice, eventId)).body.summary, 'New Event');
  });

  it('an x-client-token used before the restart still replays (same id, applied once)', async () => {
    const dt = new Dt(srv.endpoint, oldToken);
    const replay = await dt.createEvent(U.grace, timedEventBody('Idempotent before restart'), { clientToken: idemToken });
    assert.equal(replay.body.id, idemEventId);
    const mine = (await dt.listAllEvents(U.grace)).filter((e) => e.summary === 'Idempotent before restart');
    assert.equal(mine.length, 1);
  });

  it('a second restart also exits 0 and keeps the post-restart writes', async () => {
    const code = await srv.restart();
    assert.equal(code, 0);
    const dt = new Dt(srv.endpoint, oldToken);
    const list = await dt.listAttendees(U.alice, eventId);
    assert.deepEqual(
      list.body.attendees.map((a: any) => a.id),
      [U.bob, U.carol, U.erin, U.frank],
    );
    assert.ok((await dt.listAllEvents(U.alice)).some((e) => e.summary === 'After restart'));
  });
});
