// Bad-input sweep with raw fetch over every DingTalk route: wrong types, missing required fields, malformed JSON,
// empty bodies, 10 MB bodies, unknown ids, another tenant's ids. Every reply must be < 500 with a JSON
// {code, message, requestid} body, and the fixture data must be unchanged afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME, G, GLOBEX, U, buildDirectory } from './helpers/directory.ts';
import { Dt, assertErrorShape, getToken, raw, seedEventBody, timedEventBody } from './helpers/dingtalk.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

let srv: KalendsServer;
let dt: Dt;
let globex: Dt;
let token = '';

let E = ''; // alice organizes; bob (accepted) + carol attend
let E2 = ''; // alice organizes; used by deleteEvent cases
let GE = ''; // globex event
let S = ''; // acme subscribed calendar, scope bob; bob subscribed
let GS = ''; // globex subscribed calendar

before(async () => {
  srv = await startServer({ directory: buildDirectory({ bulk: false }) });
  token = await getToken(srv.endpoint, ACME.app);
  dt = new Dt(srv.endpoint, token);
  globex = new Dt(srv.endpoint, await getToken(srv.endpoint, GLOBEX.app));
  E = (await dt.createEvent(U.alice, seedEventBody(U.bob))).body.id;
  await dt.addAttendees(U.alice, E, [U.carol]);
  await dt.respond(U.bob, E, 'accepted');
  E2 = (await dt.createEvent(U.alice, timedEventBody('E2', [U.dave]))).body.id;
  GE = (await globex.createEvent(G.gina, timedEventBody('Globex event', [G.gus]))).body.id;
  S = (
    await dt.createSubscribed(U.alice, {
      name: 'Sweep public',
      description: 'd',
      managers: [U.alice],
      subscribeScope: { unionIds: [U.bob], corpIds: [], openConversationIds: [] },
    })
  ).body.calendarId;
  await dt.subscribe(U.bob, S);
  GS = (
    await globex.createSubscribed(G.gina, {
      name: 'Globex public',
      managers: [G.gina],
      subscribeScope: { unionIds: [G.gus], corpIds: [], openConversationIds: [] },
    })
  ).body.calendarId;
  baseline = await snapshot();
});

after(async () => {
  await srv?.cleanup();
});

let baseline: unknown;
async function snapshot() {
  return {
    event: (await dt.getEvent(U.alice, E)).body,
    attendees: (await dt.listAttendees(U.alice, E, { maxResults: 500 })).body,
    attendeesAsBob: (await dt.listAttendees(U.bob, E, { maxResults: 500 })).body,
    event2: (await dt.getEvent(U.alice, E2)).body,
    sub: (await dt.getSubscribed(U.alice, S)).body,
    bobCalendars: (await dt.listCalendars(U.bob)).body,
    globexEvent: (await globex.getEvent(G.gina, GE)).body,
    globexSub: (await globex.getSubscribed(G.gina, GS)).body,
  };
}

const TEN_MB = 10 * 1024 * 1024;
const hugeJson = (field: string) => `{"${field}":"${'x'.repeat(TEN_MB)}"}`;
const hugeGarbage = () => 'z'.repeat(TEN_MB);

interface Case {
  label: string;
  method: string;
  path: string;
  body?: string | object;
  headers?: Record<string, string>;
  /** default: the acme token; null = no token header */
  token?: string | null;
  /** '4xx' (default): must be rejected. 'any': may succeed, but an error must have the right shape. */
  expect?: '4xx' | 'any';
}

const MALFORMED = '{"summary": "oops",';

