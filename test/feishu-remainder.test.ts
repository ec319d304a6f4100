// Feishu's remaining calendar v4 operations through the official SDK: calendarEvent.search (and
// searchWithIterator), the meeting chat and minutes of an event, Exchange bindings; and the
// defects found by driving Kalends as a new Feishu user would (chat_members ids, the chat
// membership rule, calendarAcl.list's page_size clamp, the no-operation 404).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildFeishuFixture } from './helpers/feishu-directory.ts';
import {
  API, addAttendees, as, createEvent, expectFsError, fsClient, fsRaw, lark, ok, primaryCalendarId, tenantToken, timedEvent, unix, userToken,
} from './helpers/feishu.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const ADMIN_TOKEN = 'remainder-admin-0123456789abcdefXYZ';
const fx = buildFeishuFixture({ tag: 'rest', bulk: 12 });
const { users, app, chat, chat2, room } = fx.acme;
const { alice, bob, carol, erin } = users;

let srv: KalendsServer;
let client: lark.Client;
let globex: lark.Client;
let aliceTok = '';
let bobTok = '';
let ginaTok = '';
let aliceCal = '';
let botCal = '';
const ev: Record<string, string> = {};

before(async () => {
  srv = await startServer({ directory: fx.directory, extraArgs: ['--rate-limit', 'off', '--admin-token', ADMIN_TOKEN] });
  client = fsClient(srv.baseUrl, app, { privateCache: true });
  globex = fsClient(srv.baseUrl, fx.globex.app, { privateCache: true });
  aliceTok = await userToken(client, srv.baseUrl, app.appId, alice.openId);
  bobTok = await userToken(client, srv.baseUrl, app.appId, bob.openId);
  ginaTok = await userToken(globex, srv.baseUrl, fx.globex.app.appId, fx.globex.users.gina.openId);
  aliceCal = await primaryCalendarId(client, aliceTok);
  botCal = await primaryCalendarId(client);
  const mk = async (key: string, body: Record<string, unknown>) => { ev[key] = (await createEvent(client, aliceCal, body, { userTok: aliceTok })).event_id; };
  await mk('planning', timedEvent('Quarterly Planning', '2031-03-04T10:00:00+08:00', 60, { description: 'budget review' }));
  await mk('lunch', timedEvent('Lunch', '2031-03-05T12:00:00+08:00', 60, { description: 'team planning lunch' }));
  await mk('standup', timedEvent('Standup', '2031-03-06T09:00:00+08:00', 15));
  await mk('solo', timedEvent('Solo focus', '2031-03-07T09:00:00+08:00', 60));
  await addAttendees(client, aliceCal, ev.planning!, [{ type: 'user', user_id: bob.openId }], { userTok: aliceTok });
  await addAttendees(client, aliceCal, ev.lunch!, [{ type: 'resource', room_id: room.roomId }], { userTok: aliceTok });
  await addAttendees(client, aliceCal, ev.standup!, [{ type: 'chat', chat_id: chat.chatId }], { userTok: aliceTok });
});

after(async () => {
  await srv?.cleanup();
});

type SearchData = NonNullable<Parameters<lark.Client['calendar']['v4']['calendarEvent']['search']>[0]>['data'];

async function search(data: SearchData, o: { tok?: string; calendar?: string; params?: Record<string, unknown> } = {}): Promise<any> {
  return ok(await client.calendar.v4.calendarEvent.search({ path: { calendar_id: o.calendar ?? aliceCal }, params: o.params as any, data }, as(o.tok ?? aliceTok)), 'search');
}
const summaries = (d: any) => (d.items as any[]).map((e) => e.summary).sort();

