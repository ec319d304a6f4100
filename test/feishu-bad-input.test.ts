// Bad-input sweep with raw fetch over every Feishu route: wrong types, missing fields, malformed JSON, empty
// bodies, 10 MB bodies, unknown ids, another tenant's ids, bad tokens. Every reply must be < 500 with a JSON
// {code (number), msg (string)} body (code 0 on success), the contract's code where it names one, and the
// fixture data must be unchanged afterwards.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { buildFeishuFixture } from './helpers/feishu-directory.ts';
import {
  API,
  REDIRECT_URI,
  addAttendees,
  as,
  assertFsErrorShape,
  createEvent,
  fsClient,
  fsRaw,
  getEvent,
  lark,
  listAllAttendees,
  ok,
  primaryCalendarId,
  tenantToken,
  timedEvent,
  unix,
  userAtt,
  userToken,
} from './helpers/feishu.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const fx = buildFeishuFixture({ tag: 'bad' });
const { users, chat, room, app } = fx.acme;
const { alice, bob, zed } = users;
const { gina } = fx.globex.users;

let srv: KalendsServer;
let client: lark.Client;
let gclient: lark.Client;
let token = '';
let gtoken = '';
let aliceTok = '';

let botCal = '';
let aliceCal = '';
let SC = ''; // bot's shared calendar (public)
let E = ''; // bot event on botCal: alice (accepted), chat, room, third party
let E2 = ''; // bot event on SC
let CHAT_ATT = '';
let USER_ATT = '';
let gCal = '';
let gEvent = '';
let gShared = '';

before(async () => {
  srv = await startServer({ directory: fx.directory, extraArgs: ['--rate-limit', 'off'] });
  client = fsClient(srv.baseUrl, app);
  gclient = fsClient(srv.baseUrl, fx.globex.app);
  token = await tenantToken(srv.baseUrl, app);
  gtoken = await tenantToken(srv.baseUrl, fx.globex.app);
  botCal = await primaryCalendarId(client);
  aliceTok = await userToken(client, srv.baseUrl, app.appId, alice.openId);
  aliceCal = await primaryCalendarId(client, aliceTok);
  SC = ok(await client.calendar.v4.calendar.create({ data: { summary: 'Sweep shared', permissions: 'public' } })).calendar
    .calendar_id;
  E = (await createEvent(client, botCal, timedEvent('Sweep E', '2031-04-01T10:00:00+08:00', 60, { attendee_ability: 'can_see_others' }))).event_id;
  const added = await addAttendees(client, botCal, E, [
    userAtt(alice.openId),
    { type: 'chat', chat_id: chat.chatId },
    { type: 'resource', room_id: room.roomId },
    { type: 'third_party', third_party_email: 'ext@partner.example' },
  ]);
  USER_ATT = added[0].attendee_id;
  CHAT_ATT = added[1].attendee_id;
  ok(
    await client.calendar.v4.calendarEvent.reply(
      { path: { calendar_id: aliceCal, event_id: E }, data: { rsvp_status: 'accept' } },
      as(aliceTok),
    ),
  );
  E2 = (await createEvent(client, SC, timedEvent('Sweep E2', '2031-04-02T10:00:00+08:00'))).event_id;
  gCal = await primaryCalendarId(gclient);
  gEvent = (await createEvent(gclient, gCal, timedEvent('Globex event', '2031-04-01T12:00:00+08:00'))).event_id;
  await addAttendees(gclient, gCal, gEvent, [userAtt(gina.openId)]);
  gShared = ok(await gclient.calendar.v4.calendar.create({ data: { summary: 'Globex public', permissions: 'public' } }))
    .calendar.calendar_id;
  baseline = await snapshot();
});

after(async () => {
  await srv?.cleanup();
});

let baseline: unknown;
const YEAR = { start_time: unix('2031-01-01T00:00:00+08:00'), end_time: unix('2032-01-01T00:00:00+08:00') };

async function calendarsOf(c: lark.Client, userTok?: string): Promise<any[]> {
  const out: any[] = [];
  let pageToken: string | undefined;
  for (let i = 0; i < 20; i++) {
    const data = ok(await c.calendar.v4.calendar.list({ params: pageToken ? { page_size: 50, page_token: pageToken } : { page_size: 50 } }, as(userTok)));
    out.push(...(data.calendar_list ?? []));
    if (!data.has_more) break;
    pageToken = data.page_token;
  }
  return out.sort((a, b) => String(a.calendar_id).localeCompare(String(b.calendar_id)));
}

async function eventsOf(c: lark.Client, calendarId: string, userTok?: string): Promise<any[]> {
  const data = ok(await c.calendar.v4.calendarEvent.list({ path: { calendar_id: calendarId }, params: YEAR }, as(userTok)));
  return (data.items ?? []).sort((a: any, b: any) => String(a.event_id).localeCompare(String(b.event_id)));
}

async function snapshot() {
  return {
    botCalendars: await calendarsOf(client),
    aliceCalendars: await calendarsOf(client, aliceTok),
    sc: ok(await client.calendar.v4.calendar.get({ path: { calendar_id: SC } })),
    botEvents: await eventsOf(client, botCal),
    scEvents: await eventsOf(client, SC),
    aliceEvents: await eventsOf(client, aliceCal, aliceTok),
    e: await getEvent(client, botCal, E, { needAttendee: true }),
    e2: await getEvent(client, SC, E2, { needAttendee: true }),
    eAttendees: await listAllAttendees(client, botCal, E),
    eAttendeesUnion: await listAllAttendees(client, botCal, E, { userIdType: 'union_id' }),
    chatMembers: ok(
      await client.calendar.v4.calendarEventAttendeeChatMember.list({
        path: { calendar_id: botCal, event_id: E, attendee_id: CHAT_ATT },
      }),
    ).items,
    globexCalendars: await calendarsOf(gclient),
    globexEvents: await eventsOf(gclient, gCal),
    globexEvent: await getEvent(gclient, gCal, gEvent, { needAttendee: true }),
  };
}

