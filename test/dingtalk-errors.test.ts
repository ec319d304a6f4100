// Every error code of the contract, read back through the SDK's thrown error (code, statusCode, data).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME, G, GLOBEX, U, buildDirectory } from './helpers/directory.ts';
import {
  $OAuth,
  Dt,
  expectDtError,
  getToken,
  ids,
  oauthClient,
  plain,
  raw,
  timedEventBody,
} from './helpers/dingtalk.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

let srv: KalendsServer;
let dt: Dt;
let globex: Dt;
/** acme, Calendar.Event.Read only */
let ro: Dt;
/** acme, Calendar.Calendar.Read only */
let calRead: Dt;

let eventId = ''; // acme: alice organizes, bob + carol attend
let globexEventId = ''; // globex: gina organizes, gus attends
let subCalId = ''; // acme: alice's subscribed calendar, scope bob
let globexSubCalId = '';

before(async () => {
  srv = await startServer({ directory: buildDirectory({ bulk: false }) });
  dt = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
  globex = new Dt(srv.endpoint, await getToken(srv.endpoint, GLOBEX.app));
  ro = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.readApp));
  calRead = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.calReadApp));
  eventId = (await dt.createEvent(U.alice, timedEventBody('Errors fixture', [U.bob, U.carol]))).body.id;
  globexEventId = (await globex.createEvent(G.gina, timedEventBody('Globex fixture', [G.gus]))).body.id;
  subCalId = (
    await dt.createSubscribed(U.alice, {
      name: 'Acme public',
      description: 'd',
      managers: [U.alice],
      subscribeScope: { unionIds: [U.bob], corpIds: [], openConversationIds: [] },
    })
  ).body.calendarId;
  globexSubCalId = (
    await globex.createSubscribed(G.gina, {
      name: 'Globex public',
      description: 'd',
      managers: [G.gina],
      subscribeScope: { unionIds: [G.gus], corpIds: [], openConversationIds: [] },
    })
  ).body.calendarId;
});

after(async () => {
  await srv?.cleanup();
});

async function snapshot() {
  return {
    event: (await dt.getEvent(U.alice, eventId)).body,
    attendees: (await dt.listAttendees(U.alice, eventId, { maxResults: 500 })).body,
  };
}

describe('400 invalidClientIdOrSecret (getAccessToken)', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['wrong secret', { appKey: ACME.app.appKey, appSecret: 'wrong' }],
    ['unknown appKey', { appKey: 'ding_nobody', appSecret: 'whatever' }],
    ['another app’s secret', { appKey: ACME.app.appKey, appSecret: GLOBEX.app.appSecret }],
    ['a Feishu app’s credentials', { appKey: ACME.feishuApp.appId, appSecret: ACME.feishuApp.appSecret }],
  ];
  for (const [label, creds] of cases) {
    it(label, async () => {
      await expectDtError(
        oauthClient(srv.endpoint).getAccessToken(new $OAuth.GetAccessTokenRequest(creds)),
        400,
        'invalidClientIdOrSecret',
      );
    });
  }

  it('an app with no scopes listed gets a token that may do everything (all calendar scopes)', async () => {
    const all = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.defaultScopeApp));
    const ev = await all.createEvent(U.alice, timedEventBody('default scopes'));
    await all.addAttendees(U.alice, ev.body.id, [U.bob]);
    assert.deepEqual(ids((await all.listAttendees(U.alice, ev.body.id)).body.attendees), [U.bob]);
    const cals = await all.listCalendars(U.alice);
    assert.ok((cals.body.response?.calendars as any[]).some((c) => c.type === 'primary'));
  });
});