describe('calendarEvent.search', () => {
  it('finds the words in summary or description, whatever their case', async () => {
    assert.deepEqual(summaries(await search({ query: 'PLANNING' })), ['Lunch', 'Quarterly Planning']);
    assert.deepEqual(summaries(await search({ query: 'budget' })), ['Quarterly Planning']);
  });

  it('searches %, _ and backslash as the characters they are', async () => {
    const cal = ok(await client.calendar.v4.calendar.create({ data: { summary: 'Escapes' } }, as(aliceTok))).calendar.calendar_id;
    await createEvent(client, cal, timedEvent('Budget 50% done', '2031-04-01T10:00:00+08:00', 30, { description: 'path C:\\temp' }), { userTok: aliceTok });
    await createEvent(client, cal, timedEvent('snake_case rename', '2031-04-02T10:00:00+08:00'), { userTok: aliceTok });
    assert.deepEqual(summaries(await search({ query: '50%' }, { calendar: cal })), ['Budget 50% done']);
    assert.deepEqual(summaries(await search({ query: '5_%' }, { calendar: cal })), [], '_ and % are no wildcards');
    assert.deepEqual(summaries(await search({ query: 'e_c' }, { calendar: cal })), ['snake_case rename']);
    assert.deepEqual(summaries(await search({ query: 'ke_' }, { calendar: cal })), ['snake_case rename']);
    assert.deepEqual(summaries(await search({ query: 'C:\\t' }, { calendar: cal })), ['Budget 50% done']);
    assert.deepEqual(summaries(await search({ query: '\\%' }, { calendar: cal })), []);
  });

  it('narrows by time window, people (in user_id_type), rooms and chats', async () => {
    const window = { start_time: { timestamp: unix('2031-03-05T00:00:00+08:00') }, end_time: { timestamp: unix('2031-03-06T23:00:00+08:00') } };
    assert.deepEqual(summaries(await search({ query: '', filter: window })), ['Lunch', 'Standup']);
    assert.deepEqual(summaries(await search({ query: '', filter: { start_time: { date: '2031-03-06', timezone: 'Asia/Shanghai' } } })), ['Solo focus', 'Standup']);
    assert.deepEqual(summaries(await search({ query: '', filter: { user_ids: [bob.openId] } })), ['Quarterly Planning']);
    assert.deepEqual(summaries(await search({ query: '', filter: { user_ids: [bob.userId] } }, { params: { user_id_type: 'user_id' } })), ['Quarterly Planning']);
    assert.deepEqual(summaries(await search({ query: '', filter: { room_ids: [room.roomId] } })), ['Lunch']);
    assert.deepEqual(summaries(await search({ query: 'stand', filter: { chat_ids: [chat.chatId] } })), ['Standup']);
    assert.deepEqual(summaries(await search({ query: '', filter: { user_ids: ['ou_nobody'] } })), [], 'an unknown person matches nothing');
  });

  it('pages with page_token, and searchWithIterator walks every page', async () => {
    const first = await search({ query: '' }, { params: { page_size: 3 } });
    assert.equal(first.items.length, 3);
    assert.equal(first.has_more, true);
    const second = await search({ query: '' }, { params: { page_size: 3, page_token: first.page_token } });
    assert.deepEqual(summaries(second), ['Solo focus']);
    assert.equal(second.page_token, undefined);
    const seen: string[] = [];
    for await (const page of await client.calendar.v4.calendarEvent.searchWithIterator({ path: { calendar_id: aliceCal }, params: { page_size: 1 }, data: { query: '' } }, as(aliceTok))) {
      for (const e of page?.items ?? []) seen.push(e.summary ?? '');
    }
    assert.deepEqual(seen, ['Quarterly Planning', 'Lunch', 'Standup', 'Solo focus']);
  });

  it('searches only what the caller may see: an invitee finds it on their own primary, not on the organizer\'s', async () => {
    const bobCal = await primaryCalendarId(client, bobTok);
    assert.deepEqual(summaries(await search({ query: 'planning' }, { tok: bobTok, calendar: bobCal })), ['Quarterly Planning']);
    await expectFsError(client.calendar.v4.calendarEvent.search({ path: { calendar_id: aliceCal }, data: { query: 'planning' } }, as(bobTok)), 191002);
  });

  it('refuses bad input in Feishu\'s format; another tenant\'s calendar is not found', async () => {
    const p = { path: { calendar_id: aliceCal } };
    await expectFsError(client.calendar.v4.calendarEvent.search({ ...p, params: { page_size: 51 }, data: { query: 'x' } }, as(aliceTok)), 190002);
    await expectFsError(client.calendar.v4.calendarEvent.search({ ...p, params: { page_token: 'nope' }, data: { query: 'x' } }, as(aliceTok)), 190002);
    await expectFsError(client.calendar.v4.calendarEvent.search({
      ...p, data: { query: '', filter: { start_time: { timestamp: unix('2031-03-06T00:00:00Z') }, end_time: { timestamp: unix('2031-03-05T00:00:00Z') } } },
    }, as(aliceTok)), 190002);
    await expectFsError(client.calendar.v4.calendarEvent.search({ ...p, data: { query: 'x', filter: { start_time: { timestamp: 'soon' } } } }, as(aliceTok)), 190002);
    await expectFsError(globex.calendar.v4.calendarEvent.search({ ...p, data: { query: 'planning' } }, as(ginaTok)), 191000);
  });
});

