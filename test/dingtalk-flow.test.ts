// Seed 004 end to end through the official SDK, plus the event/attendee semantics of the contract.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME, NAMES, U, buildDirectory } from './helpers/directory.ts';
import { $OAuth, Dt, getToken, ids, oauthClient, seedEventBody, settle, timedEventBody } from './helpers/dingtalk.ts';
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

function att(id: string, responseStatus = 'needsAction', self = false, isOptional = false) {
  return { id, displayName: NAMES[id], responseStatus, isOptional, self };
}

const SEED_RECURRENCE = {
  pattern: { type: 'daily', interval: 1 },
  range: { type: 'numbered', numberOfOccurrences: 1 },
};

describe('seed 004: token → create → add → list → respond → remove', () => {
  let eventId = '';

  it('getAccessToken returns {accessToken, expireIn}', async () => {
    const res = await oauthClient(srv.endpoint).getAccessToken(
      new $OAuth.GetAccessTokenRequest({ appKey: ACME.app.appKey, appSecret: ACME.app.appSecret }),
    );
    assert.equal(res.statusCode, 200);
    assert.equal(typeof res.body?.accessToken, 'string');
    assert.ok(res.body!.accessToken!.length > 0);
    assert.equal(typeof res.body?.expireIn, 'number');
    assert.ok(res.body!.expireIn! > 0, 'expireIn must be positive');
  });

  it('createEvent with the exact seed body returns the event as given', async () => {
    const res = await dt.createEvent(U.alice, seedEventBody(U.bob));
    assert.equal(res.statusCode, 200);
    const ev = res.body;
    assert.equal(typeof ev.id, 'string');
    assert.ok(ev.id.length > 0);
    eventId = ev.id;
    assert.equal(ev.summary, 'New Event');
    assert.equal(ev.description, 'This is a newly created event');
    assert.deepEqual(ev.start, { date: '2022-09-07' });
    assert.deepEqual(ev.end, { date: '2022-09-07' });
    assert.equal(ev.isAllDay, true);
    assert.deepEqual(ev.recurrence, SEED_RECURRENCE);
    assert.deepEqual(ev.reminders, [{ method: 'dingtalk', minutes: '15' }]);
    assert.equal(ev.location?.displayName, 'Tower A, 9F');
    assert.equal(ev.onlineMeetingInfo?.type, 'dingtalk');
    assert.deepEqual(ev.organizer, { id: U.alice, displayName: 'Alice', responseStatus: 'accepted', self: true });
    // The organizer is not an attendee unless explicitly added.
    assert.deepEqual(ev.attendees, [att(U.bob)]);
  });

  it('getEvent round-trips the seed fields exactly (all-day daily recurrence numbered 1)', async () => {
    const res = await dt.getEvent(U.alice, eventId);
    assert.equal(res.statusCode, 200);
    const ev = res.body;
    assert.equal(ev.id, eventId);
    assert.equal(ev.summary, 'New Event');
    assert.equal(ev.description, 'This is a newly created event');
    assert.deepEqual(ev.start, { date: '2022-09-07' });
    assert.deepEqual(ev.end, { date: '2022-09-07' });
    assert.equal(ev.isAllDay, true);
    assert.deepEqual(ev.recurrence, SEED_RECURRENCE);
    assert.deepEqual(ev.reminders, [{ method: 'dingtalk', minutes: '15' }]);
    assert.equal(ev.location?.displayName, 'Tower A, 9F');
    assert.equal(ev.onlineMeetingInfo?.type, 'dingtalk');
    assert.equal(ev.status, 'confirmed');
    assert.deepEqual(ev.organizer, { id: U.alice, displayName: 'Alice', responseStatus: 'accepted', self: true });
    assert.deepEqual(ev.attendees, [att(U.bob)]);
  });

  it('addAttendee (two attendees, seed shape) replies 200 with no body', async () => {
    const res = await dt.addAttendees(U.alice, eventId, [
      { id: U.carol, isOptional: false },
      { id: U.dave, isOptional: false },
    ]);
    assert.equal(res.statusCode, 200);
  });

  it('listAttendees maxResults 100 lists them in the order added, all needsAction, no nextToken', async () => {
    const res = await dt.listAttendees(U.alice, eventId, { maxResults: 100 });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.body.attendees, [att(U.bob), att(U.carol), att(U.dave)]);
    assert.equal(res.body.nextToken, undefined);
  });

  it('respondEvent accepted, as the attendee on their primary calendar, replies 200', async () => {
    const res = await dt.respond(U.bob, eventId, 'accepted');
    assert.equal(res.statusCode, 200);
  });

  it('listAttendees shows accepted for that attendee only, and self:true when listed as them', async () => {
    const asOrganizer = await dt.listAttendees(U.alice, eventId, { maxResults: 100 });
    assert.deepEqual(asOrganizer.body.attendees, [att(U.bob, 'accepted'), att(U.carol), att(U.dave)]);
    const asBob = await dt.listAttendees(U.bob, eventId, { maxResults: 100 });
    assert.deepEqual(asBob.body.attendees, [att(U.bob, 'accepted', true), att(U.carol), att(U.dave)]);
    const asCarol = await dt.listAttendees(U.carol, eventId, { maxResults: 100 });
    assert.deepEqual(asCarol.body.attendees, [att(U.bob, 'accepted'), att(U.carol, 'needsAction', true), att(U.dave)]);
  });

  it('getEvent shows the response too, for the organizer and through the attendee primary calendar', async () => {
    const asOrganizer = await dt.getEvent(U.alice, eventId);
    assert.deepEqual(asOrganizer.body.attendees, [att(U.bob, 'accepted'), att(U.carol), att(U.dave)]);
    const asBob = await dt.getEvent(U.bob, eventId);
    assert.equal(asBob.body.id, eventId);
    assert.deepEqual(asBob.body.organizer, { id: U.alice, displayName: 'Alice', responseStatus: 'accepted', self: false });
    assert.deepEqual(asBob.body.attendees, [att(U.bob, 'accepted', true), att(U.carol), att(U.dave)]);
    assert.deepEqual(asBob.body.recurrence, SEED_RECURRENCE);
  });

  it('removeAttendee removes them; the rest keep order and responses', async () => {
    const res = await dt.removeAttendees(U.alice, eventId, [U.carol]);
    assert.equal(res.statusCode, 200);
    const list = await dt.listAttendees(U.alice, eventId, { maxResults: 100 });
    assert.deepEqual(list.body.attendees, [att(U.bob, 'accepted'), att(U.dave)]);
    const ev = await dt.getEvent(U.alice, eventId);
    assert.deepEqual(ids(ev.body.attendees), [U.bob, U.dave]);
  });
});