describe('401 InvalidAuthentication', () => {
  it('missing x-acs-dingtalk-access-token on every core operation', async () => {
    const none = dt.withToken(undefined);
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['createEvent', () => none.createEvent(U.alice, timedEventBody('x'))],
      ['getEvent', () => none.getEvent(U.alice, eventId)],
      ['listEvents', () => none.listEvents(U.alice)],
      ['patchEvent', () => none.patchEvent(U.alice, eventId, { summary: 'hijacked' })],
      ['deleteEvent', () => none.deleteEvent(U.alice, eventId)],
      ['addAttendee', () => none.addAttendees(U.alice, eventId, [U.dave])],
      ['removeAttendee', () => none.removeAttendees(U.alice, eventId, [U.bob])],
      ['listAttendees', () => none.listAttendees(U.alice, eventId)],
      ['respondEvent', () => none.respond(U.bob, eventId, 'declined')],
      ['listCalendars', () => none.listCalendars(U.alice)],
      ['subscribeCalendar', () => none.subscribe(U.bob, subCalId)],
      ['unsubscribeCalendar', () => none.unsubscribe(U.bob, subCalId)],
      ['createSubscribedCalendar', () => none.createSubscribed(U.alice, { name: 'n', subscribeScope: { unionIds: [U.bob] } })],
      ['getSubscribedCalendar', () => none.getSubscribed(U.alice, subCalId)],
      ['updateSubscribedCalendars', () => none.updateSubscribed(U.alice, subCalId, { name: 'hijacked' })],
      ['deleteSubscribedCalendar', () => none.deleteSubscribed(U.alice, subCalId)],
    ];
    const before = await snapshot();
    for (const [label, call] of calls) {
      await expectDtError(call(), 401, 'InvalidAuthentication').catch((e) => {
        throw new Error(`${label}: ${e.message}`);
      });
    }
    assert.deepEqual(await snapshot(), before);
    assert.equal((await dt.getSubscribed(U.alice, subCalId)).body.name, 'Acme public');
  });

  it('unknown token', async () => {
    const bogus = dt.withToken('0123456789abcdef0123456789abcdef');
    await expectDtError(bogus.getEvent(U.alice, eventId), 401, 'InvalidAuthentication');
    await expectDtError(bogus.addAttendees(U.alice, eventId, [U.dave]), 401, 'InvalidAuthentication');
    await expectDtError(bogus.listCalendars(U.alice), 401, 'InvalidAuthentication');
    await expectDtError(dt.withToken('').listAttendees(U.alice, eventId), 401, 'InvalidAuthentication');
  });

  it('a token is not an app secret and vice versa', async () => {
    await expectDtError(dt.withToken(ACME.app.appSecret).getEvent(U.alice, eventId), 401, 'InvalidAuthentication');
  });

  it('the error body is {code, message, requestid} JSON even on 401', async () => {
    const res = await raw(srv.baseUrl, 'GET', `/v1.0/calendar/users/${U.alice}/calendars/primary/events/${eventId}`);
    assert.equal(res.status, 401);
    assert.equal(res.json?.code, 'InvalidAuthentication');
    assert.equal(typeof res.json?.message, 'string');
    assert.equal(typeof res.json?.requestid, 'string');
  });
});