describe('calendarEventMeetingChat and calendarEventMeetingMinute', () => {
  let chatId = '';

  it('makes one meeting chat per event, whose applink opens the console page of the event', async () => {
    const made = ok(await client.calendar.v4.calendarEventMeetingChat.create({ path: { calendar_id: aliceCal, event_id: ev.planning! } }, as(aliceTok)));
    assert.match(made.meeting_chat_id, /^oc_[0-9a-f]{32}$/);
    assert.equal(made.applink, `${srv.baseUrl}/console/meeting-chats/${made.meeting_chat_id}`);
    chatId = made.meeting_chat_id;
    const again = ok(await client.calendar.v4.calendarEventMeetingChat.create({ path: { calendar_id: aliceCal, event_id: ev.planning! } }, as(aliceTok)));
    assert.equal(again.meeting_chat_id, chatId);
    const cookie = { cookie: `kalends_admin=${ADMIN_TOKEN}` };
    const link = await fetch(made.applink, { headers: cookie, redirect: 'manual' });
    assert.equal(link.status, 303);
    const page = await fetch(new URL(link.headers.get('location')!, srv.baseUrl), { headers: cookie });
    const html = await page.text();
    assert.ok(html.includes(chatId), 'the event page shows the meeting chat');
    assert.ok(html.includes('Quarterly Planning') && html.includes('Bob'), 'and the event with its attendees');
  });

  it('only the chat\'s owner unbinds it; a wrong meeting_chat_id changes nothing', async () => {
    const bobCal = await primaryCalendarId(client, bobTok);
    const seen = ok(await client.calendar.v4.calendarEventMeetingChat.create({ path: { calendar_id: bobCal, event_id: ev.planning! } }, as(bobTok)));
    assert.equal(seen.meeting_chat_id, chatId, 'an invitee reaches the same chat from their primary');
    await expectFsError(client.calendar.v4.calendarEventMeetingChat.delete({ path: { calendar_id: bobCal, event_id: ev.planning! }, params: { meeting_chat_id: chatId } }, as(bobTok)), 193002);
    await expectFsError(client.calendar.v4.calendarEventMeetingChat.delete({ path: { calendar_id: aliceCal, event_id: ev.planning! }, params: { meeting_chat_id: 'oc_other' } }, as(aliceTok)), 190002);
    const still = ok(await client.calendar.v4.calendarEventMeetingChat.create({ path: { calendar_id: aliceCal, event_id: ev.planning! } }, as(aliceTok)));
    assert.equal(still.meeting_chat_id, chatId);
    ok(await client.calendar.v4.calendarEventMeetingChat.delete({ path: { calendar_id: aliceCal, event_id: ev.planning! }, params: { meeting_chat_id: chatId } }, as(aliceTok)));
    const fresh = ok(await client.calendar.v4.calendarEventMeetingChat.create({ path: { calendar_id: aliceCal, event_id: ev.planning! } }, as(aliceTok)));
    assert.notEqual(fresh.meeting_chat_id, chatId, 'after unbinding, a new chat');
  });

  it('needs the caller\'s own primary calendar; another tenant\'s ids are not found', async () => {
    const shared = ok(await client.calendar.v4.calendar.create({ data: { summary: 'Shared' } }, as(aliceTok))).calendar.calendar_id;
    const there = await createEvent(client, shared, timedEvent('On a shared calendar'), { userTok: aliceTok });
    await expectFsError(client.calendar.v4.calendarEventMeetingChat.create({ path: { calendar_id: shared, event_id: there.event_id } }, as(aliceTok)), 191004);
    await expectFsError(client.calendar.v4.calendarEventMeetingChat.create({ path: { calendar_id: aliceCal, event_id: ev.planning! } }, as(ginaTok)), 191000);
    await expectFsError(client.calendar.v4.calendarEventMeetingChat.create({ path: { calendar_id: aliceCal, event_id: 'not-an-event' } }, as(aliceTok)), 193000);
  });

  it('a read-only app may search but not make a meeting chat; other refusals change nothing', async () => {
    const ro = fsClient(srv.baseUrl, fx.acme.readonlyApp, { privateCache: true });
    const roCal = await primaryCalendarId(ro);
    ok(await ro.calendar.v4.calendarEvent.search({ path: { calendar_id: roCal }, data: { query: 'x' } }));
    await expectFsError(ro.calendar.v4.calendarEventMeetingChat.create({ path: { calendar_id: roCal, event_id: ev.planning! } }), 99991672, { status: 400, msg: null });
    await expectFsError(ro.calendar.v4.calendarEventMeetingMinute.create({ path: { calendar_id: roCal, event_id: ev.planning! } }), 99991672, { status: 400, msg: null });
    const shared = ok(await client.calendar.v4.calendar.create({ data: { summary: 'Shared minutes' } }, as(aliceTok))).calendar.calendar_id;
    const there = await createEvent(client, shared, timedEvent('Shared review'), { userTok: aliceTok });
    await addAttendees(client, shared, there.event_id, [{ type: 'user', user_id: bob.openId }], { userTok: aliceTok });
    await expectFsError(client.calendar.v4.calendarEventMeetingMinute.create({ path: { calendar_id: shared, event_id: there.event_id } }, as(aliceTok)), 191004);
    await expectFsError(globex.calendar.v4.calendarEventMeetingMinute.create({ path: { calendar_id: aliceCal, event_id: ev.planning! } }, as(ginaTok)), 191000);
    await expectFsError(globex.calendar.v4.calendarEventMeetingChat.delete({ path: { calendar_id: aliceCal, event_id: ev.planning! }, params: { meeting_chat_id: 'oc_x' } }, as(ginaTok)), 191000);
  });

  it('minutes need an attendee; their doc_url is stable', async () => {
    const doc = ok(await client.calendar.v4.calendarEventMeetingMinute.create({ path: { calendar_id: aliceCal, event_id: ev.planning! } }, as(aliceTok)));
    assert.match(doc.doc_url, new RegExp(`^${srv.baseUrl}/console/meeting-minutes/doxcn`));
    const again = ok(await client.calendar.v4.calendarEventMeetingMinute.create({ path: { calendar_id: aliceCal, event_id: ev.planning! } }, as(aliceTok)));
    assert.equal(again.doc_url, doc.doc_url);
    await expectFsError(client.calendar.v4.calendarEventMeetingMinute.create({ path: { calendar_id: aliceCal, event_id: ev.solo! } }, as(aliceTok)), 190002);
  });

  it('deleting the event ends its meeting chat and minutes', async () => {
    const made = ok(await client.calendar.v4.calendarEventMeetingChat.create({ path: { calendar_id: aliceCal, event_id: ev.lunch! } }, as(aliceTok)));
    const doc = ok(await client.calendar.v4.calendarEventMeetingMinute.create({ path: { calendar_id: aliceCal, event_id: ev.lunch! } }, as(aliceTok)));
    ok(await client.calendar.v4.calendarEvent.delete({ path: { calendar_id: aliceCal, event_id: ev.lunch! } }, as(aliceTok)));
    const cookie = { cookie: `kalends_admin=${ADMIN_TOKEN}` };
    assert.equal((await fetch(made.applink, { headers: cookie, redirect: 'manual' })).status, 404);
    assert.equal((await fetch(doc.doc_url, { headers: cookie, redirect: 'manual' })).status, 404);
    await expectFsError(client.calendar.v4.calendarEventMeetingChat.create({ path: { calendar_id: aliceCal, event_id: ev.lunch! } }, as(aliceTok)), 193003);
  });
});