describe('event semantics', () => {
  it('a timed event round-trips start/end dateTime + timeZone and has create/update times', async () => {
    const body = {
      ...timedEventBody('Timed', [U.bob]),
      description: 'desc',
      reminders: [
        { method: 'dingtalk', minutes: 5 },
        { method: 'dingtalk', minutes: 60 },
      ],
    };
    const created = await dt.createEvent(U.alice, body);
    const got = await dt.getEvent(U.alice, created.body.id);
    for (const ev of [created.body, got.body]) {
      assert.deepEqual(ev.start, { dateTime: '2031-03-04T10:00:00+08:00', timeZone: 'Asia/Shanghai' });
      assert.deepEqual(ev.end, { dateTime: '2031-03-04T11:00:00+08:00', timeZone: 'Asia/Shanghai' });
      assert.notEqual(ev.isAllDay, true);
      assert.deepEqual(ev.reminders, [
        { method: 'dingtalk', minutes: '5' },
        { method: 'dingtalk', minutes: '60' },
      ]);
      assert.equal(typeof ev.createTime, 'string');
      assert.equal(typeof ev.updateTime, 'string');
      assert.ok(!Number.isNaN(Date.parse(ev.createTime)), `createTime not ISO: ${ev.createTime}`);
    }
  });

  it('the organizer becomes an attendee only when explicitly added', async () => {
    const created = await dt.createEvent(U.alice, timedEventBody('Org attends', [U.alice, U.bob]));
    assert.deepEqual(ids(created.body.attendees), [U.alice, U.bob]);
    const list = await dt.listAttendees(U.alice, created.body.id, { maxResults: 100 });
    const alice = list.body.attendees.find((a: any) => a.id === U.alice);
    assert.equal(alice?.self, true);
    assert.equal(list.body.attendees.find((a: any) => a.id === U.bob)?.self, false);
  });

  it('isOptional round-trips through addAttendee and listAttendees', async () => {
    const created = await dt.createEvent(U.alice, timedEventBody('Optional'));
    assert.deepEqual(created.body.attendees ?? [], []);
    await dt.addAttendees(U.alice, created.body.id, [
      { id: U.bob, isOptional: true },
      { id: U.carol, isOptional: false },
    ]);
    const list = await dt.listAttendees(U.alice, created.body.id);
    assert.deepEqual(list.body.attendees, [att(U.bob, 'needsAction', false, true), att(U.carol)]);
  });

  it('re-adding an existing attendee, duplicates in one call, removing an absent one: no error, no change', async () => {
    const created = await dt.createEvent(U.alice, timedEventBody('Dupes', [U.bob, U.carol]));
    const id = created.body.id;
    await dt.respond(U.bob, id, 'accepted');
    const before = (await dt.listAttendees(U.alice, id)).body.attendees;
    assert.deepEqual(before, [att(U.bob, 'accepted'), att(U.carol)]);

    await dt.addAttendees(U.alice, id, [U.bob]); // existing (and accepted)
    assert.deepEqual((await dt.listAttendees(U.alice, id)).body.attendees, before);

    await dt.addAttendees(U.alice, id, [U.dave, U.dave]); // duplicate within one call
    assert.deepEqual((await dt.listAttendees(U.alice, id)).body.attendees, [...before, att(U.dave)]);

    await dt.removeAttendees(U.alice, id, [U.erin]); // never an attendee
    assert.deepEqual((await dt.listAttendees(U.alice, id)).body.attendees, [...before, att(U.dave)]);

    await dt.removeAttendees(U.alice, id, [U.dave, U.dave]); // duplicate within one remove
    assert.deepEqual((await dt.listAttendees(U.alice, id)).body.attendees, before);
  });

  it('removing the organizer is ignored: the organizer stays organizer', async () => {
    const created = await dt.createEvent(U.alice, timedEventBody('Remove organizer', [U.bob]));
    const id = created.body.id;
    const res = await dt.removeAttendees(U.alice, id, [U.alice]);
    assert.equal(res.statusCode, 200);
    const ev = await dt.getEvent(U.alice, id);
    assert.deepEqual(ev.body.organizer, { id: U.alice, displayName: 'Alice', responseStatus: 'accepted', self: true });
    assert.deepEqual(ids(ev.body.attendees), [U.bob]);
    // Still the organizer: may still change attendees.
    await dt.addAttendees(U.alice, id, [U.carol]);
    assert.deepEqual(ids((await dt.listAttendees(U.alice, id)).body.attendees), [U.bob, U.carol]);
  });

  it('respondEvent: accepted / declined / tentative change only that attendee', async () => {
    const created = await dt.createEvent(U.alice, timedEventBody('Responses', [U.bob, U.carol, U.dave]));
    const id = created.body.id;
    await dt.respond(U.bob, id, 'declined');
    await dt.respond(U.carol, id, 'tentative');
    let list = (await dt.listAttendees(U.alice, id)).body.attendees;
    assert.deepEqual(list, [att(U.bob, 'declined'), att(U.carol, 'tentative'), att(U.dave)]);
    await dt.respond(U.bob, id, 'accepted');
    list = (await dt.listAttendees(U.alice, id)).body.attendees;
    assert.deepEqual(list, [att(U.bob, 'accepted'), att(U.carol, 'tentative'), att(U.dave)]);
    const ev = await dt.getEvent(U.alice, id);
    // The organizer's own status is untouched by attendee responses.
    assert.equal(ev.body.organizer.responseStatus, 'accepted');
    assert.deepEqual(ev.body.attendees, list);
  });

  it('listAttendees pages in order with nextToken absent on the last page', async () => {
    const people = [U.bob, U.carol, U.dave, U.erin, U.frank];
    const created = await dt.createEvent(U.alice, timedEventBody('Paging', people));
    const id = created.body.id;
    const p1 = await dt.listAttendees(U.alice, id, { maxResults: 2 });
    assert.deepEqual(ids(p1.body.attendees), people.slice(0, 2));
    assert.equal(typeof p1.body.nextToken, 'string');
    const p2 = await dt.listAttendees(U.alice, id, { maxResults: 2, nextToken: p1.body.nextToken });
    assert.deepEqual(ids(p2.body.attendees), people.slice(2, 4));
    assert.equal(typeof p2.body.nextToken, 'string');
    const p3 = await dt.listAttendees(U.alice, id, { maxResults: 2, nextToken: p2.body.nextToken });
    assert.deepEqual(ids(p3.body.attendees), people.slice(4));
    assert.equal(p3.body.nextToken, undefined);
    const all = await dt.listAttendees(U.alice, id, { maxResults: 5 });
    assert.deepEqual(ids(all.body.attendees), people);
    assert.equal(all.body.nextToken, undefined);
  });

  it('events show on the attendees primary calendars (getEvent/listEvents) and leave them on removal', async () => {
    const created = await dt.createEvent(U.grace, timedEventBody('Shown to attendees', [U.heidi, U.ivan]));
    const id = created.body.id;
    for (const who of [U.grace, U.heidi, U.ivan]) {
      const ev = await dt.getEvent(who, id);
      assert.equal(ev.body.id, id, `getEvent through ${who}`);
      const list = await dt.listAllEvents(who);
      assert.ok(ids(list).includes(id), `listEvents of ${who} should include the event`);
    }
    const judyBefore = await dt.listAllEvents(U.judy);
    assert.ok(!ids(judyBefore).includes(id), 'an unrelated user must not see the event in listEvents');
    await dt.removeAttendees(U.grace, id, [U.ivan]);
    assert.ok(!ids(await dt.listAllEvents(U.ivan)).includes(id), 'a removed attendee should no longer list the event');
    assert.ok(ids(await dt.listAllEvents(U.heidi)).includes(id));
  });

  it('patchEvent (PUT) changes the given fields and returns the event; attendees untouched', async () => {
    const created = await dt.createEvent(U.alice, seedEventBody(U.bob));
    const id = created.body.id;
    const res = await dt.patchEvent(U.alice, id, {
      summary: 'Renamed',
      description: 'New description',
      location: { displayName: 'Tower B, 2F' },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body.id, id);
    assert.equal(res.body.summary, 'Renamed');
    assert.equal(res.body.description, 'New description');
    assert.equal(res.body.location?.displayName, 'Tower B, 2F');
    const ev = (await dt.getEvent(U.alice, id)).body;
    assert.equal(ev.summary, 'Renamed');
    assert.equal(ev.description, 'New description');
    assert.equal(ev.location?.displayName, 'Tower B, 2F');
    // untouched fields
    assert.deepEqual(ev.start, { date: '2022-09-07' });
    assert.deepEqual(ev.recurrence, SEED_RECURRENCE);
    assert.deepEqual(ev.reminders, [{ method: 'dingtalk', minutes: '15' }]);
    assert.deepEqual(ev.attendees, [att(U.bob)]);
    assert.equal(ev.organizer.id, U.alice);
  });

  it('deleteEvent: the event is cancelled (or gone), hidden from listEvents, shown with showDeleted', async () => {
    const created = await dt.createEvent(U.frank, timedEventBody('To delete', [U.erin]));
    const id = created.body.id;
    assert.ok(ids(await dt.listAllEvents(U.frank)).includes(id));
    const del = await dt.deleteEvent(U.frank, id);
    assert.ok(del.statusCode! >= 200 && del.statusCode! < 300);

    const got = await settle(dt.getEvent(U.frank, id));
    if (got.ok) {
      assert.equal(got.value.body.status, 'cancelled');
    } else {
      assert.equal(got.error.code, 'itemNotFound', `getEvent after delete: ${got.error.message}`);
      assert.equal(got.error.statusCode, 404);
    }
    const visible = await dt.listAllEvents(U.frank);
    assert.ok(!ids(visible).includes(id), 'deleted event must not be in listEvents without showDeleted');
    const withDeleted = await dt.listAllEvents(U.frank, { showDeleted: true });
    const item = withDeleted.find((e) => e.id === id);
    assert.ok(item, 'deleted event must be in listEvents with showDeleted: true');
    assert.equal(item.status, 'cancelled');
    // The attendee's calendar does not list it either.
    assert.ok(!ids(await dt.listAllEvents(U.erin)).includes(id));
  });
});
