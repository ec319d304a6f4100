// Feishu/Lark plumbing: the official @larksuiteoapi/node-sdk pointed at a Kalends server, the sandbox OAuth
// flow for user tokens, error assertions (HTTP status + {code, msg, error:{log_id}} + X-Tt-Logid) and raw HTTP.
import assert from 'node:assert/strict';
import * as lark from '@larksuiteoapi/node-sdk';
import type { FsApp } from './feishu-directory.ts';
import { startServer, type KalendsServer } from './server.ts';

export { lark };

export const API = '/open-apis/calendar/v4';

export const CAL_ID_RE = /^feishu\.cn_[^@\s/]+@group\.calendar\.feishu\.cn$/;
export const EVENT_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_0$/i;
export const ATTENDEE_ID_RE: Record<string, RegExp> = {
  user: /^user_\d+$/,
  chat: /^chat_\d+$/,
  resource: /^resource_\d+$/,
  third_party: /^third_party_\d+$/,
};

/** Seed 001's error table, to the letter: code → HTTP status and description (the `msg`). */
export const SEED_ERRORS: Record<number, { status: number; msg: string }> = {
  190002: { status: 400, msg: 'invalid parameters in request' },
  190003: { status: 500, msg: 'internal service error' },
  190004: { status: 429, msg: 'method rate limited' },
  190005: { status: 429, msg: 'app rate limited' },
  190006: { status: 403, msg: 'wrong unit for app tenant' },
  190007: { status: 404, msg: 'app bot_id not found' },
  190010: { status: 429, msg: 'current operation rate limited' },
  190011: { status: 403, msg: 'tenant encrypt key has been deleted' },
  190012: { status: 403, msg: 'tenant decrypt key has been deleted' },
  191000: { status: 404, msg: 'calendar not found' },
  191001: { status: 400, msg: 'invalid calendar_id' },
  191002: { status: 403, msg: 'no calendar access_role' },
  191003: { status: 403, msg: 'calendar is deleted' },
  191004: { status: 403, msg: 'invalid calendar type' },
  193000: { status: 400, msg: 'invalid event_id' },
  193001: { status: 404, msg: 'event not found' },
  193002: { status: 403, msg: 'no permission to operate event' },
  193003: { status: 403, msg: 'event is deleted' },
  194000: { status: 404, msg: 'attendee not found' },
  194001: { status: 403, msg: 'no permission to list event attendees' },
  194002: { status: 403, msg: 'no permission to create event attendees' },
  194003: { status: 403, msg: 'no permission to delete event attendees' },
  194004: { status: 400, msg: 'invalid attendee type' },
  195100: { status: 404, msg: 'user is dismiss or not exist in the tenant' },
};

/** A silent SDK logger: expected errors would otherwise flood the test output. */
const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

export function fsClient(
  baseUrl: string,
  app: FsApp,
  extra: { disableTokenCache?: boolean; loud?: boolean; privateCache?: boolean } = {},
): lark.Client {
  return new lark.Client({
    appId: app.appId,
    appSecret: app.appSecret,
    domain: baseUrl,
    loggerLevel: lark.LoggerLevel.error,
    ...(extra.loud ? {} : { logger: quiet }),
    ...(extra.disableTokenCache ? { disableTokenCache: true } : {}),
    ...(extra.privateCache ? { cache: privateCache() } : {}),
  });
}

/** A token cache of its own (the SDK's default cache is process-wide per appId). */
export function privateCache() {
  const m = new Map<string, { value: unknown; expire: number | undefined }>();
  const k = (key: string | symbol | Symbol, ns?: string) => `${ns ?? ''}\u0000${String(key)}`;
  return {
    async set(key: string | Symbol, value: any, expire?: number, options?: { namespace?: string }) {
      m.set(k(key, options?.namespace), { value, expire });
      return true;
    },
    async get(key: string | Symbol, options?: { namespace?: string }) {
      const e = m.get(k(key, options?.namespace));
      if (!e) return undefined;
      if (e.expire !== undefined && e.expire < Date.now()) return undefined;
      return e.value;
    },
  };
}

export const asUser = (token: string) => lark.withUserAccessToken(token);

