// The request examples of seeds 000 (RemoveAttendee), 002 (AddAttendee) and 003 (UnsubscribeCalendar) as written:
// same user ids, same bodies, same headers. Only the endpoint, the credentials and the event/calendar id
// (created first) differ. The seeds redact x-client-token as "******"; we send a fresh token per request,
// because one token reused for a different request is (correctly) an invalidParameter.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME, NAMES, SEED_USERS, U, buildDirectory } from './helpers/directory.ts';
import { Dt, expectDtError, getToken, ids, raw, timedEventBody, uniqueToken } from './helpers/dingtalk.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

let srv: KalendsServer;
let dt: Dt;
let token: string;

before(async () => {
  srv = await startServer({ directory: buildDirectory({ bulk: false }) });
  token = await getToken(srv.endpoint, ACME.app);
  dt = new Dt(srv.endpoint, token);
});

after(async () => {
  await srv?.cleanup();
});

const { iii, u5k, zxj } = SEED_USERS;

describe('seed 002: AddAttendee request example', () => {
  // POST /v1.0/calendar/users/U5KPwll3QjgiG/calendars/primary/events/<id>/attendees
  const SEED_002_BODY = `{
  "attendeesToAdd" : [ {
    "id" : "iiiP35sJadba8aBSgjrwPRKgiEiF",
    "isOptional" : false
  } ]
}`;

  it('raw HTTP exactly as written → 200, attendee added', async () => {
    const ev = await dt.createEvent(u5k, timedEventBody('Seed 002 raw'));
    const eventId = ev.body.id;
    const res = await raw(srv.baseUrl, 'POST', `/v1.0/calendar/users/${u5k}/calendars/primary/events/${eventId}/attendees`, {
      clientToken: uniqueToken('seed002'),
      token,
      headers: { 'Content-Type': 'application/json' },
      body: SEED_002_BODY,
    });
    assert.equal(res.status, 200, `seed 002 request: HTTP ${res.status} ${res.text}`);
    const list = await dt.listAttendees(u5k, eventId, { maxResults: 100 });
    assert.deepEqual(list.body.attendees, [
      { id: iii, displayName: NAMES[iii], responseStatus: 'needsAction', isOptional: false, self: false },
    ]);
    const got = await dt.getEvent(u5k, eventId);
    assert.equal(got.body.organizer.id, u5k);
  });

  it('the same example through the SDK (addAttendeeWithOptions, x-client-token) → resolves, attendee added', async () => {
    const ev = await dt.createEvent(u5k, timedEventBody('Seed 002 SDK'));
    const eventId = ev.body.id;
    const res = await dt.addAttendees(u5k, eventId, [{ id: iii, isOptional: false }], { clientToken: uniqueToken('seed002') });
    assert.equal(res.statusCode, 200);
    const list = await dt.listAttendees(u5k, eventId, { maxResults: 100 });
    assert.deepEqual(ids(list.body.attendees), [iii]);
    // The added attendee sees the event on their primary calendar.
    const asIii = await dt.getEvent(iii, eventId);
    assert.equal(asIii.body.id, eventId);
  });
});