describe('403 Forbidden.AccessDenied.AccessTokenPermissionDenied (scopes)', () => {
  const FORBIDDEN = 'Forbidden.AccessDenied.AccessTokenPermissionDenied';

  it('Event.Read only: reads work, every Event.Write operation is denied and changes nothing', async () => {
    const before = await snapshot();
    // allowed
    assert.equal((await ro.getEvent(U.alice, eventId)).body.id, eventId);
    assert.ok(ids(await ro.listAllEvents(U.alice)).includes(eventId));
    assert.deepEqual(ids((await ro.listAttendees(U.alice, eventId)).body.attendees), [U.bob, U.carol]);
    // denied
    await expectDtError(ro.createEvent(U.alice, timedEventBody('ro')), 403, FORBIDDEN);
    await expectDtError(ro.patchEvent(U.alice, eventId, { summary: 'ro' }), 403, FORBIDDEN);
    await expectDtError(ro.deleteEvent(U.alice, eventId), 403, FORBIDDEN);
    await expectDtError(ro.addAttendees(U.alice, eventId, [U.dave]), 403, FORBIDDEN);
    await expectDtError(ro.removeAttendees(U.alice, eventId, [U.bob]), 403, FORBIDDEN);
    await expectDtError(ro.respond(U.bob, eventId, 'declined'), 403, FORBIDDEN);
    assert.deepEqual(await snapshot(), before);
  });

  it('Event.Read only: calendar operations (Calendar.Read / Calendar.Write) are denied', async () => {
    await expectDtError(ro.listCalendars(U.alice), 403, FORBIDDEN);
    await expectDtError(ro.getSubscribed(U.alice, subCalId), 403, FORBIDDEN);
    await expectDtError(ro.subscribe(U.bob, subCalId), 403, FORBIDDEN);
    await expectDtError(ro.unsubscribe(U.bob, subCalId), 403, FORBIDDEN);
    await expectDtError(
      ro.createSubscribed(U.alice, { name: 'ro', managers: [U.alice], subscribeScope: { unionIds: [U.bob] } }),
      403,
      FORBIDDEN,
    );
    await expectDtError(ro.updateSubscribed(U.alice, subCalId, { name: 'ro' }), 403, FORBIDDEN);
    await expectDtError(ro.deleteSubscribed(U.alice, subCalId), 403, FORBIDDEN);
    assert.equal((await dt.getSubscribed(U.alice, subCalId)).body.name, 'Acme public');
  });

  it('Calendar.Read only: listCalendars/getSubscribedCalendar work; event reads and calendar writes are denied', async () => {
    const cals = await calRead.listCalendars(U.alice);
    assert.ok((cals.body.response?.calendars as any[]).some((c) => c.type === 'primary'));
    assert.equal((await calRead.getSubscribed(U.alice, subCalId)).body.calendarId, subCalId);
    await expectDtError(calRead.getEvent(U.alice, eventId), 403, FORBIDDEN);
    await expectDtError(calRead.listEvents(U.alice), 403, FORBIDDEN);
    await expectDtError(calRead.listAttendees(U.alice, eventId), 403, FORBIDDEN);
    await expectDtError(calRead.subscribe(U.bob, subCalId), 403, FORBIDDEN);
    await expectDtError(calRead.unsubscribe(U.bob, subCalId), 403, FORBIDDEN);
    await expectDtError(
      calRead.createSubscribed(U.alice, { name: 'cr', managers: [U.alice], subscribeScope: { unionIds: [U.bob] } }),
      403,
      FORBIDDEN,
    );
    await expectDtError(calRead.updateSubscribed(U.alice, subCalId, { name: 'cr' }), 403, FORBIDDEN);
    await expectDtError(calRead.deleteSubscribed(U.alice, subCalId), 403, FORBIDDEN);
    await expectDtError(calRead.addAttendees(U.alice, eventId, [U.dave]), 403, FORBIDDEN);
  });
});

describe('400 invalidParameter', () => {
  it('attendee id that is unknown, inactive, or of another tenant: rejected as a whole', async () => {
    const before = await snapshot();
    await expectDtError(dt.addAttendees(U.alice, eventId, ['u_no_such_user']), 400, 'invalidParameter');
    await expectDtError(dt.addAttendees(U.alice, eventId, [U.zed]), 400, 'invalidParameter');
    await expectDtError(dt.addAttendees(U.alice, eventId, [G.gus]), 400, 'invalidParameter');
    await expectDtError(dt.addAttendees(U.alice, eventId, [U.dave, 'u_no_such_user']), 400, 'invalidParameter');
    assert.deepEqual(await snapshot(), before);
    await expectDtError(dt.createEvent(U.alice, timedEventBody('bad attendee', [U.zed])), 400, 'invalidParameter');
    await expectDtError(dt.createEvent(U.alice, timedEventBody('bad attendee', [G.gina])), 400, 'invalidParameter');
  });

  it('bad responseStatus', async () => {
    const before = await snapshot();
    for (const status of ['maybe', '']) {
      await expectDtError(dt.respond(U.bob, eventId, status), 400, 'invalidParameter');
    }
    assert.deepEqual(await snapshot(), before);
  });

  it('listAttendees maxResults above 500', async () => {
    await expectDtError(dt.listAttendees(U.alice, eventId, { maxResults: 501 }), 400, 'invalidParameter');
  });

  it('createEvent without summary / start / end', async () => {
    const base = timedEventBody('missing');
    const { summary: _s, ...noSummary } = base;
    const { start: _st, ...noStart } = base;
    const { end: _e, ...noEnd } = base;
    await expectDtError(dt.createEvent(U.alice, noSummary), 400, 'invalidParameter');
    await expectDtError(dt.createEvent(U.alice, noStart), 400, 'invalidParameter');
    await expectDtError(dt.createEvent(U.alice, noEnd), 400, 'invalidParameter');
  });

  it('unsubscribe: blank calendarId and a calendar that is not a subscribed calendar', async () => {
    await expectDtError(dt.unsubscribe(U.bob, ''), 400, 'invalidParameter', 'calendarId cannot be blank');
    await expectDtError(dt.unsubscribe(U.bob, 'primary'), 400, 'invalidParameter', 'calendar type invalid');
  });
});