/** Asserts `{code:0, msg:'success', data:{…}}` and returns data (untyped, for brevity). */
export function ok(res: unknown, label = 'reply'): any {
  const r = res as { code?: unknown; msg?: unknown; data?: unknown };
  assert.ok(r && typeof r === 'object', `${label}: reply is not an object: ${String(res)}`);
  assert.equal(r.code, 0, `${label}: expected code 0, got ${JSON.stringify(res)?.slice(0, 400)}`);
  assert.equal(r.msg, 'success', `${label}: expected msg 'success', got ${JSON.stringify(r.msg)}`);
  assert.ok(r.data && typeof r.data === 'object' && !Array.isArray(r.data), `${label}: data is not an object`);
  return r.data;
}

// ---------------------------------------------------------------------------------------------------------------
// Raw HTTP

export interface FsRaw {
  status: number;
  text: string;
  json: any;
  jsonError: string | null;
  headers: Headers;
}

export async function fsRaw(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; body?: string | object; headers?: Record<string, string>; redirect?: 'manual' | 'follow' } = {},
): Promise<FsRaw> {
  const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}) };
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  const res = await fetch(baseUrl + path, { method, headers, body, redirect: opts.redirect ?? 'follow' });
  const text = await res.text();
  let json: any = undefined;
  let jsonError: string | null = null;
  try {
    json = JSON.parse(text);
  } catch (e) {
    jsonError = String(e);
  }
  return { status: res.status, text, json, jsonError, headers: res.headers };
}

/** A Feishu error reply: < 500, JSON object with a non-zero numeric `code` and a string `msg`. */
export function assertFsErrorShape(res: FsRaw, label: string): void {
  assert.ok(res.status < 500, `${label}: got HTTP ${res.status} (a 5xx for a client's mistake): ${res.text.slice(0, 300)}`);
  assert.equal(res.jsonError, null, `${label}: body is not JSON (HTTP ${res.status}): ${res.text.slice(0, 300)}`);
  assert.ok(res.json && typeof res.json === 'object' && !Array.isArray(res.json), `${label}: body is not a JSON object`);
  assert.equal(typeof res.json.code, 'number', `${label}: code is not a number: ${res.text.slice(0, 300)}`);
  assert.equal(typeof res.json.msg, 'string', `${label}: msg is not a string: ${res.text.slice(0, 300)}`);
  if (res.status >= 400) assert.notEqual(res.json.code, 0, `${label}: HTTP ${res.status} with code 0`);
}

// ---------------------------------------------------------------------------------------------------------------
// Tokens

export async function tenantToken(baseUrl: string, app: FsApp): Promise<string> {
  const res = await fsRaw(baseUrl, 'POST', '/open-apis/auth/v3/tenant_access_token/internal', {
    body: { app_id: app.appId, app_secret: app.appSecret },
  });
  assert.equal(res.status, 200, `tenant_access_token: HTTP ${res.status} ${res.text.slice(0, 300)}`);
  assert.equal(res.json?.code, 0, `tenant_access_token: ${res.text.slice(0, 300)}`);
  const t = res.json.tenant_access_token;
  assert.equal(typeof t, 'string', 'no tenant_access_token');
  return t as string;
}

export async function appAccessToken(baseUrl: string, app: FsApp): Promise<string> {
  const res = await fsRaw(baseUrl, 'POST', '/open-apis/auth/v3/app_access_token/internal', {
    body: { app_id: app.appId, app_secret: app.appSecret },
  });
  assert.equal(res.status, 200, `app_access_token: HTTP ${res.status} ${res.text.slice(0, 300)}`);
  assert.equal(res.json?.code, 0, `app_access_token: ${res.text.slice(0, 300)}`);
  const t = res.json.app_access_token;
  assert.equal(typeof t, 'string', 'no app_access_token');
  return t as string;
}

export const REDIRECT_URI = 'https://app.example/feishu/callback';

/** GET /open-apis/authen/v1/authorize (sandbox: login_hint picks the user) without following the redirect. */
export async function authorize(
  baseUrl: string,
  appId: string,
  loginHint: string,
  state = 'st-1',
  redirectUri = REDIRECT_URI,
): Promise<FsRaw & { location: string | null }> {
  const q = new URLSearchParams({ app_id: appId, redirect_uri: redirectUri, state, login_hint: loginHint });
  const res = await fsRaw(baseUrl, 'GET', `/open-apis/authen/v1/authorize?${q.toString()}`, { redirect: 'manual' });
  return { ...res, location: res.headers.get('location') };
}

