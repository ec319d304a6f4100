// Feishu's long connection end to end: the real lark.WSClient (node-sdk 1.74) with a
// lark.EventDispatcher, pointed at Kalends by `domain`, connects (POST /callback/ws/endpoint,
// then the WebSocket of protobuf pbbp2.Frames) and its `calendar.calendar.event.changed_v4`
// handler receives exactly the schema 2.0 body the HTTP push would carry, for the calendars
// its identities armed with calendarEvent.subscription. A throwing handler (answer 500) brings
// the same event_id again; an answered push never comes again; other apps and tenants hear
// nothing; a connection the server drops is re-established by the client.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, deliveriesOf, poll } from './helpers/callback-receivers.ts';
import { buildFeishuFixture } from './helpers/feishu-directory.ts';
import { asUser, createEvent, fsClient, lark, ok, primaryCalendarId, timedEvent, userToken } from './helpers/feishu.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';
import { connectFeishu, type FeishuStreamClient } from './helpers/stream-clients.ts';

const EVENT_CHANGED = 'calendar.calendar.event.changed_v4';
/** Stream apps in Feishu's app_id shape (`cli_` + 16 hex): WSClient starts for no other. */
const STREAM = { appId: 'cli_a1b2c3d4e5f60001', appSecret: 'acme-ws-secret' };
const OTHER = { appId: 'cli_a1b2c3d4e5f60002', appSecret: 'acme-ws-other-secret' };
const GLOBEX_WS = { appId: 'cli_b1b2c3d4e5f60001', appSecret: 'globex-ws-secret' };

const fx = buildFeishuFixture({ tag: 'wsfs' });
const { alice, bob } = fx.acme.users;
let srv: KalendsServer;
let client: lark.Client;
let ws: FeishuStreamClient;
let other: FeishuStreamClient;
let globex: FeishuStreamClient;
const tok: Record<string, string> = {};
let aliceCal = '';
let bobCal = '';
/** Set: the handler throws for the next push it gets (the platform then hears 500). */
let refuseNext = false;

before(async () => {
  const directory = structuredClone(fx.directory) as any;
  directory.tenants[0].apps.push({ platform: 'feishu', ...STREAM, eventDelivery: 'stream' }, { platform: 'feishu', ...OTHER });
  directory.tenants[1].apps.push({ platform: 'feishu', ...GLOBEX_WS });
  srv = await startServer({ directory, extraArgs: ['--admin-token', ADMIN_TOKEN, '--delivery-backoff', '100', '--rate-limit', 'off'] });
  client = fsClient(srv.baseUrl, STREAM);
  for (const u of [alice, bob]) tok[u.key] = await userToken(client, srv.baseUrl, STREAM.appId, u.openId);
  aliceCal = await primaryCalendarId(client, tok.alice);
  bobCal = await primaryCalendarId(client, tok.bob);
  ws = connectFeishu(srv.baseUrl, STREAM, () => {
    if (!refuseNext) return;
    refuseNext = false;
    throw new Error('not now');
  });
  other = connectFeishu(srv.baseUrl, OTHER);
  globex = connectFeishu(srv.baseUrl, GLOBEX_WS);
  await Promise.all([ws.ready, other.ready, globex.ready]);
});

after(async () => {
  for (const c of [ws, other, globex]) c?.close();
  await srv?.cleanup();
});

function pushesOf(c: FeishuStreamClient, eventId: string) {
  return c.events.filter((e) => e.calendar_event_id === eventId);
}

function waitFor(c: FeishuStreamClient, eventId: string, count: number) {
  return poll(`${count} pushes of ${eventId}`, () => pushesOf(c, eventId).length >= count && pushesOf(c, eventId), 10_000,
    () => c.events.map((e) => [e.calendar_event_id, e.change_type]));
}

describe('Feishu long connection request', () => {
  it('a wrong secret gets a non-zero code, data {} and no URL; WSClient reports it through onError', async () => {
    const res = await fetch(`${srv.baseUrl}/callback/ws/endpoint`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', locale: 'zh' },
      body: JSON.stringify({ AppID: STREAM.appId, AppSecret: 'wrong' }),
    });
    assert.equal(res.status, 200);
    const body = await res.json() as any;
    assert.notEqual(body.code, 0);
    assert.deepEqual(body.data, {});
    const malformed = await (await fetch(`${srv.baseUrl}/callback/ws/endpoint`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ AppID: 42 }),
    })).json() as any;
    assert.notEqual(malformed.code, 0, 'a malformed body is refused in the same shape');
    assert.deepEqual(malformed.data, {});
    const bad = connectFeishu(srv.baseUrl, { appId: STREAM.appId, appSecret: 'wrong' });
    await poll('onError', () => bad.errors.length > 0);
    assert.match(bad.errors[0]!.message, /pullConnectConfig failed: code=/);
    bad.close();
  });

  it('the right secret gets a ws URL with device_id and service_id (not first) and all four ClientConfig integers', async () => {
    const res = await fetch(`${srv.baseUrl}/callback/ws/endpoint`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ AppID: STREAM.appId, AppSecret: STREAM.appSecret }),
    });
    const body = await res.json() as any;
    assert.equal(body.code, 0);
    const url = new URL(body.data.URL);
    assert.equal(url.protocol, 'ws:');
    assert.equal(url.pathname, '/ws/v2');
    const keys = [...url.searchParams.keys()];
    assert.ok(keys.indexOf('device_id') > 0 && keys.indexOf('service_id') > 0, keys.join(','));
    assert.match(url.searchParams.get('service_id')!, /^\d+$/);
    for (const k of ['PingInterval', 'ReconnectCount', 'ReconnectInterval', 'ReconnectNonce']) assert.ok(Number.isInteger(body.data.ClientConfig[k]), k);
  });
});