describe('exchangeBinding', () => {
  const admin = 'admin@exchange.example';
  const account = 'alice@exchange.example';
  const id = Buffer.from(`${admin} ${account}`).toString('base64');

  it('binds, reads in user_id_type, and unbinds; no Exchange is contacted', async () => {
    const made = ok(await client.calendar.v4.exchangeBinding.create({ data: { admin_account: admin, exchange_account: account, user_id: alice.openId } }, as(aliceTok)));
    assert.deepEqual(made, { admin_account: admin, exchange_account: account, user_id: alice.openId, status: 'done', exchange_binding_id: id });
    const got = ok(await client.calendar.v4.exchangeBinding.get({ path: { exchange_binding_id: id }, params: { user_id_type: 'union_id' } }, as(bobTok)));
    assert.equal(got.user_id, alice.unionId);
    // The console's user page shows it (alice's page found through the console search).
    const cookie = { cookie: `kalends_admin=${ADMIN_TOKEN}` };
    const found = await (await fetch(`${srv.baseUrl}/console/search?q=${encodeURIComponent(alice.openId)}`, { headers: cookie })).text();
    const userPath = /href="(\/console\/users\/[^"]+)"/.exec(found)?.[1];
    assert.ok(userPath, 'the console search finds alice');
    const page = await (await fetch(`${srv.baseUrl}${userPath}`, { headers: cookie })).text();
    assert.match(page, /id="exchange-bindings"[^]*alice@exchange\.example[^]*admin@exchange\.example, done/);
    await expectFsError(client.calendar.v4.exchangeBinding.create({ data: { admin_account: admin, exchange_account: account, user_id: bob.openId } }, as(aliceTok)), 190002);
    await expectFsError(client.calendar.v4.exchangeBinding.create({ data: { admin_account: 'other@exchange.example', exchange_account: account, user_id: alice.openId } }, as(aliceTok)), 190002);
    const same = ok(await client.calendar.v4.exchangeBinding.create({ data: { admin_account: admin, exchange_account: account, user_id: alice.openId } }, as(aliceTok)));
    assert.equal(same.exchange_binding_id, id, 'binding the same again answers the binding there is');
    await expectFsError(globex.calendar.v4.exchangeBinding.get({ path: { exchange_binding_id: id } }, as(ginaTok)), 190002);
    ok(await client.calendar.v4.exchangeBinding.delete({ path: { exchange_binding_id: id } }, as(aliceTok)));
    await expectFsError(client.calendar.v4.exchangeBinding.get({ path: { exchange_binding_id: id } }, as(aliceTok)), 190002);
    const rebound = ok(await client.calendar.v4.exchangeBinding.create({ data: { admin_account: admin, exchange_account: account, user_id: bob.openId } }, as(aliceTok)));
    assert.equal(rebound.user_id, bob.openId, 'once unbound, the account binds to another user');
  });

  it('binds an account once when two calls race for it', async () => {
    const racing = 'race@exchange.example';
    const calls = [alice, bob, carol].map((u) => client.calendar.v4.exchangeBinding.create({ data: { admin_account: admin, exchange_account: racing, user_id: u.openId } }, as(aliceTok)));
    const results = await Promise.allSettled(calls);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, JSON.stringify(results.map((r) => r.status)));
    for (const r of results) if (r.status === 'rejected') assert.equal(r.reason.response?.data?.code, 190002);
  });

  it('takes a user_access_token only; bad input and unknown users are refused, nothing recorded', async () => {
    await expectFsError(client.calendar.v4.exchangeBinding.create({ data: { admin_account: admin, exchange_account: 'x@exchange.example', user_id: carol.openId } }), 99991663, { status: 400, msg: null });
    await expectFsError(client.calendar.v4.exchangeBinding.create({ data: { admin_account: 'not-an-address', exchange_account: 'y@exchange.example', user_id: carol.openId } }, as(aliceTok)), 190002);
    await expectFsError(client.calendar.v4.exchangeBinding.create({ data: { admin_account: admin, exchange_account: 'z@exchange.example', user_id: 'ou_nobody' } }, as(aliceTok)), 195100);
    await expectFsError(client.calendar.v4.exchangeBinding.create({ data: { admin_account: admin, exchange_account: 'g@exchange.example', user_id: fx.globex.users.gina.openId } }, as(aliceTok)), 195100);
    for (const acc of ['y@exchange.example', 'z@exchange.example', 'g@exchange.example']) {
      await expectFsError(client.calendar.v4.exchangeBinding.get({ path: { exchange_binding_id: Buffer.from(`${admin} ${acc}`).toString('base64') } }, as(aliceTok)), 190002);
    }
  });
});