/** The authorization code of a sandbox login as `loginHint` (open_id, union_id or user_id). */
export async function authCode(baseUrl: string, appId: string, loginHint: string): Promise<string> {
  const state = `st-${Math.random().toString(36).slice(2, 10)}`;
  const res = await authorize(baseUrl, appId, loginHint, state);
  assert.equal(res.status, 302, `authorize: expected 302, got HTTP ${res.status} ${res.text.slice(0, 300)}`);
  assert.ok(res.location, 'authorize: no Location header');
  const loc = new URL(res.location!);
  assert.equal(`${loc.origin}${loc.pathname}`, REDIRECT_URI, `authorize: redirected to ${res.location}`);
  assert.equal(loc.searchParams.get('state'), state, 'authorize: state not echoed');
  const code = loc.searchParams.get('code');
  assert.ok(code, `authorize: no code in ${res.location}`);
  return code!;
}

/** A user_access_token for `loginHint` through the sandbox OAuth flow and the SDK's oidcAccessToken.create. */
export async function userToken(client: lark.Client, baseUrl: string, appId: string, loginHint: string): Promise<string> {
  const code = await authCode(baseUrl, appId, loginHint);
  const res = await client.authen.oidcAccessToken.create({ data: { grant_type: 'authorization_code', code } });
  const data = ok(res, 'oidcAccessToken.create');
  assert.equal(typeof data.access_token, 'string', 'oidcAccessToken.create: no access_token');
  assert.ok(String(data.access_token).startsWith('u-'), `user token should start with u-: ${data.access_token}`);
  return data.access_token as string;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors through the SDK

export interface FsErr {
  status: number;
  body: any;
  logId: string | null;
}

function describeReject(e: any): string {
  if (e?.response) return `HTTP ${e.response.status} ${JSON.stringify(e.response.data)?.slice(0, 300)}`;
  return `${e?.name ?? typeof e}: ${e?.message ?? String(e)}`;
}

/**
 * Awaits `p` (an SDK call) and requires an HTTP error: the SDK throws an AxiosError for non-2xx. Checks the
 * status, `code`, `msg` (seed 001's description for 19xxxx codes unless `msg` is given), `error.log_id` and the
 * `X-Tt-Logid` header. A resolved reply (2xx, even with a non-zero code) fails.
 */
export async function expectFsError(
  p: Promise<unknown>,
  code: number,
  opts: { status?: number; msg?: string | null; label?: string } = {},
): Promise<FsErr> {
  const seed = SEED_ERRORS[code];
  const status = opts.status ?? seed?.status;
  const msg = opts.msg === undefined ? seed?.msg : opts.msg;
  const label = opts.label ? `${opts.label}: ` : '';
  let value: unknown;
  try {
    value = await p;
  } catch (e: any) {
    assert.ok(e?.response, `${label}expected HTTP ${status} code ${code}; the call failed without a response: ${describeReject(e)}`);
    const res = e.response;
    const body = res.data;
    const got = describeReject(e);
    assert.ok(body && typeof body === 'object', `${label}error body is not a JSON object: ${got}`);
    assert.equal(body.code, code, `${label}expected code ${code}; got ${got}`);
    if (status !== undefined) assert.equal(res.status, status, `${label}expected HTTP ${status} for code ${code}; got ${got}`);
    assert.equal(typeof body.msg, 'string', `${label}msg is not a string: ${got}`);
    // The description leads the msg (seed 001's exact-msg check lives in feishu-seed.test.ts).
    if (msg) assert.ok(body.msg.startsWith(msg), `${label}msg of ${code} should start with ${JSON.stringify(msg)}; got ${got}`);
    const logId = body.error?.log_id;
    assert.equal(typeof logId, 'string', `${label}error.log_id missing: ${got}`);
    assert.ok(logId.length > 0, `${label}error.log_id empty`);
    const header = res.headers?.['x-tt-logid'];
    assert.equal(header, logId, `${label}X-Tt-Logid header (${String(header)}) should equal error.log_id (${logId})`);
    return { status: res.status, body, logId };
  }
  const v = value as { code?: unknown } | undefined;
  if (v && typeof v === 'object' && v.code !== undefined && v.code !== 0) {
    assert.fail(`${label}expected HTTP ${status} code ${code}; got a 2xx reply with code ${String(v.code)}: ${JSON.stringify(v).slice(0, 300)}`);
  }
  assert.fail(`${label}expected HTTP ${status} code ${code}; the call succeeded: ${JSON.stringify(value)?.slice(0, 300)}`);
}

/** Like expectFsError but accepts any of several (status, code) outcomes. Returns the code seen. */
export async function expectFsErrorOneOf(p: Promise<unknown>, codes: number[], label = ''): Promise<number> {
  let value: unknown;
  try {
    value = await p;
  } catch (e: any) {
    const got = describeReject(e);
    assert.ok(e?.response, `${label}: expected one of ${codes.join('/')}; ${got}`);
    const code = e.response.data?.code;
    assert.ok(codes.includes(code), `${label}: expected one of ${codes.join('/')}; got ${got}`);
    const seed = SEED_ERRORS[code];
    if (seed) {
      assert.equal(e.response.status, seed.status, `${label}: HTTP status for ${code}; got ${got}`);
      assert.ok(String(e.response.data.msg).startsWith(seed.msg), `${label}: msg for ${code}; got ${got}`);
    }
    return code as number;
  }
  assert.fail(`${label}: expected one of ${codes.join('/')}; the call succeeded: ${JSON.stringify(value)?.slice(0, 300)}`);
}

/** Awaits p and returns either {ok:true, value} or {ok:false, error}. */
export async function settle<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: any }> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Fixtures

