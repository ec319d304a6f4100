// Every operation of both official SDKs reaches an operation of Kalends: each `…WithOptions`
// method of the DingTalk `Calendar` client (`@alicloud/dingtalk/calendar_1_0`) and each method
// of the Lark `client.calendar.v4` resources is called once against a running Kalends with
// plausible arguments. A platform error reply is an answer; only the "no operation" 404
// (DingTalk `InvalidAction.NotFound`, Feishu code 404) is not.
//
// STILL_OWED names the operations not served yet; each must still answer the no-operation 404,
// so the list can only shrink: when one starts answering, this test fails until it is removed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $Calendar, calendarClient, getToken, rt, type CalendarClientT } from './helpers/dingtalk.ts';
import { buildFeishuFixture } from './helpers/feishu-directory.ts';
import { addAttendees, createEvent, fsClient, lark, primaryCalendarId, timedEvent, unix } from './helpers/feishu.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

/** Operations not served yet (none now: every operation of both SDKs answers). */
const STILL_OWED = {
  dingtalk: new Set<string>(),
  feishu: new Set<string>(),
};

const fx = buildFeishuFixture({ tag: 'sdkcov' });
const { app, users, chat, room } = fx.acme;

let srv: KalendsServer;
let lc: lark.Client;
let dt: CalendarClientT;
let dtToken = '';
let botCal = '';
let eventId = '';
let chatAttendeeId = '';

before(async () => {
  srv = await startServer({ directory: fx.directory, extraArgs: ['--rate-limit', 'off'] });
  lc = fsClient(srv.baseUrl, app, { privateCache: true });
  dt = calendarClient(srv.endpoint);
  dtToken = await getToken(srv.endpoint, fx.acme.dingtalkApp);
  botCal = await primaryCalendarId(lc);
  eventId = (await createEvent(lc, botCal, timedEvent('Covered'))).event_id;
  const [att] = await addAttendees(lc, botCal, eventId, [{ type: 'chat', chat_id: chat.chatId }]);
  chatAttendeeId = att.attendee_id;
});

after(async () => {
  await srv?.cleanup();
});

type Outcome = { answered: true } | { answered: false; detail: string };