describe('404 itemNotFound (unknown, or another tenant’s)', () => {
  it('unknown event', async () => {
    await expectDtError(dt.getEvent(U.alice, 'no-such-event'), 404, 'itemNotFound');
    await expectDtError(dt.addAttendees(U.alice, 'no-such-event', [U.bob]), 404, 'itemNotFound');
    await expectDtError(dt.removeAttendees(U.alice, 'no-such-event', [U.bob]), 404, 'itemNotFound');
    await expectDtError(dt.listAttendees(U.alice, 'no-such-event'), 404, 'itemNotFound');
    await expectDtError(dt.patchEvent(U.alice, 'no-such-event', { summary: 'x' }), 404, 'itemNotFound');
    await expectDtError(dt.deleteEvent(U.alice, 'no-such-event'), 404, 'itemNotFound');
    await expectDtError(dt.respond(U.bob, 'no-such-event', 'accepted'), 404, 'itemNotFound');
  });

  it('listEvents with timeMin and timeMax more than a year apart ("最大差值为一年")', async () => {
    await expectDtError(dt.listEvents(U.alice, { timeMin: '2031-01-01T00:00:00+08:00', timeMax: '2032-01-01T00:00:01+08:00' }), 400, 'invalidParameter');
    const year = await dt.listEvents(U.alice, { timeMin: '2031-01-01T00:00:00+08:00', timeMax: '2032-01-01T00:00:00+08:00' });
    assert.ok(Array.isArray(year.body.events));
  });

  it('unknown user', async () => {
    await expectDtError(dt.createEvent('u_no_such_user', timedEventBody('x')), 404, 'itemNotFound');
    await expectDtError(dt.getEvent('u_no_such_user', eventId), 404, 'itemNotFound');
    await expectDtError(dt.listEvents('u_no_such_user'), 404, 'itemNotFound');
    await expectDtError(dt.listCalendars('u_no_such_user'), 404, 'itemNotFound');
    await expectDtError(dt.listAttendees('u_no_such_user', eventId), 404, 'itemNotFound');
  });

  it('unknown calendar', async () => {
    await expectDtError(dt.createEvent(U.alice, timedEventBody('x'), { calendarId: 'no-such-calendar' }), 404, 'itemNotFound');
    await expectDtError(dt.listEvents(U.alice, {}, { calendarId: 'no-such-calendar' }), 404, 'itemNotFound');
    await expectDtError(dt.getSubscribed(U.alice, 'no-such-calendar'), 404, 'itemNotFound');
    await expectDtError(dt.subscribe(U.bob, 'no-such-calendar'), 404, 'itemNotFound');
    await expectDtError(dt.deleteSubscribed(U.alice, 'no-such-calendar'), 404, 'itemNotFound');
    await expectDtError(dt.updateSubscribed(U.alice, 'no-such-calendar', { name: 'x' }), 404, 'itemNotFound');
  });

  it('another tenant’s users look exactly like unknown users', async () => {
    const unknown = await expectDtError(dt.listCalendars('u_no_such_user'), 404, 'itemNotFound');
    const foreign = await expectDtError(dt.listCalendars(G.gina), 404, 'itemNotFound');
    assert.equal(foreign.statusCode, unknown.statusCode);
    await expectDtError(dt.createEvent(G.gina, timedEventBody('x')), 404, 'itemNotFound');
    await expectDtError(dt.listEvents(G.gina), 404, 'itemNotFound');
    await expectDtError(dt.getEvent(G.gina, globexEventId), 404, 'itemNotFound');
    await expectDtError(dt.listAttendees(G.gina, globexEventId), 404, 'itemNotFound');
    await expectDtError(dt.addAttendees(G.gina, globexEventId, [G.gus]), 404, 'itemNotFound');
    await expectDtError(dt.respond(G.gus, globexEventId, 'declined'), 404, 'itemNotFound');
  });

  it('another tenant’s events look exactly like unknown events (through own users)', async () => {
    await expectDtError(dt.getEvent(U.alice, globexEventId), 404, 'itemNotFound');
    await expectDtError(dt.listAttendees(U.alice, globexEventId), 404, 'itemNotFound');
    await expectDtError(dt.addAttendees(U.alice, globexEventId, [U.bob]), 404, 'itemNotFound');
    await expectDtError(dt.removeAttendees(U.alice, globexEventId, [U.bob]), 404, 'itemNotFound');
    await expectDtError(dt.patchEvent(U.alice, globexEventId, { summary: 'stolen' }), 404, 'itemNotFound');
    await expectDtError(dt.deleteEvent(U.alice, globexEventId), 404, 'itemNotFound');
    const g = await globex.getEvent(G.gina, globexEventId);
    assert.equal(g.body.summary, 'Globex fixture');
    assert.deepEqual(ids(g.body.attendees), [G.gus]);
    assert.notEqual(g.body.status, 'cancelled');
    // and the other way round
    await expectDtError(globex.getEvent(G.gina, eventId), 404, 'itemNotFound');
    await expectDtError(globex.getEvent(U.alice, eventId), 404, 'itemNotFound');
  });

  it('another tenant’s subscribed calendars look like unknown calendars', async () => {
    await expectDtError(dt.getSubscribed(U.alice, globexSubCalId), 404, 'itemNotFound');
    await expectDtError(dt.subscribe(U.bob, globexSubCalId), 404, 'itemNotFound');
    await expectDtError(dt.updateSubscribed(U.alice, globexSubCalId, { name: 'stolen' }), 404, 'itemNotFound');
    await expectDtError(dt.deleteSubscribed(U.alice, globexSubCalId), 404, 'itemNotFound');
    await expectDtError(globex.getSubscribed(G.gina, subCalId), 404, 'itemNotFound');
    assert.equal((await globex.getSubscribed(G.gina, globexSubCalId)).body.name, 'Globex public');
  });
});