/** Unix seconds (as the string Feishu uses) of an ISO date-time. */
export function unix(iso: string): string {
  const ms = Date.parse(iso);
  assert.ok(Number.isFinite(ms), `bad ISO ${iso}`);
  return String(Math.floor(ms / 1000));
}

export const TZ = 'Asia/Shanghai';

/** A timed event body: `startIso` for `minutes`. */
export function timedEvent(summary: string, startIso = '2031-03-04T10:00:00+08:00', minutes = 60, extra: Record<string, unknown> = {}) {
  const start = Number(unix(startIso));
  return {
    summary,
    start_time: { timestamp: String(start), timezone: TZ },
    end_time: { timestamp: String(start + minutes * 60), timezone: TZ },
    ...extra,
  };
}

/** The primary calendar id of the caller (bot for a tenant token, the user for a user token). */
export async function primaryCalendarId(client: lark.Client, userTok?: string): Promise<string> {
  const res = userTok ? await client.calendar.v4.calendar.primary({}, asUser(userTok)) : await client.calendar.v4.calendar.primary({});
  const data = ok(res, 'calendar.primary');
  const id = data.calendars?.[0]?.calendar?.calendar_id;
  assert.equal(typeof id, 'string', `calendar.primary: no calendar id in ${JSON.stringify(data)}`);
  return id as string;
}

/** Every attendee of an event (page_size 100, follows page_token, bounded). */
export async function listAllAttendees(
  client: lark.Client,
  calendarId: string,
  eventId: string,
  o: { userTok?: string; userIdType?: 'open_id' | 'union_id' | 'user_id'; pageSize?: number } = {},
): Promise<any[]> {
  const out: any[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < 200; page++) {
    const params: Record<string, unknown> = { page_size: o.pageSize ?? 100 };
    if (o.userIdType) params.user_id_type = o.userIdType;
    if (pageToken) params.page_token = pageToken;
    const payload = { path: { calendar_id: calendarId, event_id: eventId }, params: params as any };
    const res = o.userTok
      ? await client.calendar.v4.calendarEventAttendee.list(payload, asUser(o.userTok))
      : await client.calendar.v4.calendarEventAttendee.list(payload);
    const data = ok(res, 'calendarEventAttendee.list');
    const items = (data.items as any[]) ?? [];
    out.push(...items);
    if (!data.has_more) return out;
    assert.ok(items.length > 0, 'attendee list: an empty page with has_more');
    assert.equal(typeof data.page_token, 'string', 'attendee list: has_more without page_token');
    pageToken = data.page_token;
  }
  throw new Error('attendee list did not finish after 200 pages');
}