/** The parameter names of a compiled SDK method, from its source (`async fooWithOptions(userId, request, headers, runtime) {`). */
function paramNames(fn: Function): string[] {
  const m = /^[^(]*\(([^)]*)\)/.exec(fn.toString());
  return (m?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Plausible DingTalk request fields, where an empty request would say little. */
const DT_BODIES: Record<string, Record<string, unknown>> = {
  createEvent: { summary: 'Probe', start: { dateTime: '2031-03-04T10:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2031-03-04T11:00:00+08:00', timeZone: 'Asia/Shanghai' } },
  getSchedule: { userIds: [users.alice.unionId], startTime: '2031-03-04T00:00:00+08:00', endTime: '2031-03-05T00:00:00+08:00' },
  getScheduleByMe: { userIds: [users.alice.unionId], startTime: '2031-03-04T00:00:00+08:00', endTime: '2031-03-05T00:00:00+08:00' },
  getMeetingRoomsSchedule: { roomIds: [room.roomId], startTime: '2031-03-04T00:00:00+08:00', endTime: '2031-03-05T00:00:00+08:00' },
  listEventsView: { timeMin: '2031-03-04T00:00:00+08:00', timeMax: '2031-03-05T00:00:00+08:00' },
  listEventsViewByMe: { timeMin: '2031-03-04T00:00:00+08:00', timeMax: '2031-03-05T00:00:00+08:00' },
  convertLegacyEventId: { legacyEventIds: ['12345'] },
  createAcls: { privilege: 'reader', scope: { scopeType: 'user', userId: users.bob.unionId } },
};

async function callDingTalk(method: string): Promise<Outcome> {
  const op = method.replace(/WithOptions$/, '');
  const Op = op[0]!.toUpperCase() + op.slice(1);
  const path: Record<string, string> = { userId: users.alice.unionId, calendarId: 'primary', eventId: 'probe-event', aclId: 'probe-acl', roomId: room.roomId };
  const cal = $Calendar as unknown as Record<string, new (m: Record<string, unknown>) => unknown>;
  const args = paramNames((dt as unknown as Record<string, Function>)[method]!).map((name) => {
    if (name === 'request') return new cal[`${Op}Request`]!(DT_BODIES[op] ?? {});
    if (name === 'headers') return new cal[`${Op}Headers`]!({ xAcsDingtalkAccessToken: dtToken });
    if (name === 'runtime') return rt();
    assert.ok(name in path, `${method}: no plausible value for the path parameter ${name}`);
    return path[name];
  });
  try {
    await (dt as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!(...args);
    return { answered: true };
  } catch (e) {
    const err = e as { statusCode?: number; code?: string; message?: string };
    assert.equal(typeof err.statusCode, 'number', `${method}: failed without reaching Kalends: ${err.message}`);
    if (err.statusCode === 404 && err.code === 'InvalidAction.NotFound') return { answered: false, detail: String(err.message) };
    return { answered: true };
  }
}

/** Plausible Lark payloads: path values of the set-up event, and the required query or body fields. */
function larkPayload(name: string): Record<string, unknown> {
  const path = { calendar_id: botCal, event_id: eventId, attendee_id: chatAttendeeId, acl_id: 'user_probe', exchange_binding_id: 'probe', timeoff_event_id: 'timeoff:probe' };
  const window = { start_time: unix('2031-03-01T00:00:00Z'), end_time: unix('2031-03-20T00:00:00Z') };
  const busy = { time_min: '2031-03-04T00:00:00+08:00', time_max: '2031-03-05T00:00:00+08:00' };
  const extra: Record<string, Record<string, unknown>> = {
    'calendar.search': { data: { query: 'Covered' } },
    'calendar.searchWithIterator': { data: { query: 'Covered' } },
    'calendar.mget': { data: { calendar_ids: [botCal] } },
    'calendar.primarys': { data: { user_ids: [users.alice.openId] } },
    'calendarEvent.search': { data: { query: 'Covered' } },
    'calendarEvent.searchWithIterator': { data: { query: 'Covered' } },
    'calendarEvent.instances': { params: window },
    'calendarEvent.instanceView': { params: window },
    'calendarEvent.create': { data: timedEvent('Probe') },
    'calendarEvent.reply': { data: { rsvp_status: 'accept' } },
    'calendarAcl.create': { data: { role: 'reader', scope: { type: 'user', user_id: users.bob.openId } } },
    'calendarEventAttendee.create': { data: { attendees: [{ type: 'user', user_id: users.bob.openId }] } },
    'calendarEventAttendee.batchDelete': { data: { attendee_ids: ['user_999999'] } },
    'calendarEventMeetingChat.delete': { params: { meeting_chat_id: 'oc_probe' } },
    'freebusy.list': { data: { ...busy, user_id: users.alice.openId } },
    'freebusy.batch': { data: { ...busy, user_ids: [users.alice.openId] } },
    'timeoffEvent.create': { data: { user_id: users.alice.openId, timezone: 'Asia/Shanghai', start_time: '2031-03-04', end_time: '2031-03-05' } },
    'exchangeBinding.create': { data: { admin_account: 'admin@ex.example', exchange_account: 'a@ex.example', user_id: users.alice.openId } },
    'setting.generateCaldavConf': { data: { device_name: 'probe' } },
  };
  return { path, ...extra[name] };
}

async function callLark(resource: string, method: string): Promise<Outcome> {
  const name = `${resource}.${method}`;
  const fn = ((lc.calendar as unknown as { v4: Record<string, Record<string, (p: unknown) => Promise<unknown>>> }).v4)[resource]![method]!;
  if (method.endsWith('WithIterator')) {
    // Iterators swallow HTTP errors (they yield null and stop): a first page is the answer.
    const pages: unknown[] = [];
    for await (const page of (await fn(larkPayload(name))) as AsyncIterable<unknown>) {
      pages.push(page);
      break;
    }
    return pages[0] ? { answered: true } : { answered: false, detail: 'the iterator yielded no page' };
  }
  try {
    await fn(larkPayload(name));
    return { answered: true };
  } catch (e) {
    const res = (e as { response?: { status: number; data?: { code?: unknown; error?: { troubleshooter?: string } } } }).response;
    assert.ok(res, `${name}: failed without reaching Kalends: ${(e as Error).message}`);
    if (res.status === 404 && res.data?.code === 404) return { answered: false, detail: String(res.data.error?.troubleshooter) };
    return { answered: true };
  }
}

describe('every operation of the official SDKs reaches Kalends', () => {
  it('DingTalk calendar_1_0: 42 operations; those not owed answer, the owed still 404', async () => {
    const proto = Object.getPrototypeOf(dt) as object;
    const methods = Object.getOwnPropertyNames(proto).filter((n) => n.endsWith('WithOptions')).sort();
    assert.equal(methods.length, 42);
    for (const owed of STILL_OWED.dingtalk) assert.ok(methods.includes(`${owed}WithOptions`), `owed ${owed} is no SDK operation`);
    const noRoute: string[] = [];
    const nowAnswering: string[] = [];
    for (const method of methods) {
      const op = method.replace(/WithOptions$/, '');
      const outcome = await callDingTalk(method);
      if (!outcome.answered && !STILL_OWED.dingtalk.has(op)) noRoute.push(`${op}: ${outcome.detail}`);
      if (outcome.answered && STILL_OWED.dingtalk.has(op)) nowAnswering.push(op);
    }
    assert.deepEqual(noRoute, [], 'DingTalk operations answered by the no-operation 404');
    assert.deepEqual(nowAnswering, [], 'owed DingTalk operations that answer now: remove them from STILL_OWED');
  });

  it('Lark calendar.v4: 44 operations and 5 iterators; those not owed answer, the owed still 404', async () => {
    const v4 = (lc.calendar as unknown as { v4: Record<string, Record<string, unknown>> }).v4;
    const names = Object.keys(v4).flatMap((r) => Object.keys(v4[r]!).map((m) => [r, m] as const));
    assert.equal(names.filter(([, m]) => !m.endsWith('WithIterator')).length, 44);
    assert.equal(names.filter(([, m]) => m.endsWith('WithIterator')).length, 5);
    const all = new Set(names.map(([r, m]) => `${r}.${m}`));
    for (const owed of STILL_OWED.feishu) assert.ok(all.has(owed), `owed ${owed} is no SDK operation`);
    // Iterators first, while the set-up event still stands (a later delete ends it).
    names.sort(([, a], [, b]) => Number(b.endsWith('WithIterator')) - Number(a.endsWith('WithIterator')));
    const noRoute: string[] = [];
    const nowAnswering: string[] = [];
    for (const [resource, method] of names) {
      const name = `${resource}.${method}`;
      const outcome = await callLark(resource, method);
      if (!outcome.answered && !STILL_OWED.feishu.has(name)) noRoute.push(`${name}: ${outcome.detail}`);
      if (outcome.answered && STILL_OWED.feishu.has(name)) nowAnswering.push(name);
    }
    assert.deepEqual(noRoute, [], 'Lark operations answered by the no-operation 404 (or an iterator with no page)');
    assert.deepEqual(nowAnswering, [], 'owed Lark operations that answer now: remove them from STILL_OWED');
  });
});