async function runCases(cases: Case[]): Promise<void> {
  const failures: string[] = [];
  for (const c of cases) {
    const label = `${c.method} ${c.path.slice(0, 120)} [${c.label}]`;
    try {
      const opts: NonNullable<Parameters<typeof raw>[3]> = {};
      if (c.token !== null) opts.token = c.token ?? token;
      if (c.body !== undefined) opts.body = c.body;
      if (c.headers) opts.headers = c.headers;
      const res = await raw(srv.baseUrl, c.method, c.path, opts);
      if ((c.expect ?? '4xx') === '4xx') {
        assert.ok(res.status >= 400 && res.status < 500, `${label}: expected a 4xx, got HTTP ${res.status} ${res.text.slice(0, 200)}`);
      }
      if (res.status >= 400) assertErrorShape(res, label);
      else assert.ok(res.status < 300, `${label}: unexpected HTTP ${res.status}`);
    } catch (e) {
      failures.push(e instanceof assert.AssertionError ? e.message : `${label}: request failed: ${String(e)}`);
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${cases.length} cases failed:\n${failures.join('\n')}`);
}

async function assertUnchanged(): Promise<void> {
  assert.deepEqual(await snapshot(), baseline, 'fixture data changed after bad input');
}

const ev = (user: string, calendar = 'primary') => `/v1.0/calendar/users/${user}/calendars/${calendar}/events`;

describe('bad input never yields a 5xx or a non-JSON error, and changes nothing', () => {
  it('POST /v1.0/oauth2/accessToken', async () => {
    const p = '/v1.0/oauth2/accessToken';
    await runCases([
      { label: 'empty object', method: 'POST', path: p, body: {}, token: null },
      { label: 'numbers', method: 'POST', path: p, body: { appKey: 123, appSecret: 456 }, token: null },
      { label: 'array appKey', method: 'POST', path: p, body: { appKey: ['ding_acme'], appSecret: 'x' }, token: null },
      { label: 'null appKey', method: 'POST', path: p, body: { appKey: null, appSecret: null }, token: null },
      { label: 'malformed', method: 'POST', path: p, body: '{"appKey":', token: null },
      { label: 'empty body', method: 'POST', path: p, body: '', token: null },
      { label: 'array body', method: 'POST', path: p, body: '[]', token: null },
      { label: 'null body', method: 'POST', path: p, body: 'null', token: null },
      { label: 'string body', method: 'POST', path: p, body: '"ding_acme"', token: null },
      { label: 'no body at all', method: 'POST', path: p, token: null },
      { label: '10 MB JSON', method: 'POST', path: p, body: hugeJson('appKey'), token: null },
      { label: '10 MB garbage', method: 'POST', path: p, body: hugeGarbage(), token: null },
      { label: 'GET instead of POST', method: 'GET', path: p, token: null },
    ]);
  });

  it('POST /v1.0/oauth2/userAccessToken and createEventByMe (POST /v1.0/calendar/me/calendars/{calendarId}/events)', async () => {
    const p = '/v1.0/oauth2/userAccessToken';
    const c = { clientId: ACME.app.appKey, clientSecret: ACME.app.appSecret };
    const login = new URLSearchParams({ redirect_uri: 'https://app.example/cb', response_type: 'code', client_id: ACME.app.appKey, scope: 'openid', login_hint: U.alice });
    const code = new URL((await fetch(`${srv.baseUrl}/oauth2/auth?${login}`, { redirect: 'manual' })).headers.get('location')!).searchParams.get('authCode')!;
    const signedIn = await raw(srv.baseUrl, 'POST', p, { body: { ...c, code, grantType: 'authorization_code' } });
    assert.equal(signedIn.status, 200, signedIn.text);
    const userToken = JSON.parse(signedIn.text).accessToken as string;
    const me = '/v1.0/calendar/me/calendars/primary/events';
    const ok = timedEventBody('by me');
    await runCases([
      { label: 'empty object', method: 'POST', path: p, body: {}, token: null },
      { label: 'no grantType', method: 'POST', path: p, body: { ...c, code: 'x' }, token: null },
      { label: 'grantType password', method: 'POST', path: p, body: { ...c, code: 'x', grantType: 'password' }, token: null },
      { label: 'no code', method: 'POST', path: p, body: { ...c, grantType: 'authorization_code' }, token: null },
      { label: 'no refreshToken', method: 'POST', path: p, body: { ...c, grantType: 'refresh_token' }, token: null },
      { label: 'code number', method: 'POST', path: p, body: { ...c, code: 123, grantType: 'authorization_code' }, token: null },
      { label: 'unknown code', method: 'POST', path: p, body: { ...c, code: 'no-such-code', grantType: 'authorization_code' }, token: null },
      { label: 'used code', method: 'POST', path: p, body: { ...c, code, grantType: 'authorization_code' }, token: null },
      { label: 'unknown refreshToken', method: 'POST', path: p, body: { ...c, refreshToken: 'nope', grantType: 'refresh_token' }, token: null },
      { label: 'wrong secret', method: 'POST', path: p, body: { ...c, clientSecret: 'x', code: 'x', grantType: 'authorization_code' }, token: null },
      { label: 'other tenant app', method: 'POST', path: p, body: { ...GLOBEX.app, clientId: GLOBEX.app.appKey, clientSecret: GLOBEX.app.appSecret, code: 'x', grantType: 'authorization_code' }, token: null },
      { label: 'malformed', method: 'POST', path: p, body: '{"clientId":', token: null },
      { label: 'empty body', method: 'POST', path: p, body: '', token: null },
      { label: '10 MB JSON', method: 'POST', path: p, body: hugeJson('code'), token: null },
      { label: 'me: app token', method: 'POST', path: me, body: ok },
      { label: 'me: no token', method: 'POST', path: me, body: ok, token: null },
      { label: 'me: empty object', method: 'POST', path: me, body: {}, token: userToken },
      { label: 'me: summary number', method: 'POST', path: me, body: { ...ok, summary: 1 }, token: userToken },
      { label: 'me: attendee other tenant', method: 'POST', path: me, body: { ...ok, attendees: [{ id: G.gus }] }, token: userToken },
      { label: 'me: unknown calendar', method: 'POST', path: '/v1.0/calendar/me/calendars/no-such-calendar/events', body: ok, token: userToken },
      { label: 'me: malformed', method: 'POST', path: me, body: MALFORMED, token: userToken },
      { label: 'users/{other}: user token', method: 'POST', path: ev(U.bob), body: ok, token: userToken },
      { label: 'users/{other tenant}: user token', method: 'POST', path: ev(G.gina), body: ok, token: userToken },
    ]);
    await assertUnchanged();
  });

  it('createEvent (POST …/events)', async () => {
    const p = ev(U.alice);
    const ok = timedEventBody('ok');
    await runCases([
      { label: 'empty object', method: 'POST', path: p, body: {} },
      { label: 'summary number', method: 'POST', path: p, body: { ...ok, summary: 123 } },
      { label: 'summary object', method: 'POST', path: p, body: { ...ok, summary: { a: 1 } } },
      { label: 'no summary', method: 'POST', path: p, body: { start: ok.start, end: ok.end } },
      { label: 'no start', method: 'POST', path: p, body: { summary: 'x', end: ok.end } },
      { label: 'no end', method: 'POST', path: p, body: { summary: 'x', start: ok.start } },
      { label: 'start string', method: 'POST', path: p, body: { ...ok, start: 'tomorrow' } },
      { label: 'start empty', method: 'POST', path: p, body: { ...ok, start: {} } },
      { label: 'start bad date', method: 'POST', path: p, body: { ...ok, start: { date: 'not-a-date' }, isAllDay: true } },
      { label: 'start bad dateTime', method: 'POST', path: p, body: { ...ok, start: { dateTime: 'yesterday-ish', timeZone: 'Asia/Shanghai' } } },
      { label: 'bad timeZone', method: 'POST', path: p, body: { ...ok, start: { dateTime: '2031-03-04T10:00:00+08:00', timeZone: 'Mars/Olympus' } } },
      { label: 'attendees string', method: 'POST', path: p, body: { ...ok, attendees: 'u_bob' } },
      { label: 'attendees numbers', method: 'POST', path: p, body: { ...ok, attendees: [1, 2] } },
      { label: 'attendee id number', method: 'POST', path: p, body: { ...ok, attendees: [{ id: 123 }] } },
      { label: 'attendee unknown', method: 'POST', path: p, body: { ...ok, attendees: [{ id: 'u_nobody' }] } },
      { label: 'attendee other tenant', method: 'POST', path: p, body: { ...ok, attendees: [{ id: G.gus }] } },
      { label: 'attendee inactive', method: 'POST', path: p, body: { ...ok, attendees: [{ id: U.zed }] } },
      { label: '501 attendees', method: 'POST', path: p, body: { ...ok, attendees: Array.from({ length: 501 }, (_, i) => ({ id: `u_x${i}` })) } },
      { label: 'reminders string', method: 'POST', path: p, body: { ...ok, reminders: 'soon' } },
      { label: 'reminder minutes text', method: 'POST', path: p, body: { ...ok, reminders: [{ method: 'dingtalk', minutes: 'abc' }] } },
      { label: 'recurrence string', method: 'POST', path: p, body: { ...ok, recurrence: 'daily' } },
      { label: 'recurrence bad type', method: 'POST', path: p, body: { ...ok, recurrence: { pattern: { type: 'bogus', interval: 1 }, range: { type: 'noEnd' } } } },
      { label: 'recurrence interval text', method: 'POST', path: p, body: { ...ok, recurrence: { pattern: { type: 'daily', interval: 'often' }, range: { type: 'noEnd' } } } },
      { label: 'isAllDay text', method: 'POST', path: p, body: { ...ok, isAllDay: 'yes' } },
      { label: 'location string', method: 'POST', path: p, body: { ...ok, location: 'Tower A' } },
      { label: 'onlineMeetingInfo string', method: 'POST', path: p, body: { ...ok, onlineMeetingInfo: 'dingtalk' } },
      { label: 'extra string', method: 'POST', path: p, body: { ...ok, extra: 'x' } },
      { label: 'malformed', method: 'POST', path: p, body: MALFORMED },
      { label: 'NUL in summary', method: 'POST', path: p, body: JSON.stringify({ ...ok, summary: 'a\u0000b' }) },
      { label: 'empty body', method: 'POST', path: p, body: '' },
      { label: 'no body at all', method: 'POST', path: p },
      { label: 'array body', method: 'POST', path: p, body: [ok] },
      { label: 'null body', method: 'POST', path: p, body: 'null' },
      { label: '10 MB JSON', method: 'POST', path: p, body: hugeJson('summary') },
      { label: '10 MB garbage', method: 'POST', path: p, body: hugeGarbage() },
      { label: 'unknown user', method: 'POST', path: ev('u_nobody'), body: ok },
      { label: 'other tenant user', method: 'POST', path: ev(G.gina), body: ok },
      { label: 'unknown calendar', method: 'POST', path: ev(U.alice, 'no-such-calendar'), body: ok },
      { label: 'text/plain body', method: 'POST', path: p, body: JSON.stringify(ok), headers: { 'content-type': 'text/plain' }, expect: 'any' },
    ]);
    await assertUnchanged();
  });

  it('getEvent (GET …/events/{id})', async () => {
    await runCases([
      { label: 'unknown event', method: 'GET', path: `${ev(U.alice)}/no-such-event` },
      { label: 'other tenant event', method: 'GET', path: `${ev(U.alice)}/${GE}` },
      { label: 'other tenant user', method: 'GET', path: `${ev(G.gina)}/${GE}` },
      { label: 'unknown user', method: 'GET', path: `${ev('u_nobody')}/${E}` },
      { label: 'NUL in the user id', method: 'GET', path: `${ev('u_al%00ice')}/${E}` },
      { label: 'NUL in the event id', method: 'GET', path: `${ev(U.alice)}/${E}%00` },
      { label: 'unknown calendar', method: 'GET', path: `${ev(U.alice, 'no-such-calendar')}/${E}` },
      { label: 'maxAttendees text', method: 'GET', path: `${ev(U.alice)}/${E}?maxAttendees=abc` },
      { label: 'maxAttendees negative', method: 'GET', path: `${ev(U.alice)}/${E}?maxAttendees=-1`, expect: 'any' },
      { label: 'no token', method: 'GET', path: `${ev(U.alice)}/${E}`, token: null },
      { label: 'wrong token', method: 'GET', path: `${ev(U.alice)}/${E}`, token: 'not-a-token' },
    ]);
    await assertUnchanged();
  });

  it('listEvents (GET …/events)', async () => {
    const p = ev(U.alice);
    await runCases([
      { label: 'maxResults text', method: 'GET', path: `${p}?maxResults=abc` },
      { label: 'maxResults negative', method: 'GET', path: `${p}?maxResults=-5` },
      { label: 'showDeleted text', method: 'GET', path: `${p}?showDeleted=maybe` },
      { label: 'timeMin bad', method: 'GET', path: `${p}?timeMin=notadate` },
      { label: 'timeMax bad', method: 'GET', path: `${p}?timeMax=notadate` },
      { label: 'window over a year', method: 'GET', path: `${p}?timeMin=2031-01-01T00:00:00Z&timeMax=2032-01-01T00:00:01Z` },
      { label: 'window from 0001 to 9999', method: 'GET', path: `${p}?timeMin=0001-01-01T00:00:00Z&timeMax=9999-12-31T00:00:00Z` },
      { label: 'nextToken garbage', method: 'GET', path: `${p}?nextToken=%%%garbage%%%` },
      { label: 'syncToken garbage', method: 'GET', path: `${p}?syncToken=garbage`, expect: 'any' },
      { label: 'unknown user', method: 'GET', path: ev('u_nobody') },
      { label: 'other tenant user', method: 'GET', path: ev(G.gina) },
      { label: 'unknown calendar', method: 'GET', path: ev(U.alice, 'no-such-calendar') },
    ]);
    // "timeMin 和 timeMax 最大差值为一年": a year to the second is still one.
    const year = await raw(srv.baseUrl, 'GET', `${p}?timeMin=2031-01-01T00:00:00Z&timeMax=2032-01-01T00:00:00Z`, { token });
    assert.equal(year.status, 200, year.text);
    await assertUnchanged();
  });

  it('patchEvent (PUT …/events/{id})', async () => {
    const p = `${ev(U.alice)}/${E}`;
    await runCases([
      { label: 'summary number', method: 'PUT', path: p, body: { id: E, summary: 123 } },
      { label: 'start string', method: 'PUT', path: p, body: { id: E, start: 'tomorrow' } },
      { label: 'start bad date', method: 'PUT', path: p, body: { id: E, start: { date: '2022-13-45' } } },
      { label: 'attendees string', method: 'PUT', path: p, body: { id: E, attendees: 'u_dave' } },
      { label: 'attendee unknown', method: 'PUT', path: p, body: { id: E, attendees: [{ id: 'u_nobody' }] } },
      { label: 'attendee other tenant', method: 'PUT', path: p, body: { id: E, attendees: [{ id: G.gus }] } },
      { label: 'reminders string', method: 'PUT', path: p, body: { id: E, reminders: 'soon' } },
      { label: 'isAllDay text', method: 'PUT', path: p, body: { id: E, isAllDay: 'yes' } },
      { label: 'location number', method: 'PUT', path: p, body: { id: E, location: 5 } },
      { label: 'recurrence bad', method: 'PUT', path: p, body: { id: E, recurrence: { pattern: { type: 'bogus' } } } },
      { label: 'id number', method: 'PUT', path: p, body: { id: 123, summary: 'x' } },
      { label: 'malformed', method: 'PUT', path: p, body: MALFORMED },
      { label: 'empty body', method: 'PUT', path: p, body: '' },
      { label: 'array body', method: 'PUT', path: p, body: '[]' },
      { label: '10 MB JSON', method: 'PUT', path: p, body: hugeJson('summary') },
      { label: '10 MB garbage', method: 'PUT', path: p, body: hugeGarbage() },
      { label: 'as an attendee (bob)', method: 'PUT', path: `${ev(U.bob)}/${E}`, body: { id: E, summary: 'bob' } },
      { label: 'unknown event', method: 'PUT', path: `${ev(U.alice)}/no-such-event`, body: { id: 'no-such-event', summary: 'x' } },
      { label: 'other tenant event', method: 'PUT', path: `${ev(U.alice)}/${GE}`, body: { id: GE, summary: 'x' } },
      { label: 'other tenant user', method: 'PUT', path: `${ev(G.gina)}/${GE}`, body: { id: GE, summary: 'x' } },
      { label: 'no token', method: 'PUT', path: p, body: { id: E, summary: 'x' }, token: null },
    ]);
    await assertUnchanged();
  });

  it('deleteEvent (DELETE …/events/{id})', async () => {
    await runCases([
      { label: 'unknown event', method: 'DELETE', path: `${ev(U.alice)}/no-such-event` },
      { label: 'other tenant event', method: 'DELETE', path: `${ev(U.alice)}/${GE}` },
      { label: 'other tenant user', method: 'DELETE', path: `${ev(G.gina)}/${GE}` },
      { label: 'unknown user', method: 'DELETE', path: `${ev('u_nobody')}/${E2}` },
      { label: 'pushNotification text', method: 'DELETE', path: `${ev(U.alice)}/${E2}?pushNotification=maybe` },
      { label: 'no token', method: 'DELETE', path: `${ev(U.alice)}/${E2}`, token: null },
      { label: 'wrong token', method: 'DELETE', path: `${ev(U.alice)}/${E2}`, token: 'nope' },
    ]);
    await assertUnchanged();
  });

  it('addAttendee (POST …/attendees)', async () => {
    const p = `${ev(U.alice)}/${E}/attendees`;
    await runCases([
      { label: 'empty object', method: 'POST', path: p, body: {} },
      { label: 'attendeesToAdd string', method: 'POST', path: p, body: { attendeesToAdd: 'u_dave' } },
      { label: 'attendeesToAdd object', method: 'POST', path: p, body: { attendeesToAdd: { id: U.dave } } },
      { label: 'attendeesToAdd numbers', method: 'POST', path: p, body: { attendeesToAdd: [1] } },
      { label: 'id number', method: 'POST', path: p, body: { attendeesToAdd: [{ id: 123 }] } },
      { label: 'unknown user', method: 'POST', path: p, body: { attendeesToAdd: [{ id: 'u_nobody' }] } },
      { label: 'other tenant user', method: 'POST', path: p, body: { attendeesToAdd: [{ id: G.gus }] } },
      { label: 'inactive user', method: 'POST', path: p, body: { attendeesToAdd: [{ id: U.zed }] } },
      { label: 'valid + unknown', method: 'POST', path: p, body: { attendeesToAdd: [{ id: U.dave }, { id: 'u_nobody' }] } },
      { label: 'isOptional text', method: 'POST', path: p, body: { attendeesToAdd: [{ id: U.dave, isOptional: 'yes' }] } },
      { label: 'chatNotification text', method: 'POST', path: p, body: { attendeesToAdd: [{ id: U.dave }], chatNotification: 'loud' } },
      { label: '501 entries', method: 'POST', path: p, body: { attendeesToAdd: Array.from({ length: 501 }, (_, i) => ({ id: `u_x${i}` })) } },
      { label: 'malformed', method: 'POST', path: p, body: MALFORMED },
      { label: 'empty body', method: 'POST', path: p, body: '' },
      { label: 'no body at all', method: 'POST', path: p },
      { label: '10 MB JSON', method: 'POST', path: p, body: hugeJson('attendeesToAdd') },
      { label: '10 MB garbage', method: 'POST', path: p, body: hugeGarbage() },
      { label: 'as an attendee (bob)', method: 'POST', path: `${ev(U.bob)}/${E}/attendees`, body: { attendeesToAdd: [{ id: U.dave }] } },
      { label: 'unknown event', method: 'POST', path: `${ev(U.alice)}/no-such-event/attendees`, body: { attendeesToAdd: [{ id: U.dave }] } },
      { label: 'other tenant event', method: 'POST', path: `${ev(U.alice)}/${GE}/attendees`, body: { attendeesToAdd: [{ id: U.dave }] } },
      { label: 'other tenant user path', method: 'POST', path: `${ev(G.gina)}/${GE}/attendees`, body: { attendeesToAdd: [{ id: G.gus }] } },
    ]);
    await assertUnchanged();
  });

  it('listAttendees (GET …/attendees)', async () => {
    const p = `${ev(U.alice)}/${E}/attendees`;
    await runCases([
      { label: 'maxResults text', method: 'GET', path: `${p}?maxResults=abc` },
      { label: 'maxResults 501', method: 'GET', path: `${p}?maxResults=501` },
      { label: 'maxResults negative', method: 'GET', path: `${p}?maxResults=-1` },
      { label: 'maxResults zero', method: 'GET', path: `${p}?maxResults=0`, expect: 'any' },
      { label: 'nextToken garbage', method: 'GET', path: `${p}?nextToken=%%%garbage%%%` },
      { label: 'unknown event', method: 'GET', path: `${ev(U.alice)}/no-such-event/attendees` },
      { label: 'other tenant event', method: 'GET', path: `${ev(U.alice)}/${GE}/attendees` },
      { label: 'other tenant user', method: 'GET', path: `${ev(G.gina)}/${GE}/attendees` },
    ]);
    await assertUnchanged();
  });

  it('removeAttendee (POST …/attendees/batchRemove)', async () => {
    const p = `${ev(U.alice)}/${E}/attendees/batchRemove`;
    await runCases([
      { label: 'attendeesToRemove string', method: 'POST', path: p, body: { attendeesToRemove: 'u_bob' } },
      { label: 'attendeesToRemove object', method: 'POST', path: p, body: { attendeesToRemove: { id: U.bob } } },
      { label: 'attendeesToRemove numbers', method: 'POST', path: p, body: { attendeesToRemove: [1] } },
      { label: 'id number', method: 'POST', path: p, body: { attendeesToRemove: [{ id: 123 }] } },
      { label: '501 entries', method: 'POST', path: p, body: { attendeesToRemove: [{ id: U.bob }, ...Array.from({ length: 500 }, (_, i) => ({ id: `u_x${i}` }))] } },
      { label: 'malformed', method: 'POST', path: p, body: MALFORMED },
      { label: '10 MB JSON', method: 'POST', path: p, body: hugeJson('attendeesToRemove') },
      { label: '10 MB garbage', method: 'POST', path: p, body: hugeGarbage() },
      { label: 'empty object (optional list)', method: 'POST', path: p, body: {}, expect: 'any' },
      { label: 'as an attendee (bob)', method: 'POST', path: `${ev(U.bob)}/${E}/attendees/batchRemove`, body: { attendeesToRemove: [{ id: U.carol }] } },
      { label: 'unknown event', method: 'POST', path: `${ev(U.alice)}/no-such-event/attendees/batchRemove`, body: { attendeesToRemove: [{ id: U.bob }] } },
      { label: 'other tenant event', method: 'POST', path: `${ev(U.alice)}/${GE}/attendees/batchRemove`, body: { attendeesToRemove: [{ id: U.bob }] } },
      { label: 'other tenant user path', method: 'POST', path: `${ev(G.gina)}/${GE}/attendees/batchRemove`, body: { attendeesToRemove: [{ id: G.gus }] } },
    ]);
    await assertUnchanged();
  });

  it('respondEvent (POST …/respond)', async () => {
    const p = `${ev(U.bob)}/${E}/respond`;
    await runCases([
      { label: 'empty object', method: 'POST', path: p, body: {} },
      { label: 'responseStatus number', method: 'POST', path: p, body: { responseStatus: 123 } },
      { label: 'responseStatus bogus', method: 'POST', path: p, body: { responseStatus: 'maybe' } },
      { label: 'responseStatus array', method: 'POST', path: p, body: { responseStatus: ['declined'] } },
      { label: 'malformed', method: 'POST', path: p, body: '{"responseStatus":"declined"' },
      { label: 'empty body', method: 'POST', path: p, body: '' },
      { label: 'no body at all', method: 'POST', path: p },
      { label: '10 MB JSON', method: 'POST', path: p, body: hugeJson('responseStatus') },
      { label: 'not an attendee (dave)', method: 'POST', path: `${ev(U.dave)}/${E}/respond`, body: { responseStatus: 'declined' } },
      { label: 'unknown event', method: 'POST', path: `${ev(U.bob)}/no-such-event/respond`, body: { responseStatus: 'declined' } },
      { label: 'other tenant event', method: 'POST', path: `${ev(U.bob)}/${GE}/respond`, body: { responseStatus: 'declined' } },
      { label: 'other tenant user', method: 'POST', path: `${ev(G.gus)}/${GE}/respond`, body: { responseStatus: 'declined' } },
    ]);
    await assertUnchanged();
  });

  it('listCalendars, subscribe, unsubscribe', async () => {
    const u = (user: string) => `/v1.0/calendar/users/${user}/calendars`;
    await runCases([
      { label: 'listCalendars unknown user', method: 'GET', path: u('u_nobody') },
      { label: 'listCalendars other tenant user', method: 'GET', path: u(G.gina) },
      { label: 'listCalendars no token', method: 'GET', path: u(U.bob), token: null },
      { label: 'subscribe unknown calendar', method: 'POST', path: `${u(U.bob)}/no-such-calendar/subscribe` },
      { label: 'subscribe other tenant calendar', method: 'POST', path: `${u(U.bob)}/${GS}/subscribe` },
      { label: 'subscribe other tenant user', method: 'POST', path: `${u(G.gus)}/${GS}/subscribe` },
      { label: 'subscribe out of scope', method: 'POST', path: `${u(U.dave)}/${S}/subscribe` },
      { label: 'subscribe unknown user', method: 'POST', path: `${u('u_nobody')}/${S}/subscribe` },
      { label: 'subscribe malformed body', method: 'POST', path: `${u(U.dave)}/${S}/subscribe`, body: MALFORMED },
      { label: 'unsubscribe blank', method: 'POST', path: `${u(U.bob)}/%20/unsubscribe` },
      { label: 'unsubscribe unknown', method: 'POST', path: `${u(U.bob)}/no-such-calendar/unsubscribe` },
      { label: 'unsubscribe primary', method: 'POST', path: `${u(U.bob)}/primary/unsubscribe` },
      { label: 'unsubscribe other tenant calendar', method: 'POST', path: `${u(U.bob)}/${GS}/unsubscribe` },
      { label: 'unsubscribe out of scope', method: 'POST', path: `${u(U.dave)}/${S}/unsubscribe` },
      { label: 'unsubscribe other tenant user', method: 'POST', path: `${u(G.gus)}/${GS}/unsubscribe` },
    ]);
    await assertUnchanged();
  });

  it('subscribedCalendars CRUD', async () => {
    const p = (user: string) => `/v1.0/calendar/users/${user}/subscribedCalendars`;
    const okBody = { name: 'n', managers: [U.alice], subscribeScope: { unionIds: [U.bob] } };
    await runCases([
      { label: 'create empty object', method: 'POST', path: p(U.alice), body: {} },
      { label: 'create no name', method: 'POST', path: p(U.alice), body: { subscribeScope: { unionIds: [U.bob] } } },
      { label: 'create name number', method: 'POST', path: p(U.alice), body: { ...okBody, name: 123 } },
      { label: 'create managers string', method: 'POST', path: p(U.alice), body: { ...okBody, managers: U.alice } },
      { label: 'create scope string', method: 'POST', path: p(U.alice), body: { ...okBody, subscribeScope: 'everyone' } },
      { label: 'create scope unionIds string', method: 'POST', path: p(U.alice), body: { ...okBody, subscribeScope: { unionIds: U.bob } } },
      { label: 'create malformed', method: 'POST', path: p(U.alice), body: MALFORMED },
      { label: 'create empty body', method: 'POST', path: p(U.alice), body: '' },
      { label: 'create 10 MB JSON', method: 'POST', path: p(U.alice), body: hugeJson('name') },
      { label: 'create unknown user', method: 'POST', path: p('u_nobody'), body: okBody },
      { label: 'create other tenant user', method: 'POST', path: p(G.gina), body: okBody },
      { label: 'get unknown', method: 'GET', path: `${p(U.alice)}/no-such-calendar` },
      { label: 'get other tenant calendar', method: 'GET', path: `${p(U.alice)}/${GS}` },
      { label: 'get other tenant user', method: 'GET', path: `${p(G.gina)}/${GS}` },
      { label: 'update name number', method: 'PUT', path: `${p(U.alice)}/${S}`, body: { name: 123 } },
      { label: 'update managers string', method: 'PUT', path: `${p(U.alice)}/${S}`, body: { managers: 'x' } },
      { label: 'update scope string', method: 'PUT', path: `${p(U.alice)}/${S}`, body: { subscribeScope: 'x' } },
      { label: 'update malformed', method: 'PUT', path: `${p(U.alice)}/${S}`, body: MALFORMED },
      { label: 'update 10 MB JSON', method: 'PUT', path: `${p(U.alice)}/${S}`, body: hugeJson('description') },
      { label: 'update unknown', method: 'PUT', path: `${p(U.alice)}/no-such-calendar`, body: { name: 'x' } },
      { label: 'update other tenant calendar', method: 'PUT', path: `${p(U.alice)}/${GS}`, body: { name: 'x' } },
      { label: 'delete unknown', method: 'DELETE', path: `${p(U.alice)}/no-such-calendar` },
      { label: 'delete other tenant calendar', method: 'DELETE', path: `${p(U.alice)}/${GS}` },
      { label: 'delete other tenant user', method: 'DELETE', path: `${p(G.gina)}/${GS}` },
      { label: 'delete no token', method: 'DELETE', path: `${p(U.alice)}/${S}`, token: null },
    ]);
    await assertUnchanged();
  });

  it('unknown routes and wrong methods', async () => {
    await runCases([
      { label: 'unknown route', method: 'GET', path: '/v1.0/calendar/nothing-here' },
      { label: 'unknown route, no token', method: 'GET', path: '/v1.0/calendar/nothing-here', token: null },
      { label: 'unknown top-level route', method: 'GET', path: '/definitely/not/an/api' },
      { label: 'PATCH event', method: 'PATCH', path: `${ev(U.alice)}/${E}`, body: { summary: 'x' } },
      { label: 'POST on an event', method: 'POST', path: `${ev(U.alice)}/${E}`, body: { summary: 'x' } },
      { label: 'DELETE attendees', method: 'DELETE', path: `${ev(U.alice)}/${E}/attendees` },
      { label: 'unknown op on an event', method: 'POST', path: `${ev(U.alice)}/${E}/explode`, body: {} },
    ]);
    await assertUnchanged();
  });

  it('the fixture is exactly as before the sweep', async () => {
    const now = await snapshot();
    assert.deepEqual(now, baseline);
    // sanity: the snapshot really holds the fixture
    assert.equal((now as any).event.summary, 'New Event');
    assert.deepEqual(
      (now as any).attendees.attendees.map((a: any) => [a.id, a.responseStatus]),
      [
        [U.bob, 'accepted'],
        [U.carol, 'needsAction'],
      ],
    );
    assert.ok((now as any).bobCalendars.response.calendars.some((c: any) => c.id === S));
  });
});