/** Adds attendees (≤ 500) and returns data.attendees. */
export async function addAttendees(
  client: lark.Client,
  calendarId: string,
  eventId: string,
  attendees: Array<Record<string, unknown>>,
  o: { userTok?: string; userIdType?: 'open_id' | 'union_id' | 'user_id' } = {},
): Promise<any[]> {
  const payload = {
    path: { calendar_id: calendarId, event_id: eventId },
    params: o.userIdType ? { user_id_type: o.userIdType } : {},
    data: { attendees: attendees as any, need_notification: false },
  };
  const res = o.userTok
    ? await client.calendar.v4.calendarEventAttendee.create(payload, asUser(o.userTok))
    : await client.calendar.v4.calendarEventAttendee.create(payload);
  const data = ok(res, 'calendarEventAttendee.create');
  assert.ok(Array.isArray(data.attendees), 'create: data.attendees is not an array');
  return data.attendees as any[];
}

export const userAtt = (userId: string, extra: Record<string, unknown> = {}) => ({ type: 'user', user_id: userId, ...extra });

export type UserIdType = 'open_id' | 'union_id' | 'user_id';

/** The SDK's per-request options for a user token, or none (tenant token). */
export const as = (userTok?: string) => (userTok ? asUser(userTok) : undefined);

/** calendarEvent.create; returns data.event. */
export async function createEvent(
  client: lark.Client,
  calendarId: string,
  body: Record<string, unknown>,
  o: { userTok?: string; idempotencyKey?: string; userIdType?: UserIdType } = {},
): Promise<any> {
  const params: Record<string, string> = {};
  if (o.idempotencyKey !== undefined) params.idempotency_key = o.idempotencyKey;
  if (o.userIdType) params.user_id_type = o.userIdType;
  const res = await client.calendar.v4.calendarEvent.create(
    { path: { calendar_id: calendarId }, params: params as any, data: body as any },
    as(o.userTok),
  );
  const data = ok(res, 'calendarEvent.create');
  assert.ok(data.event && typeof data.event === 'object', 'calendarEvent.create: no data.event');
  return data.event;
}

/** calendarEvent.get; returns data.event. */
export async function getEvent(
  client: lark.Client,
  calendarId: string,
  eventId: string,
  o: { userTok?: string; userIdType?: UserIdType; needAttendee?: boolean; maxAttendeeNum?: number } = {},
): Promise<any> {
  const params: Record<string, unknown> = {};
  if (o.userIdType) params.user_id_type = o.userIdType;
  if (o.needAttendee !== undefined) params.need_attendee = o.needAttendee;
  if (o.maxAttendeeNum !== undefined) params.max_attendee_num = o.maxAttendeeNum;
  const res = await client.calendar.v4.calendarEvent.get(
    { path: { calendar_id: calendarId, event_id: eventId }, params: params as any },
    as(o.userTok),
  );
  const data = ok(res, 'calendarEvent.get');
  assert.ok(data.event && typeof data.event === 'object', 'calendarEvent.get: no data.event');
  return data.event;
}

/** calendarEventAttendee.batchDelete; asserts data {}. */
export async function batchDelete(
  client: lark.Client,
  calendarId: string,
  eventId: string,
  body: { attendee_ids?: string[]; delete_ids?: Array<Record<string, unknown>> },
  o: { userTok?: string; userIdType?: UserIdType } = {},
): Promise<void> {
  const res = await client.calendar.v4.calendarEventAttendee.batchDelete(
    {
      path: { calendar_id: calendarId, event_id: eventId },
      params: o.userIdType ? { user_id_type: o.userIdType } : {},
      data: { ...body, need_notification: false } as any,
    },
    as(o.userTok),
  );
  assert.deepEqual(ok(res, 'batchDelete'), {}, 'batchDelete: data should be {}');
}

/** A running server on a Feishu fixture, the app's client, and one signed-in user's token and primary calendar. */
export interface FeishuUserSession {
  srv: KalendsServer;
  client: lark.Client;
  userTok: string;
  userCal: string;
}

/** Starts a server on `directory` (rate limits off) and signs one user in through the sandbox's OAuth. */
export async function startWithUser(directory: unknown, app: FsApp, openId: string): Promise<FeishuUserSession> {
  const srv = await startServer({ directory, extraArgs: ['--rate-limit', 'off'] });
  const client = fsClient(srv.baseUrl, app);
  const userTok = await userToken(client, srv.baseUrl, app.appId, openId);
  return { srv, client, userTok, userCal: await primaryCalendarId(client, userTok) };
}