async function assertUnchanged(): Promise<void> {
  assert.deepEqual(await snapshot(), baseline, 'fixture data changed after bad input');
}

const TEN_MB = 10 * 1024 * 1024;
const hugeJson = (field: string) => `{"${field}":"${'x'.repeat(TEN_MB)}"}`;
const hugeGarbage = () => 'z'.repeat(TEN_MB);
const MALFORMED = '{"summary": "oops",';
const UNKNOWN_CAL = 'feishu.cn_00000000deadbeef@group.calendar.feishu.cn';
const unknownEvent = () => `${randomUUID()}_0`;

interface Case {
  label: string;
  method: string;
  path: string;
  body?: string | object;
  headers?: Record<string, string>;
  /** default: the acme bot token; null = no Authorization header */
  token?: string | null;
  /** '4xx' (default): must be rejected. 'any': may succeed, but an error must have the right shape. */
  expect?: '4xx' | 'any';
  /** the code the contract names for this input */
  code?: number;
}

async function runCases(cases: Case[]): Promise<void> {
  const failures: string[] = [];
  for (const c of cases) {
    const label = `${c.method} ${c.path.slice(0, 140)} [${c.label}]`;
    try {
      const opts: NonNullable<Parameters<typeof fsRaw>[3]> = { redirect: 'manual' };
      if (c.token !== null) opts.token = c.token ?? token;
      if (c.body !== undefined) opts.body = c.body;
      if (c.headers) opts.headers = c.headers;
      const res = await fsRaw(srv.baseUrl, c.method, c.path, opts);
      if ((c.expect ?? '4xx') === '4xx') {
        assert.ok(res.status >= 400 && res.status < 500, `${label}: expected a 4xx, got HTTP ${res.status} ${res.text.slice(0, 200)}`);
      }
      if (res.status >= 400) {
        assertFsErrorShape(res, label);
        if (c.code !== undefined) assert.equal(res.json.code, c.code, `${label}: expected code ${c.code}, got ${res.text.slice(0, 200)}`);
      } else {
        assert.ok(res.status < 300, `${label}: unexpected HTTP ${res.status}`);
        assertFsErrorShape(res, label);
        assert.equal(res.json.code, 0, `${label}: a 2xx must carry code 0: ${res.text.slice(0, 200)}`);
      }
    } catch (e) {
      failures.push(e instanceof assert.AssertionError ? e.message : `${label}: request failed: ${String(e)}`);
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${cases.length} cases failed:\n${failures.join('\n')}`);
}

/** The usual body attacks on a body-taking route. `field` names a string field for the 10 MB JSON. */
function bodyAttacks(method: string, path: string, field: string, code = 190002): Case[] {
  return [
    { label: 'malformed JSON', method, path, body: MALFORMED, code },
    { label: 'array body', method, path, body: '[]', code },
    { label: 'string body', method, path, body: '"hello"', code },
    { label: 'number body', method, path, body: '42', code },
    { label: '10 MB JSON', method, path, body: hugeJson(field) },
    { label: '10 MB garbage', method, path, body: hugeGarbage() },
  ];
}

const cal = (id: string) => `${API}/calendars/${id}`;
const evs = (calId: string) => `${API}/calendars/${calId}/events`;
const ev = (calId: string, evId: string) => `${API}/calendars/${calId}/events/${evId}`;
const att = (calId: string, evId: string) => `${ev(calId, evId)}/attendees`;

describe('Feishu bad input never yields a 5xx or a non-JSON error, and changes nothing', () => {
  it('POST /open-apis/auth/v3/{tenant,app}_access_token/internal', async () => {
    const cases: Case[] = [];
    for (const p of ['/open-apis/auth/v3/tenant_access_token/internal', '/open-apis/auth/v3/app_access_token/internal']) {
      cases.push(
        { label: 'empty object', method: 'POST', path: p, body: {}, token: null },
        { label: 'no app_secret', method: 'POST', path: p, body: { app_id: app.appId }, token: null },
        { label: 'numbers', method: 'POST', path: p, body: { app_id: 123, app_secret: 456 }, token: null },
        { label: 'array app_id', method: 'POST', path: p, body: { app_id: [app.appId], app_secret: app.appSecret }, token: null },
        { label: 'null fields', method: 'POST', path: p, body: { app_id: null, app_secret: null }, token: null },
        { label: 'other tenant id + this secret', method: 'POST', path: p, body: { app_id: fx.globex.app.appId, app_secret: app.appSecret }, token: null, code: 10014 },
        { label: 'malformed', method: 'POST', path: p, body: '{"app_id":', token: null },
        { label: 'empty body', method: 'POST', path: p, body: '', token: null },
        { label: 'array body', method: 'POST', path: p, body: '[]', token: null },
        { label: 'null body', method: 'POST', path: p, body: 'null', token: null },
        { label: 'no body at all', method: 'POST', path: p, token: null },
        { label: '10 MB JSON', method: 'POST', path: p, body: hugeJson('app_id'), token: null },
        { label: '10 MB garbage', method: 'POST', path: p, body: hugeGarbage(), token: null },
      );
    }
    await runCases(cases);
  });

  it('GET /open-apis/authen/v1/authorize and POST /open-apis/authen/v1/oidc/access_token', async () => {
    const q = (o: Record<string, string>) => `/open-apis/authen/v1/authorize?${new URLSearchParams(o).toString()}`;
    const good = { app_id: app.appId, redirect_uri: REDIRECT_URI, state: 's', login_hint: alice.openId };
    const { app_id: _a, ...noApp } = good;
    const { redirect_uri: _r, ...noRedirect } = good;
    const o = '/open-apis/authen/v1/oidc/access_token';
    await runCases([
      { label: 'no app_id', method: 'GET', path: q(noApp), token: null },
      { label: 'unknown app_id', method: 'GET', path: q({ ...good, app_id: 'cli_nope' }), token: null },
      { label: 'no redirect_uri', method: 'GET', path: q(noRedirect), token: null },
      { label: 'unknown login_hint', method: 'GET', path: q({ ...good, login_hint: 'ou_nobody' }), token: null },
      { label: 'other tenant user', method: 'GET', path: q({ ...good, login_hint: gina.openId }), token: null },
      { label: 'user who left', method: 'GET', path: q({ ...good, login_hint: zed.openId }), token: null },
      { label: 'no token', method: 'POST', path: o, body: { grant_type: 'authorization_code', code: 'x' }, token: null },
      { label: 'unknown code', method: 'POST', path: o, body: { grant_type: 'authorization_code', code: 'no-such-code' } },
      { label: 'no code', method: 'POST', path: o, body: { grant_type: 'authorization_code' } },
      { label: 'code number', method: 'POST', path: o, body: { grant_type: 'authorization_code', code: 123 } },
      { label: 'wrong grant_type', method: 'POST', path: o, body: { grant_type: 'password', code: 'x' } },
      { label: 'malformed', method: 'POST', path: o, body: '{"code":' },
      { label: 'empty body', method: 'POST', path: o, body: '' },
      { label: '10 MB JSON', method: 'POST', path: o, body: hugeJson('code') },
      { label: '10 MB garbage', method: 'POST', path: o, body: hugeGarbage() },
    ]);
    await assertUnchanged();
  });

  it('POST /open-apis/authen/v2/oauth/token, …/oidc/refresh_access_token, GET …/user_info', async () => {
    const v2 = '/open-apis/authen/v2/oauth/token';
    const c = { client_id: app.appId, client_secret: app.appSecret };
    const v2Cases: Array<{ label: string; body: string | object; code: number }> = [
      { label: 'empty object', body: {}, code: 20001 },
      { label: 'no grant_type', body: { ...c, code: 'x' }, code: 20001 },
      { label: 'grant_type password', body: { ...c, grant_type: 'password', code: 'x' }, code: 20001 },
      { label: 'no code', body: { ...c, grant_type: 'authorization_code' }, code: 20001 },
      { label: 'no client_secret', body: { client_id: app.appId, grant_type: 'authorization_code', code: 'x' }, code: 20001 },
      { label: 'code number', body: { ...c, grant_type: 'authorization_code', code: 1 }, code: 20001 },
      { label: 'unknown code', body: { ...c, grant_type: 'authorization_code', code: 'no-such-code' }, code: 20003 },
      { label: 'unknown refresh_token', body: { ...c, grant_type: 'refresh_token', refresh_token: 'nope' }, code: 20026 },
      { label: 'wrong secret', body: { ...c, client_secret: 'x', grant_type: 'authorization_code', code: 'x' }, code: 20002 },
      { label: 'unknown client_id', body: { ...c, client_id: 'cli_nope', grant_type: 'authorization_code', code: 'x' }, code: 20002 },
      { label: 'malformed', body: '{"code":', code: 20001 },
      { label: 'empty body', body: '', code: 20001 },
      { label: '10 MB JSON', body: hugeJson('code'), code: 20001 },
    ];
    const failures: string[] = [];
    for (const k of v2Cases) {
      const res = await fsRaw(srv.baseUrl, 'POST', v2, { body: k.body });
      const shaped = res.status >= 400 && res.status < 500 && res.json?.code === k.code && typeof res.json?.error === 'string' && typeof res.json?.error_description === 'string';
      if (!shaped) failures.push(`${k.label}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
    }
    assert.deepEqual(failures, [], failures.join('\n'));
    const r = '/open-apis/authen/v1/oidc/refresh_access_token';
    await runCases([
      { label: 'no token', method: 'POST', path: r, body: { grant_type: 'refresh_token', refresh_token: 'x' }, token: null },
      { label: 'tenant token, unknown refresh_token', method: 'POST', path: r, body: { grant_type: 'refresh_token', refresh_token: 'x' } },
      { label: 'no refresh_token', method: 'POST', path: r, body: { grant_type: 'refresh_token' } },
      { label: 'wrong grant_type', method: 'POST', path: r, body: { grant_type: 'authorization_code', refresh_token: 'x' } },
      { label: 'malformed', method: 'POST', path: r, body: '{"refresh_token":' },
      { label: 'user_info: tenant token', method: 'GET', path: '/open-apis/authen/v1/user_info', code: 99991663 },
      { label: 'user_info: no token', method: 'GET', path: '/open-apis/authen/v1/user_info', token: null, code: 99991661 },
      { label: 'user_info: unknown token', method: 'GET', path: '/open-apis/authen/v1/user_info', token: 'u-nope', code: 99991663 },
    ]);
    await assertUnchanged();
  });

  it('POST /calendars/primary, /calendars/primarys, /calendars/mget, /calendars/search', async () => {
    const prim = `${API}/calendars/primary`;
    const prims = `${API}/calendars/primarys`;
    const mget = `${API}/calendars/mget`;
    const search = `${API}/calendars/search`;
    await runCases([
      { label: 'no token', method: 'POST', path: prim, body: {}, token: null, code: 99991661 },
      { label: 'garbage token', method: 'POST', path: prim, body: {}, token: 'garbage', code: 99991663 },
      { label: 'not Bearer', method: 'POST', path: prim, body: {}, token: null, headers: { authorization: token } },
      { label: 'user_id_type bogus', method: 'POST', path: `${prim}?user_id_type=email`, body: {}, code: 190002 },
      { label: 'malformed', method: 'POST', path: prim, body: MALFORMED, code: 190002 },
      { label: '10 MB garbage', method: 'POST', path: prim, body: hugeGarbage() },
      { label: 'no user_ids', method: 'POST', path: prims, body: {}, code: 190002 },
      { label: 'user_ids string', method: 'POST', path: prims, body: { user_ids: alice.openId }, code: 190002 },
      { label: 'user_ids numbers', method: 'POST', path: prims, body: { user_ids: [1, 2] }, code: 190002 },
      { label: 'unknown users', method: 'POST', path: prims, body: { user_ids: ['ou_nobody'] }, expect: 'any' },
      { label: 'other tenant users', method: 'POST', path: prims, body: { user_ids: [gina.openId] }, expect: 'any' },
      { label: 'user_id_type bogus', method: 'POST', path: `${prims}?user_id_type=email`, body: { user_ids: [alice.openId] }, code: 190002 },
      ...bodyAttacks('POST', prims, 'user_ids'),
      { label: 'no calendar_ids', method: 'POST', path: mget, body: {}, code: 190002 },
      { label: 'calendar_ids string', method: 'POST', path: mget, body: { calendar_ids: SC }, code: 190002 },
      { label: 'calendar_ids numbers', method: 'POST', path: mget, body: { calendar_ids: [1] }, code: 190002 },
      { label: 'malformed id', method: 'POST', path: mget, body: { calendar_ids: ['nope'] }, expect: 'any' },
      { label: 'unknown id', method: 'POST', path: mget, body: { calendar_ids: [UNKNOWN_CAL] }, expect: 'any' },
      { label: 'other tenant id', method: 'POST', path: mget, body: { calendar_ids: [gCal] }, expect: 'any' },
      ...bodyAttacks('POST', mget, 'calendar_ids'),
      { label: 'no query', method: 'POST', path: search, body: {}, code: 190002 },
      { label: 'query number', method: 'POST', path: search, body: { query: 5 }, code: 190002 },
      { label: 'NUL in query', method: 'POST', path: search, body: { query: 'a\u0000' }, code: 190002 },
      { label: 'NUL in the path', method: 'POST', path: `${API}/calendars/x%00y/subscribe`, body: {}, code: 190002 },
      { label: 'page_size text', method: 'POST', path: `${search}?page_size=abc`, body: { query: 'x' }, code: 190002 },
      ...bodyAttacks('POST', search, 'query'),
    ]);
    // another tenant's calendars never leak through mget / search
    const m = await fsRaw(srv.baseUrl, 'POST', mget, { token, body: { calendar_ids: [gCal, gShared] } });
    if (m.status < 300) {
      const got = (m.json.data?.calendars ?? []).filter((c: any) => c && (c.summary === 'Globex public' || c.type === 'primary'));
      assert.deepEqual(got, [], `mget leaked another tenant's calendars: ${m.text.slice(0, 300)}`);
    }
    const s = await fsRaw(srv.baseUrl, 'POST', search, { token, body: { query: 'Globex' } });
    assert.equal(s.status, 200, s.text);
    assert.deepEqual(s.json.data?.items ?? [], [], 'search finds no calendar of another tenant');
    await assertUnchanged();
  });

  it('POST /calendars (create) and GET /calendars (list)', async () => {
    const p = `${API}/calendars`;
    await runCases([
      { label: 'summary number', method: 'POST', path: p, body: { summary: 5 }, code: 190002 },
      { label: 'summary object', method: 'POST', path: p, body: { summary: { a: 1 } }, code: 190002 },
      { label: 'permissions bogus', method: 'POST', path: p, body: { summary: 'x', permissions: 'secret' }, code: 190002 },
      { label: 'color text', method: 'POST', path: p, body: { summary: 'x', color: 'red' }, code: 190002 },
      { label: 'description array', method: 'POST', path: p, body: { summary: 'x', description: ['a'] }, code: 190002 },
      ...bodyAttacks('POST', p, 'summary'),
      { label: 'no token', method: 'POST', path: p, body: { summary: 'x' }, token: null, code: 99991661 },
      { label: 'page_size text', method: 'GET', path: `${p}?page_size=abc`, code: 190002 },
      { label: 'page_size negative', method: 'GET', path: `${p}?page_size=-3`, code: 190002 },
      { label: 'page_token garbage', method: 'GET', path: `${p}?page_token=%%%garbage`, expect: 'any' },
      { label: 'sync_token garbage', method: 'GET', path: `${p}?sync_token=garbage`, expect: 'any' },
    ]);
    await assertUnchanged();
  });

  it('GET / PATCH / DELETE /calendars/{id}', async () => {
    await runCases([
      { label: 'malformed id', method: 'GET', path: cal('not-a-calendar'), code: 191001 },
      { label: 'unknown id', method: 'GET', path: cal(UNKNOWN_CAL), code: 191000 },
      { label: 'other tenant primary', method: 'GET', path: cal(gCal) },
      { label: 'other tenant shared', method: 'GET', path: cal(gShared) },
      { label: 'encoded junk', method: 'GET', path: cal('%E0%A4%A') },
      { label: 'summary number', method: 'PATCH', path: cal(SC), body: { summary: 1 }, code: 190002 },
      { label: 'permissions bogus', method: 'PATCH', path: cal(SC), body: { permissions: 'everyone' }, code: 190002 },
      { label: 'color text', method: 'PATCH', path: cal(SC), body: { color: 'blue' }, code: 190002 },
      ...bodyAttacks('PATCH', cal(SC), 'summary'),
      { label: 'unknown id', method: 'PATCH', path: cal(UNKNOWN_CAL), body: { summary: 'x' }, code: 191000 },
      { label: 'malformed id', method: 'PATCH', path: cal('nope'), body: { summary: 'x' }, code: 191001 },
      { label: 'other tenant', method: 'PATCH', path: cal(gShared), body: { summary: 'pwned' } },
      { label: 'someone else’s primary', method: 'PATCH', path: cal(aliceCal), body: { summary: 'pwned' } },
      { label: 'no token', method: 'PATCH', path: cal(SC), body: { summary: 'x' }, token: null, code: 99991661 },
      { label: 'unknown id', method: 'DELETE', path: cal(UNKNOWN_CAL), code: 191000 },
      { label: 'malformed id', method: 'DELETE', path: cal('nope'), code: 191001 },
      { label: 'own primary', method: 'DELETE', path: cal(botCal), code: 191004 },
      { label: 'other tenant', method: 'DELETE', path: cal(gShared) },
      { label: 'someone else’s primary', method: 'DELETE', path: cal(aliceCal) },
      { label: 'wrong token', method: 'DELETE', path: cal(SC), token: 't-nope', code: 99991663 },
      { label: 'other tenant token', method: 'DELETE', path: cal(SC), token: gtoken },
    ]);
    await assertUnchanged();
  });

  it('subscribe / unsubscribe / push subscriptions', async () => {
    await runCases([
      { label: 'unknown id', method: 'POST', path: `${cal(UNKNOWN_CAL)}/subscribe`, code: 191000 },
      { label: 'malformed id', method: 'POST', path: `${cal('nope')}/subscribe`, code: 191001 },
      { label: 'other tenant public', method: 'POST', path: `${cal(gShared)}/subscribe` },
      { label: 'malformed body', method: 'POST', path: `${cal(SC)}/subscribe`, body: MALFORMED },
      { label: 'unknown id', method: 'POST', path: `${cal(UNKNOWN_CAL)}/unsubscribe`, code: 191000 },
      { label: 'malformed id', method: 'POST', path: `${cal('nope')}/unsubscribe`, code: 191001 },
      { label: 'other tenant', method: 'POST', path: `${cal(gShared)}/unsubscribe` },
      { label: 'malformed body', method: 'POST', path: `${API}/calendars/subscription`, body: MALFORMED },
      { label: 'no token', method: 'POST', path: `${API}/calendars/subscription`, body: {}, token: null, code: 99991661 },
      { label: 'malformed body', method: 'POST', path: `${API}/calendars/unsubscription`, body: MALFORMED },
      { label: 'unknown calendar', method: 'POST', path: `${evs(UNKNOWN_CAL)}/subscription`, body: {}, code: 191000 },
      { label: 'malformed calendar', method: 'POST', path: `${evs('nope')}/subscription`, body: {}, code: 191001 },
      { label: 'other tenant calendar', method: 'POST', path: `${evs(gCal)}/subscription`, body: {} },
      { label: 'malformed body', method: 'POST', path: `${evs(botCal)}/subscription`, body: MALFORMED },
      { label: 'unknown calendar', method: 'POST', path: `${evs(UNKNOWN_CAL)}/unsubscription`, body: {}, code: 191000 },
      { label: 'malformed body', method: 'POST', path: `${evs(botCal)}/unsubscription`, body: MALFORMED },
    ]);
    await assertUnchanged();
  });

  it('POST /calendars/{id}/events (create)', async () => {
    const p = evs(botCal);
    const good = timedEvent('should not exist', '2031-04-10T10:00:00+08:00');
    await runCases([
      { label: 'empty object', method: 'POST', path: p, body: {}, code: 190002 },
      { label: 'no start_time', method: 'POST', path: p, body: { summary: 'x', end_time: good.end_time }, code: 190002 },
      { label: 'no end_time', method: 'POST', path: p, body: { summary: 'x', start_time: good.start_time }, code: 190002 },
      { label: 'summary number', method: 'POST', path: p, body: { ...good, summary: 5 }, code: 190002 },
      { label: 'start_time string', method: 'POST', path: p, body: { ...good, start_time: 'tomorrow' }, code: 190002 },
      { label: 'start_time empty', method: 'POST', path: p, body: { ...good, start_time: {} }, code: 190002 },
      { label: 'timestamp text', method: 'POST', path: p, body: { ...good, start_time: { timestamp: 'soon', timezone: 'UTC' } }, code: 190002 },
      { label: 'timestamp number', method: 'POST', path: p, body: { ...good, start_time: { timestamp: 1933000000, timezone: 'UTC' } }, code: 190002 },
      { label: 'bad date', method: 'POST', path: p, body: { ...good, start_time: { date: '2031-13-45' }, end_time: { date: '2031-13-46' } }, code: 190002 },
      { label: 'bad timezone', method: 'POST', path: p, body: { ...good, start_time: { ...good.start_time, timezone: 'Mars/Olympus' } }, code: 190002 },
      { label: 'visibility bogus', method: 'POST', path: p, body: { ...good, visibility: 'secret' }, code: 190002 },
      { label: 'attendee_ability bogus', method: 'POST', path: p, body: { ...good, attendee_ability: 'all' }, code: 190002 },
      { label: 'free_busy_status bogus', method: 'POST', path: p, body: { ...good, free_busy_status: 'maybe' }, code: 190002 },
      { label: 'location string', method: 'POST', path: p, body: { ...good, location: 'Tower A' }, code: 190002 },
      { label: 'latitude text', method: 'POST', path: p, body: { ...good, location: { name: 'x', latitude: 'north' } }, code: 190002 },
      { label: 'color text', method: 'POST', path: p, body: { ...good, color: 'red' }, code: 190002 },
      { label: 'reminders string', method: 'POST', path: p, body: { ...good, reminders: 'soon' }, code: 190002 },
      { label: 'reminder minutes text', method: 'POST', path: p, body: { ...good, reminders: [{ minutes: 'ten' }] }, code: 190002 },
      { label: 'recurrence garbage', method: 'POST', path: p, body: { ...good, recurrence: 'EVERY SO OFTEN' }, code: 190002 },
      { label: 'recurrence number', method: 'POST', path: p, body: { ...good, recurrence: 7 }, code: 190002 },
      { label: 'vchat string', method: 'POST', path: p, body: { ...good, vchat: 'zoom' }, code: 190002 },
      { label: 'need_notification text', method: 'POST', path: p, body: { ...good, need_notification: 'yes' }, code: 190002 },
      { label: 'null body', method: 'POST', path: p, body: 'null', code: 190002 },
      { label: 'empty body', method: 'POST', path: p, body: '', code: 190002 },
      { label: 'no body at all', method: 'POST', path: p, code: 190002 },
      ...bodyAttacks('POST', p, 'summary'),
      { label: 'user_id_type bogus', method: 'POST', path: `${p}?user_id_type=email`, body: good, code: 190002 },
      { label: 'unknown calendar', method: 'POST', path: evs(UNKNOWN_CAL), body: good, code: 191000 },
      { label: 'malformed calendar', method: 'POST', path: evs('nope'), body: good, code: 191001 },
      { label: 'other tenant calendar', method: 'POST', path: evs(gCal), body: good },
      { label: 'someone else’s primary', method: 'POST', path: evs(aliceCal), body: good },
      { label: 'no token', method: 'POST', path: p, body: good, token: null, code: 99991661 },
      { label: 'garbage token', method: 'POST', path: p, body: good, token: 'x', code: 99991663 },
    ]);
    await assertUnchanged();
  });

  it('GET /calendars/{id}/events (list)', async () => {
    const p = evs(botCal);
    await runCases([
      { label: 'start_time text', method: 'GET', path: `${p}?start_time=abc&end_time=${YEAR.end_time}`, code: 190002 },
      { label: 'end_time text', method: 'GET', path: `${p}?start_time=${YEAR.start_time}&end_time=xyz`, code: 190002 },
      { label: 'page_size text', method: 'GET', path: `${p}?page_size=abc`, code: 190002 },
      { label: 'page_token garbage', method: 'GET', path: `${p}?page_token=garbage`, expect: 'any' },
      { label: 'sync_token garbage', method: 'GET', path: `${p}?sync_token=garbage`, expect: 'any' },
      { label: 'user_id_type bogus', method: 'GET', path: `${p}?user_id_type=email`, code: 190002 },
      { label: 'unknown calendar', method: 'GET', path: evs(UNKNOWN_CAL), code: 191000 },
      { label: 'malformed calendar', method: 'GET', path: evs('nope'), code: 191001 },
      { label: 'other tenant calendar', method: 'GET', path: evs(gCal) },
      { label: 'other tenant token', method: 'GET', path: p, token: gtoken },
    ]);
    await assertUnchanged();
  });

  it('GET / PATCH / DELETE /calendars/{id}/events/{event_id}', async () => {
    await runCases([
      { label: 'malformed event', method: 'GET', path: ev(botCal, 'not-an-event'), code: 193000 },
      { label: 'unknown event', method: 'GET', path: ev(botCal, unknownEvent()), code: 193001 },
      { label: 'other tenant event', method: 'GET', path: ev(botCal, gEvent), code: 193001 },
      { label: 'other tenant calendar+event', method: 'GET', path: ev(gCal, gEvent) },
      { label: 'event of another calendar', method: 'GET', path: ev(SC, E), code: 193001 },
      { label: 'max_attendee_num text', method: 'GET', path: `${ev(botCal, E)}?need_attendee=true&max_attendee_num=abc`, code: 190002 },
      { label: 'need_attendee text', method: 'GET', path: `${ev(botCal, E)}?need_attendee=perhaps`, expect: 'any' },
      { label: 'user_id_type bogus', method: 'GET', path: `${ev(botCal, E)}?user_id_type=email`, code: 190002 },
      { label: 'summary number', method: 'PATCH', path: ev(botCal, E), body: { summary: 9 }, code: 190002 },
      { label: 'start_time string', method: 'PATCH', path: ev(botCal, E), body: { start_time: 'now' }, code: 190002 },
      { label: 'visibility bogus', method: 'PATCH', path: ev(botCal, E), body: { visibility: 'hidden' }, code: 190002 },
      { label: 'reminders text', method: 'PATCH', path: ev(botCal, E), body: { reminders: [{ minutes: 'x' }] }, code: 190002 },
      { label: 'recurrence garbage', method: 'PATCH', path: ev(botCal, E), body: { recurrence: 'FREQ=SOMETIMES' }, code: 190002 },
      { label: 'empty object', method: 'PATCH', path: ev(botCal, E), body: {}, expect: 'any' },
      { label: 'empty body', method: 'PATCH', path: ev(botCal, E), body: '', expect: 'any' },
      ...bodyAttacks('PATCH', ev(botCal, E), 'summary'),
      { label: 'unknown event', method: 'PATCH', path: ev(botCal, unknownEvent()), body: { summary: 'x' }, code: 193001 },
      { label: 'malformed event', method: 'PATCH', path: ev(botCal, '???'), body: { summary: 'x' }, code: 193000 },
      { label: 'other tenant event', method: 'PATCH', path: ev(gCal, gEvent), body: { summary: 'pwned' } },
      { label: 'other tenant token', method: 'PATCH', path: ev(botCal, E), body: { summary: 'pwned' }, token: gtoken },
      { label: 'no token', method: 'PATCH', path: ev(botCal, E), body: { summary: 'x' }, token: null, code: 99991661 },
      { label: 'unknown event', method: 'DELETE', path: `${ev(botCal, unknownEvent())}`, code: 193001 },
      { label: 'malformed event', method: 'DELETE', path: ev(botCal, 'nope'), code: 193000 },
      { label: 'other tenant event', method: 'DELETE', path: ev(gCal, gEvent) },
      { label: 'other tenant event on own calendar', method: 'DELETE', path: ev(botCal, gEvent), code: 193001 },
      { label: 'other tenant token', method: 'DELETE', path: ev(botCal, E), token: gtoken },
      { label: 'attendee user token (not organizer)', method: 'DELETE', path: ev(aliceCal, E), token: aliceTok, code: 193002 },
    ]);
    await assertUnchanged();
  });

  it('POST /calendars/{id}/events/{event_id}/reply', async () => {
    const p = `${ev(aliceCal, E)}/reply`;
    await runCases([
      { label: 'no rsvp_status', method: 'POST', path: p, body: {}, token: aliceTok, code: 190002 },
      { label: 'rsvp_status bogus', method: 'POST', path: p, body: { rsvp_status: 'maybe' }, token: aliceTok, code: 190002 },
      { label: 'rsvp_status needs_action', method: 'POST', path: p, body: { rsvp_status: 'needs_action' }, token: aliceTok, code: 190002 },
      { label: 'rsvp_status number', method: 'POST', path: p, body: { rsvp_status: 1 }, token: aliceTok, code: 190002 },
      { label: 'empty body', method: 'POST', path: p, body: '', token: aliceTok, code: 190002 },
      { label: 'malformed', method: 'POST', path: p, body: MALFORMED, token: aliceTok, code: 190002 },
      { label: '10 MB JSON', method: 'POST', path: p, body: hugeJson('rsvp_status'), token: aliceTok },
      { label: '10 MB garbage', method: 'POST', path: p, body: hugeGarbage(), token: aliceTok },
      { label: 'unknown event', method: 'POST', path: `${ev(aliceCal, unknownEvent())}/reply`, body: { rsvp_status: 'decline' }, token: aliceTok, code: 193001 },
      { label: 'malformed event', method: 'POST', path: `${ev(aliceCal, 'x')}/reply`, body: { rsvp_status: 'decline' }, token: aliceTok, code: 193000 },
      { label: 'other tenant event', method: 'POST', path: `${ev(gCal, gEvent)}/reply`, body: { rsvp_status: 'decline' }, token: aliceTok },
      { label: 'not invited', method: 'POST', path: `${ev(aliceCal, E2)}/reply`, body: { rsvp_status: 'decline' }, token: aliceTok },
      { label: 'no token', method: 'POST', path: p, body: { rsvp_status: 'decline' }, token: null, code: 99991661 },
    ]);
    await assertUnchanged();
  });

  it('POST /calendars/{id}/events/{event_id}/attendees (create)', async () => {
    const p = att(botCal, E);
    const many = Array.from({ length: 501 }, (_, i) => ({ type: 'third_party', third_party_email: `x${i}@bulk.example` }));
    await runCases([
      { label: 'attendees string', method: 'POST', path: p, body: { attendees: 'bob' }, code: 190002 },
      { label: 'attendees numbers', method: 'POST', path: p, body: { attendees: [1, 2] }, expect: '4xx' },
      { label: 'type robot', method: 'POST', path: p, body: { attendees: [{ type: 'robot', user_id: bob.openId }] }, code: 194004 },
      { label: 'type missing id', method: 'POST', path: p, body: { attendees: [{ type: 'user' }] }, code: 194004 },
      { label: 'chat missing id', method: 'POST', path: p, body: { attendees: [{ type: 'chat' }] }, code: 194004 },
      { label: 'user_id number', method: 'POST', path: p, body: { attendees: [{ type: 'user', user_id: 7 }] } },
      { label: 'is_optional text', method: 'POST', path: p, body: { attendees: [{ type: 'user', user_id: bob.openId, is_optional: 'no' }] }, code: 190002 },
      { label: 'need_notification text', method: 'POST', path: p, body: { attendees: [userAtt(bob.openId)], need_notification: 'yes' }, code: 190002 },
      { label: 'unknown user', method: 'POST', path: p, body: { attendees: [userAtt('ou_nobody')] }, code: 195100 },
      { label: 'other tenant user', method: 'POST', path: p, body: { attendees: [userAtt(gina.openId)] }, code: 195100 },
      { label: 'user who left', method: 'POST', path: p, body: { attendees: [userAtt(zed.openId)] }, code: 195100 },
      { label: 'other tenant chat', method: 'POST', path: p, body: { attendees: [{ type: 'chat', chat_id: fx.globex.chat.chatId }] } },
      { label: 'other tenant room', method: 'POST', path: p, body: { attendees: [{ type: 'resource', room_id: fx.globex.room.roomId }] } },
      { label: '501 attendees', method: 'POST', path: p, body: { attendees: many }, code: 190002 },
      { label: 'user_id_type bogus', method: 'POST', path: `${p}?user_id_type=email`, body: { attendees: [userAtt(bob.openId)] }, code: 190002 },
      { label: 'null body', method: 'POST', path: p, body: 'null', code: 190002 },
      ...bodyAttacks('POST', p, 'attendees'),
      { label: 'unknown event', method: 'POST', path: att(botCal, unknownEvent()), body: { attendees: [userAtt(bob.openId)] }, code: 193001 },
      { label: 'malformed event', method: 'POST', path: att(botCal, 'x'), body: { attendees: [userAtt(bob.openId)] }, code: 193000 },
      { label: 'unknown calendar', method: 'POST', path: att(UNKNOWN_CAL, E), body: { attendees: [userAtt(bob.openId)] }, code: 191000 },
      { label: 'other tenant event', method: 'POST', path: att(gCal, gEvent), body: { attendees: [userAtt(bob.openId)] } },
      { label: 'other tenant token', method: 'POST', path: p, body: { attendees: [userAtt(gina.openId)] }, token: gtoken },
      { label: 'attendee without invite right', method: 'POST', path: att(aliceCal, E), body: { attendees: [userAtt(bob.openId)] }, token: aliceTok, code: 194002 },
      { label: 'no token', method: 'POST', path: p, body: { attendees: [userAtt(bob.openId)] }, token: null, code: 99991661 },
    ]);
    await assertUnchanged();
  });

  it('GET /calendars/{id}/events/{event_id}/attendees (list) and …/attendees/{id}/chat_members', async () => {
    const p = att(botCal, E);
    const cm = (id: string) => `${p}/${id}/chat_members`;
    await runCases([
      { label: 'page_size text', method: 'GET', path: `${p}?page_size=abc`, code: 190002 },
      { label: 'page_size negative', method: 'GET', path: `${p}?page_size=-1`, code: 190002 },
      { label: 'page_token garbage', method: 'GET', path: `${p}?page_token=garbage`, expect: 'any' },
      { label: 'user_id_type bogus', method: 'GET', path: `${p}?user_id_type=email`, code: 190002 },
      { label: 'unknown event', method: 'GET', path: att(botCal, unknownEvent()), code: 193001 },
      { label: 'malformed event', method: 'GET', path: att(botCal, 'x'), code: 193000 },
      { label: 'other tenant event', method: 'GET', path: att(gCal, gEvent) },
      { label: 'other tenant token', method: 'GET', path: p, token: gtoken },
      { label: 'no token', method: 'GET', path: p, token: null, code: 99991661 },
      { label: 'unknown chat attendee', method: 'GET', path: cm('chat_999999999'), code: 194000 },
      { label: 'malformed attendee id', method: 'GET', path: cm('garbage') },
      { label: 'a user attendee', method: 'GET', path: cm(USER_ATT), expect: 'any' },
      { label: 'page_size text', method: 'GET', path: `${cm(CHAT_ATT)}?page_size=abc`, code: 190002 },
      { label: 'other tenant token', method: 'GET', path: cm(CHAT_ATT), token: gtoken },
    ]);
    await assertUnchanged();
  });

  it('POST /calendars/{id}/events/{event_id}/attendees/batch_delete', async () => {
    const p = `${att(botCal, E)}/batch_delete`;
    await runCases([
      { label: 'attendee_ids string', method: 'POST', path: p, body: { attendee_ids: USER_ATT }, code: 190002 },
      { label: 'attendee_ids numbers', method: 'POST', path: p, body: { attendee_ids: [1] } },
      { label: 'unknown attendee_id', method: 'POST', path: p, body: { attendee_ids: ['user_999999999'] }, code: 194000 },
      { label: 'known + unknown', method: 'POST', path: p, body: { attendee_ids: [USER_ATT, 'resource_999999999'] }, code: 194000 },
      { label: 'delete_ids string', method: 'POST', path: p, body: { delete_ids: 'x' }, code: 190002 },
      { label: 'delete_ids robot', method: 'POST', path: p, body: { delete_ids: [{ type: 'robot', user_id: alice.openId }] }, code: 194004 },
      { label: 'delete_ids missing id', method: 'POST', path: p, body: { delete_ids: [{ type: 'user' }] }, code: 194004 },
      { label: '501 ids', method: 'POST', path: p, body: { attendee_ids: [USER_ATT, ...Array.from({ length: 500 }, (_, i) => `user_${900000 + i}`)] }, code: 190002 },
      { label: 'need_notification text', method: 'POST', path: p, body: { attendee_ids: [USER_ATT], need_notification: 'no' }, code: 190002 },
      { label: 'is_enable_admin text', method: 'POST', path: p, body: { attendee_ids: [USER_ATT], is_enable_admin: 'no' }, code: 190002 },
      { label: 'null body', method: 'POST', path: p, body: 'null', code: 190002 },
      ...bodyAttacks('POST', p, 'attendee_ids'),
      { label: 'unknown event', method: 'POST', path: `${att(botCal, unknownEvent())}/batch_delete`, body: { attendee_ids: [USER_ATT] }, code: 193001 },
      { label: 'malformed event', method: 'POST', path: `${att(botCal, 'x')}/batch_delete`, body: { attendee_ids: [USER_ATT] }, code: 193000 },
      { label: 'other tenant event', method: 'POST', path: `${att(gCal, gEvent)}/batch_delete`, body: { attendee_ids: ['user_1'] } },
      { label: 'other tenant token', method: 'POST', path: p, body: { attendee_ids: [USER_ATT] }, token: gtoken },
      { label: 'attendee (not organizer)', method: 'POST', path: `${att(aliceCal, E)}/batch_delete`, body: { attendee_ids: [USER_ATT] }, token: aliceTok, code: 194003 },
      { label: 'no token', method: 'POST', path: p, body: { attendee_ids: [USER_ATT] }, token: null, code: 99991661 },
    ]);
    await assertUnchanged();
  });

  it('a trailing-slash domain (//open-apis) is tolerated', async () => {
    const res = await fsRaw(srv.baseUrl, 'POST', `/${API}/calendars/primary`, { token, body: {} });
    assert.equal(res.status, 200, res.text.slice(0, 200));
    assert.equal(res.json.data.calendars[0].calendar.calendar_id, botCal);
  });
});