describe('400 permissionDenied (acting user may not do it)', () => {
  it('an attendee who is not the organizer may not patch the event or change attendees', async () => {
    const before = await snapshot();
    await expectDtError(dt.patchEvent(U.bob, eventId, { summary: 'bob was here' }), 400, 'permissionDenied');
    await expectDtError(dt.addAttendees(U.bob, eventId, [U.dave]), 400, 'permissionDenied');
    await expectDtError(dt.removeAttendees(U.bob, eventId, [U.carol]), 400, 'permissionDenied');
    assert.deepEqual(await snapshot(), before);
  });

  it('responding when not an attendee', async () => {
    // The invitation is what puts the event on dave's primary calendar; without it the event
    // is not on the calendar he answers through, exactly as for any event he cannot see.
    const before = await snapshot();
    await expectDtError(dt.respond(U.dave, eventId, 'accepted'), 404, 'itemNotFound');
    assert.deepEqual(await snapshot(), before);
  });

  it('subscribing / unsubscribing outside the subscribeScope', async () => {
    await expectDtError(dt.subscribe(U.dave, subCalId), 400, 'permissionDenied');
    await expectDtError(dt.unsubscribe(U.dave, subCalId), 400, 'permissionDenied');
    const cals = (await dt.listCalendars(U.dave)).body.response?.calendars as any[];
    assert.ok(!cals.some((c) => c.id === subCalId));
  });
});

describe('the SDK error carries the whole body', () => {
  it('err.data = {code, message, requestid, statusCode}', async () => {
    const err = await expectDtError(dt.getEvent(U.alice, 'no-such-event'), 404, 'itemNotFound');
    const data = plain(err.data);
    assert.equal(data.code, 'itemNotFound');
    assert.equal(data.statusCode, 404);
    assert.ok(String(data.requestid).length > 0);
    assert.ok(err.message.includes('itemNotFound'));
  });
});