describe('seed 000: RemoveAttendee request example (the organizer removes himself)', () => {
  // POST /v1.0/calendar/users/iiiP35sJadba8aBSgjrwPRKgiEiF/calendars/primary/events/<id>/attendees/batchRemove
  const SEED_000_BODY = `{
  "attendeesToRemove" : [ {
    "id" : "iiiP35sJadba8aBSgjrwPRKgiEiF"
  } ]
}`;

  it('raw HTTP exactly as written → 200, organizer and attendees unchanged', async () => {
    const ev = await dt.createEvent(iii, timedEventBody('Seed 000 raw', [u5k]));
    const eventId = ev.body.id;
    const before = await dt.getEvent(iii, eventId);
    const res = await raw(
      srv.baseUrl,
      'POST',
      `/v1.0/calendar/users/${iii}/calendars/primary/events/${eventId}/attendees/batchRemove`,
      { clientToken: uniqueToken('seed000'), token, headers: { 'Content-Type': 'application/json' }, body: SEED_000_BODY },
    );
    assert.equal(res.status, 200, `seed 000 request: HTTP ${res.status} ${res.text}`);
    const after = await dt.getEvent(iii, eventId);
    assert.deepEqual(after.body.organizer, { id: iii, displayName: NAMES[iii], responseStatus: 'accepted', self: true });
    assert.deepEqual(after.body.organizer, before.body.organizer);
    assert.deepEqual(after.body.attendees, before.body.attendees);
    assert.deepEqual(ids(after.body.attendees), [u5k]);
  });

  it('the same example through the SDK → resolves, organizer unchanged and still in charge', async () => {
    const ev = await dt.createEvent(iii, timedEventBody('Seed 000 SDK', [u5k]));
    const eventId = ev.body.id;
    const res = await dt.removeAttendees(iii, eventId, [iii], { clientToken: uniqueToken('seed000') });
    assert.equal(res.statusCode, 200);
    const after = await dt.getEvent(iii, eventId);
    assert.equal(after.body.organizer.id, iii);
    assert.equal(after.body.organizer.self, true);
    assert.deepEqual(ids(after.body.attendees), [u5k]);
    // Still the organizer: may still change attendees and the event.
    await dt.addAttendees(iii, eventId, [U.bob]);
    assert.deepEqual(ids((await dt.listAttendees(iii, eventId)).body.attendees), [u5k, U.bob]);
    const patched = await dt.patchEvent(iii, eventId, { summary: 'Still mine' });
    assert.equal(patched.body.summary, 'Still mine');
  });

  it('the organizer explicitly listed as attendee removes himself: 200 and still the organizer', async () => {
    const ev = await dt.createEvent(iii, timedEventBody('Seed 000 self-attendee', [iii, u5k]));
    const eventId = ev.body.id;
    const res = await dt.removeAttendees(iii, eventId, [iii], { clientToken: uniqueToken('seed000') });
    assert.equal(res.statusCode, 200);
    const after = await dt.getEvent(iii, eventId);
    assert.equal(after.body.organizer.id, iii);
    assert.ok(ids(after.body.attendees).includes(u5k));
  });

  it('the organizer removing an attendee in the same shape works (seed body, other id)', async () => {
    const ev = await dt.createEvent(iii, timedEventBody('Seed 000 other', [u5k, U.bob]));
    const eventId = ev.body.id;
    const res = await raw(
      srv.baseUrl,
      'POST',
      `/v1.0/calendar/users/${iii}/calendars/primary/events/${eventId}/attendees/batchRemove`,
      {
        clientToken: uniqueToken('seed000'),
        token,
        body: `{\n  "attendeesToRemove" : [ {\n    "id" : "${u5k}"\n  } ]\n}`,
      },
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(ids((await dt.listAttendees(iii, eventId)).body.attendees), [U.bob]);
  });
});

describe('seed 003: UnsubscribeCalendar request example', () => {
  let calendarId = '';

  before(async () => {
    const created = await dt.createSubscribed(U.alice, {
      name: 'Seed 003 public calendar',
      description: 'for the unsubscribe example',
      managers: [U.alice],
      subscribeScope: { unionIds: [zxj], corpIds: [], openConversationIds: [] },
    });
    calendarId = created.body.calendarId;
    assert.equal(typeof calendarId, 'string');
    assert.ok(calendarId.length > 0);
  });

  async function subscribedIds(userId: string): Promise<string[]> {
    const res = await dt.listCalendars(userId);
    return ((res.body.response?.calendars as any[]) ?? []).filter((c) => c.type === 'subscribed').map((c) => c.id);
  }

  it('raw HTTP exactly as written (POST, Content-Type: application/json, no body) → 200 {"result": true}', async () => {
    await dt.subscribe(zxj, calendarId);
    assert.ok((await subscribedIds(zxj)).includes(calendarId), 'subscribed calendar should be listed before unsubscribing');
    const res = await raw(srv.baseUrl, 'POST', `/v1.0/calendar/users/${zxj}/calendars/${calendarId}/unsubscribe`, {
      token,
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(res.status, 200, `seed 003 request: HTTP ${res.status} ${res.text}`);
    assert.equal(res.jsonError, null, `reply must be JSON: ${res.text}`);
    assert.deepEqual(res.json, { result: true });
    assert.ok(!(await subscribedIds(zxj)).includes(calendarId), 'unsubscribed calendar must leave listCalendars');
  });

  it('the same example through the SDK → {result: true}', async () => {
    await dt.subscribe(zxj, calendarId);
    const res = await dt.unsubscribe(zxj, calendarId);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.body, { result: true });
    assert.ok(!(await subscribedIds(zxj)).includes(calendarId));
  });

  it('error row: a user outside the subscription scope → 400 permissionDenied', async () => {
    await expectDtError(dt.unsubscribe(U.dave, calendarId), 400, 'permissionDenied');
  });

  it('error row: blank calendarId → 400 invalidParameter "calendarId cannot be blank"', async () => {
    await expectDtError(dt.unsubscribe(zxj, ''), 400, 'invalidParameter', 'calendarId cannot be blank');
    const spaced = await raw(srv.baseUrl, 'POST', `/v1.0/calendar/users/${zxj}/calendars/%20/unsubscribe`, { token });
    assert.equal(spaced.status, 400, spaced.text);
    assert.equal(spaced.json?.code, 'invalidParameter');
    assert.ok(String(spaced.json?.message).includes('calendarId cannot be blank'), spaced.text);
  });

  it('error row: not a subscribed calendar (the primary calendar) → 400 invalidParameter "calendar type invalid"', async () => {
    await expectDtError(dt.unsubscribe(zxj, 'primary'), 400, 'invalidParameter', 'calendar type invalid');
    const cals = await dt.listCalendars(zxj);
    const primary = (cals.body.response?.calendars as any[]).find((c) => c.type === 'primary');
    assert.ok(primary, 'listCalendars must include the primary calendar');
    await expectDtError(dt.unsubscribe(zxj, primary.id), 400, 'invalidParameter', 'calendar type invalid');
  });
});