describe('calendar.calendar.event.changed_v4 over the long connection', () => {
  let eventId = '';

  it('subscribe + create → one push, the exact HTTP push body in clear, header.app_id the receiving app; delivered', async () => {
    ok(await client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: aliceCal } }, asUser(tok.alice!)), 'subscribe alice');
    eventId = (await createEvent(client, aliceCal, timedEvent('Long connection review'), { userTok: tok.alice })).event_id;
    const [data] = await waitFor(ws, eventId, 1);
    assert.equal(data!.schema, '2.0');
    assert.equal(data!.event_type, EVENT_CHANGED);
    assert.equal(data!.app_id, STREAM.appId);
    assert.equal(data!.change_type, 'create');
    assert.equal(data!.calendar_id, aliceCal);
    assert.deepEqual(data!.user_id_list, [{ open_id: alice.openId, union_id: alice.unionId, user_id: alice.userId }]);
    const delivery = await poll('delivered', async () =>
      (await deliveriesOf(srv.baseUrl, STREAM.appId)).find((d) => d.event_id === data!.event_id && d.status === 'delivered'));
    assert.equal(delivery.attempts, 1);
    assert.equal(delivery.sent_body, delivery.payload, 'the frame carried the planned schema 2.0 body as is');
    const body = JSON.parse(delivery.payload);
    assert.deepEqual(Object.keys(body), ['schema', 'header', 'event']);
    assert.equal(body.header.event_id, data!.event_id);
  });

  it('add an attendee, rsvp and delete arrive once each, in order', async () => {
    ok(await client.calendar.v4.calendarEventAttendee.create({
      path: { calendar_id: aliceCal, event_id: eventId }, params: { user_id_type: 'open_id' },
      data: { attendees: [{ type: 'user', user_id: bob.openId }] },
    }, asUser(tok.alice!)), 'add bob');
    await waitFor(ws, eventId, 2);
    ok(await client.calendar.v4.calendarEvent.reply({
      path: { calendar_id: bobCal, event_id: eventId }, data: { rsvp_status: 'accept' },
    }, asUser(tok.bob!)), 'bob accepts');
    await waitFor(ws, eventId, 3);
    ok(await client.calendar.v4.calendarEvent.delete({ path: { calendar_id: aliceCal, event_id: eventId } }, asUser(tok.alice!)), 'delete');
    await waitFor(ws, eventId, 4);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(pushesOf(ws, eventId).map((e) => e.change_type), ['create', 'update', 'rsvp', 'delete']);
    assert.equal(new Set(pushesOf(ws, eventId).map((e) => e.event_id)).size, 4);
  });

  it('an app whose identities armed nothing and another tenant\'s app hear nothing', () => {
    assert.deepEqual(other.events, []);
    assert.deepEqual(globex.events, []);
  });

  it('a throwing handler (answer 500) brings the same event_id again; answered, it never comes again', async () => {
    refuseNext = true;
    const id = (await createEvent(client, aliceCal, timedEvent('Refused once'), { userTok: tok.alice })).event_id;
    const [first, second] = await waitFor(ws, id, 2);
    assert.equal(first!.event_id, second!.event_id, 'the re-push keeps header.event_id');
    const delivery = await poll('delivered on the second push', async () =>
      (await deliveriesOf(srv.baseUrl, STREAM.appId)).find((d) => d.event_id === first!.event_id && d.status === 'delivered'));
    assert.equal(delivery.attempts, 2);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(pushesOf(ws, id).length, 2, 'nothing after the 200');
  });
});

describe('Feishu connections', () => {
  it('a connection dropped by the server is re-established by WSClient and later changes arrive', async () => {
    const headers = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const list = async () => ((await (await fetch(`${srv.baseUrl}/admin/v1/connections?app=${STREAM.appId}`, { headers })).json()) as any).connections as any[];
    const [first] = await list();
    assert.ok(first);
    assert.equal((await fetch(`${srv.baseUrl}/admin/v1/connections/${first.id}`, { method: 'DELETE', headers })).status, 200);
    await poll('a new connection of the app', async () => {
      const now = await list();
      return now.length === 1 && now[0].id !== first.id;
    }, 15_000, list);
    const id = (await createEvent(client, aliceCal, timedEvent('After the drop'), { userTok: tok.alice })).event_id;
    const [data] = await waitFor(ws, id, 1);
    assert.equal(data!.change_type, 'create');
  });
});