describe('defects', () => {
  it('chat_members items carry the member\'s id in the requested user_id_type (open_id by default)', async () => {
    const e = await createEvent(client, botCal, timedEvent('Team sync'));
    const [att] = await addAttendees(client, botCal, e.event_id, [{ type: 'chat', chat_id: chat.chatId }]);
    const path = { calendar_id: botCal, event_id: e.event_id, attendee_id: att.attendee_id };
    const byOpen = ok(await client.calendar.v4.calendarEventAttendeeChatMember.list({ path }));
    assert.deepEqual(byOpen.items.map((m: any) => m.open_id).sort(), [carol.openId, erin.openId].sort());
    const byUser = ok(await client.calendar.v4.calendarEventAttendeeChatMember.list({ path, params: { user_id_type: 'user_id' } }));
    assert.deepEqual(byUser.items.map((m: any) => m.open_id).sort(), [carol.userId, erin.userId].sort());
    assert.ok(!byUser.items.some((m: any) => m.display_name === app.appId), 'the chat\'s bot is no attendee');
  });

  it('a bot (or user) lists the members of a chat only from inside it', async () => {
    const e = await createEvent(client, botCal, timedEvent('Leads sync'));
    const [att] = await addAttendees(client, botCal, e.event_id, [{ type: 'chat', chat_id: chat2.chatId }]);
    await expectFsError(client.calendar.v4.calendarEventAttendeeChatMember.list({ path: { calendar_id: botCal, event_id: e.event_id, attendee_id: att.attendee_id } }), 194001);
  });

  it('calendarAcl.list takes a page_size under 10 as 10', async () => {
    const cal = ok(await client.calendar.v4.calendar.create({ data: { summary: 'Crowded' } }, as(aliceTok))).calendar.calendar_id;
    for (const u of fx.acme.bulk) {
      ok(await client.calendar.v4.calendarAcl.create({ path: { calendar_id: cal }, data: { role: 'reader', scope: { type: 'user', user_id: u.openId } } }, as(aliceTok)));
    }
    const page = ok(await client.calendar.v4.calendarAcl.list({ path: { calendar_id: cal }, params: { page_size: 5 } }, as(aliceTok)));
    assert.equal(page.acls.length, 10);
    assert.equal(page.has_more, true);
    await expectFsError(client.calendar.v4.calendarAcl.list({ path: { calendar_id: cal }, params: { page_size: 51 } }, as(aliceTok)), 190002);
  });

  it('calendar.list and calendarEvent.list refuse a page_size outside 50–1000 (their validation rule)', async () => {
    for (const page_size of [49, 1001]) {
      await expectFsError(client.calendar.v4.calendar.list({ params: { page_size } }, as(aliceTok)), 190002, { label: `calendar.list ${page_size}` });
      await expectFsError(client.calendar.v4.calendarEvent.list({ path: { calendar_id: aliceCal }, params: { page_size } }, as(aliceTok)), 190002, { label: `calendarEvent.list ${page_size}` });
    }
    assert.ok(ok(await client.calendar.v4.calendarEvent.list({ path: { calendar_id: aliceCal }, params: { page_size: 50 } }, as(aliceTok))).items.length >= 3);
  });

  it('a path naming an operation in an id\'s place answers the no-operation 404, not the id\'s error', async () => {
    const token = await tenantToken(srv.baseUrl, app);
    const cal = encodeURIComponent(botCal);
    for (const [method, path] of [
      ['GET', `${API}/calendars/${cal}/events/search`],
      ['DELETE', `${API}/calendars/${cal}/events/instance_view`],
      ['PATCH', `${API}/calendars/${cal}/events/subscription`],
      ['GET', `${API}/calendars/search`],
      ['DELETE', `${API}/calendars/${cal}/acls/subscription`],
    ] as const) {
      const res = await fsRaw(srv.baseUrl, method, path, { token });
      assert.equal(res.status, 404, `${method} ${path}: ${res.text}`);
      assert.equal(res.json.code, 404, `${method} ${path}: ${res.text}`);
      assert.match(res.json.error.troubleshooter, /^no operation /);
    }
  });
});
