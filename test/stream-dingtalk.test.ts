// DingTalk Stream Mode end to end: the real `dingtalk-stream` DWClient (2.1.5) connects to a
// Kalends server (POST /v1.0/gateway/connections/open, then the WebSocket on the same port) and
// receives every calendar change of its tenant as an EVENT push `calendar_event_change` whose
// data carries the HTTP callback's business fields; changes are made through the official
// @alicloud/dingtalk SDK. Acknowledgements, re-pushes, isolation between apps and tenants, load
// sharing between two connections, and reconnection after the server drops a connection.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, adminGet, deliveriesOf, poll } from './helpers/callback-receivers.ts';
import { ACME, G, GLOBEX, U, buildDirectory } from './helpers/directory.ts';
import { Dt, getToken, timedEventBody } from './helpers/dingtalk.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';
import { connectDingTalk, EventAck, type DingTalkStreamClient } from './helpers/stream-clients.ts';

/** Stream apps in DingTalk's appKey shape (`ding` + 16–18 alphanumerics). */
const STREAM = { appKey: 'dingacmestream00001', appSecret: 'acme-stream-secret' };
const SHARED = { appKey: 'dingacmeshared00002', appSecret: 'acme-shared-secret' };
const LATER = { appKey: 'dingacmelater000003', appSecret: 'acme-later-secret' };
const ASYNC = { appKey: 'dingacmeasync000004', appSecret: 'acme-async-secret' };
const GLOBEX_STREAM = { appKey: 'dingglobexstream001', appSecret: 'globex-stream-secret' };

let srv: KalendsServer;
let dt: Dt;
let stream: DingTalkStreamClient;
let globex: DingTalkStreamClient;
const clients: DingTalkStreamClient[] = [];

before(async () => {
  const directory: any = buildDirectory({ bulk: false });
  const tenant = (id: string) => directory.tenants.find((t: any) => t.id === id);
  for (const app of [STREAM, SHARED, LATER, ASYNC]) tenant(ACME.tenantId).apps.push({ platform: 'dingtalk', ...app, eventDelivery: 'stream' });
  tenant(GLOBEX.tenantId).apps.push({ platform: 'dingtalk', ...GLOBEX_STREAM });
  srv = await startServer({ directory, extraArgs: ['--admin-token', ADMIN_TOKEN, '--delivery-backoff', '100', '--delivery-timeout', '2000', '--rate-limit', 'off'] });
  dt = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
  stream = await connectDingTalk(srv.baseUrl, STREAM);
  globex = await connectDingTalk(srv.baseUrl, GLOBEX_STREAM);
  clients.push(stream, globex);
});

after(async () => {
  for (const c of clients) c.close();
  await srv?.cleanup();
});

/** The pushes `client` got for `eventId`, in order of arrival. */
function pushesOf(client: DingTalkStreamClient, eventId: string) {
  return client.events.filter((e) => JSON.parse(e.data).calendarEventId === eventId);
}

async function waitFor(client: DingTalkStreamClient, eventId: string, count: number) {
  return poll(`${count} pushes of ${eventId}`, () => pushesOf(client, eventId).length >= count && pushesOf(client, eventId),
    10_000, () => client.changes());
}

describe('DingTalk Stream Mode connection request', () => {
  it('a wrong secret gets 400 invalidClientIdOrSecret and no ticket', async () => {
    const res = await fetch(`${srv.baseUrl}/v1.0/gateway/connections/open`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ clientId: STREAM.appKey, clientSecret: 'wrong', ua: '', subscriptions: [{ type: 'EVENT', topic: '*' }] }),
    });
    assert.equal(res.status, 400);
    const body = await res.json() as Record<string, unknown>;
    assert.equal(body.code, 'invalidClientIdOrSecret');
    assert.equal(body.ticket, undefined);
  });

  it('the right secret gets an endpoint without a query and a ticket that opens one connection', async () => {
    const res = await fetch(`${srv.baseUrl}/v1.0/gateway/connections/open`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ clientId: STREAM.appKey, clientSecret: STREAM.appSecret }),
    });
    assert.equal(res.status, 200);
    const { endpoint, ticket } = await res.json() as { endpoint: string; ticket: string };
    assert.equal(endpoint, `ws://127.0.0.1:${srv.port}/connect`);
    const { WebSocket } = await import('ws');
    const open = (t: string) => new Promise<string>((resolve) => {
      const ws = new WebSocket(`${endpoint}?ticket=${t}`);
      ws.on('open', () => { ws.close(); resolve('open'); });
      ws.on('unexpected-response', (_req, r) => resolve(`HTTP ${r.statusCode}`));
      ws.on('error', () => resolve('error'));
    });
    assert.equal(await open(ticket), 'open');
    assert.equal(await open(ticket), 'HTTP 403', 'a ticket opens one connection');
    assert.equal(await open('made-up'), 'HTTP 403');
  });
});

describe('calendar_event_change over the stream', () => {
  let eventId = '';

  it('createEvent with an attendee → one EVENT push in the platform format, acknowledged and delivered', async () => {
    const r = await dt.createEvent(U.alice, timedEventBody('Stream review', [U.bob]));
    assert.equal(r.statusCode, 200);
    eventId = r.body.id;
    const [push] = await waitFor(stream, eventId, 1);
    assert.equal(push!.specVersion, '1.0');
    assert.equal(push!.type, 'EVENT');
    assert.equal(push!.headers.eventType, 'calendar_event_change');
    assert.equal(push!.headers.eventCorpId, ACME.tenantId);
    assert.equal(push!.headers.contentType, 'application/json');
    assert.ok(push!.headers.eventId && push!.headers.messageId);
    assert.ok(Math.abs(Number(push!.headers.eventBornTime) - Date.now()) < 60_000);
    assert.equal(typeof push!.data, 'string');
    assert.deepEqual(JSON.parse(push!.data), {
      calendarEventId: eventId, calendarId: 'primary', changeType: 'create', organizerUnionId: U.alice, unionIdList: [U.bob],
    });
    const delivery = await poll('delivered', async () =>
      (await deliveriesOf(srv.baseUrl, STREAM.appKey)).find((d) => d.event_id === push!.headers.eventId && d.status === 'delivered'));
    assert.equal(delivery.attempts, 1);
    assert.equal(delivery.last_status, 200);
  });

  it('add, remove, respond and delete arrive once each, in order', async () => {
    assert.equal((await dt.addAttendees(U.alice, eventId, [U.carol])).statusCode, 200);
    await waitFor(stream, eventId, 2);
    assert.equal((await dt.removeAttendees(U.alice, eventId, [U.carol])).statusCode, 200);
    await waitFor(stream, eventId, 3);
    assert.equal((await dt.respond(U.bob, eventId, 'accepted')).statusCode, 200);
    await waitFor(stream, eventId, 4);
    assert.equal((await dt.deleteEvent(U.alice, eventId)).statusCode, 200);
    const pushes = await waitFor(stream, eventId, 5);
    await new Promise((r) => setTimeout(r, 500));
    const changes = pushesOf(stream, eventId).map((p) => JSON.parse(p.data));
    assert.deepEqual(changes.map((c) => c.changeType), ['create', 'attendee_add', 'attendee_remove', 'respond', 'delete']);
    assert.deepEqual(changes[1].unionIdList, [U.carol]);
    assert.deepEqual(changes[2].unionIdList, [U.carol]);
    assert.deepEqual(changes[3].unionIdList, [U.bob]);
    assert.equal(new Set(pushes.map((p) => p.headers.eventId)).size, 5, 'each change has its own eventId');
  });

  it('each tenant\'s connection hears its own tenant\'s changes only', async () => {
    const gdt = new Dt(srv.endpoint, await getToken(srv.endpoint, GLOBEX.app));
    const r = await gdt.createEvent(G.gina, timedEventBody('Globex only', [G.gus]));
    assert.equal(r.statusCode, 200);
    const [push] = await waitFor(globex, r.body.id, 1);
    assert.equal(push!.headers.eventCorpId, GLOBEX.tenantId);
    assert.deepEqual(globex.events.filter((e) => JSON.parse(e.data).calendarEventId === eventId), [], 'no acme change reached globex');
    await new Promise((res) => setTimeout(res, 300));
    assert.deepEqual(pushesOf(stream, r.body.id), [], 'no globex change reached acme');
  });
});

describe('acknowledgements and re-pushes', () => {
  it('LATER brings the same eventId again; once acknowledged it never comes again', async () => {
    const asked = new Set<string>();
    const later = await connectDingTalk(srv.baseUrl, LATER, (frame) => {
      const id = frame.headers.eventId!;
      if (asked.has(id)) return { status: EventAck.SUCCESS };
      asked.add(id);
      return { status: EventAck.LATER, message: 'busy' };
    });
    clients.push(later);
    const r = await dt.createEvent(U.alice, timedEventBody('Later please'));
    const pushes = await waitFor(later, r.body.id, 2);
    assert.equal(pushes[0]!.headers.eventId, pushes[1]!.headers.eventId, 'the re-push keeps the eventId');
    assert.notEqual(pushes[0]!.headers.messageId, pushes[1]!.headers.messageId, 'each push has its own messageId');
    const delivery = await poll('delivered after the re-push', async () =>
      (await deliveriesOf(srv.baseUrl, LATER.appKey)).find((d) => d.event_id === pushes[0]!.headers.eventId && d.status === 'delivered'));
    assert.equal(delivery.attempts, 2);
    await new Promise((res) => setTimeout(res, 1000));
    assert.equal(pushesOf(later, r.body.id).length, 2, 'no push after the SUCCESS');
    later.close();
  });

  it('an async listener (the SDK then ACKs data "{}", no status) counts as delivered', async () => {
    const asyncClient = await connectDingTalk(srv.baseUrl, ASYNC, (async () => ({ status: EventAck.LATER })) as any);
    clients.push(asyncClient);
    const r = await dt.createEvent(U.alice, timedEventBody('Async listener'));
    const [push] = await waitFor(asyncClient, r.body.id, 1);
    const delivery = await poll('delivered', async () =>
      (await deliveriesOf(srv.baseUrl, ASYNC.appKey)).find((d) => d.event_id === push!.headers.eventId && d.status === 'delivered'));
    assert.equal(delivery.attempts, 1);
    assert.equal(JSON.parse(delivery.last_reply!).data, '{}', 'the ACK carried no status');
    asyncClient.close();
  });

  it('two connections of one app share the pushes, each change once', async () => {
    const a = await connectDingTalk(srv.baseUrl, SHARED);
    const b = await connectDingTalk(srv.baseUrl, SHARED);
    clients.push(a, b);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await dt.createEvent(U.alice, timedEventBody(`Shared ${i}`));
      ids.push(r.body.id);
    }
    const seen = () => [...a.changes(), ...b.changes()].filter((c) => ids.includes(c.calendarEventId));
    await poll('four pushes between the two', () => seen().length >= 4, 10_000, seen);
    await new Promise((res) => setTimeout(res, 500));
    assert.deepEqual(seen().map((c) => c.calendarEventId).sort(), [...ids].sort(), 'each change once');
    assert.ok(a.changes().some((c) => ids.includes(c.calendarEventId)) && b.changes().some((c) => ids.includes(c.calendarEventId)),
      'both connections got some');
    a.close();
    b.close();
  });
});

describe('connections', () => {
  it('a connection closed by the server (SYSTEM disconnect) is re-established by DWClient and later changes arrive', async () => {
    const headers = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const list = async () => ((await (await fetch(`${srv.baseUrl}/admin/v1/connections?app=${STREAM.appKey}`, { headers })).json()) as any).connections as any[];
    const [before] = await list();
    assert.ok(before, 'the stream client\'s connection is listed');
    assert.equal(before.app, STREAM.appKey);
    const res = await fetch(`${srv.baseUrl}/admin/v1/connections/${before.id}`, { method: 'DELETE', headers });
    assert.equal(res.status, 200);
    const [again] = await poll('a new connection of the app', async () => {
      const now = await list();
      return now.length === 1 && now[0].id !== before.id && now;
    }, 15_000, list);
    assert.ok(again);
    await poll('DWClient connected again', () => stream.client.connected);
    const r = await dt.createEvent(U.alice, timedEventBody('After the reconnect'));
    const [push] = await waitFor(stream, r.body.id, 1);
    assert.equal(push!.headers.connectionId, again.id);
  });

  it('the console lists the open connections and closes one; the client comes back', async () => {
    const headers = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const list = async () => ((await (await fetch(`${srv.baseUrl}/admin/v1/connections?app=${STREAM.appKey}`, { headers })).json()) as any).connections as any[];
    const [open] = await list();
    const page = await fetch(`${srv.baseUrl}/console/connections`, { headers });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(html.includes(STREAM.appKey) && html.includes(open.id), 'the page names the app and its connection');
    assert.ok(html.includes(GLOBEX_STREAM.appKey), 'every tenant\'s connections are listed');
    const closed = await fetch(`${srv.baseUrl}/console/connections/${open.id}/close`, { method: 'POST', headers, redirect: 'manual' });
    assert.equal(closed.status, 303);
    await poll('the client connected again', async () => {
      const now = await list();
      return now.length === 1 && now[0].id !== open.id && now;
    }, 15_000, list);
    const unknown = await fetch(`${srv.baseUrl}/console/connections/no-such-id/close`, { method: 'POST', headers, redirect: 'manual' });
    assert.equal(unknown.status, 404);
  });
});

describe('pushes no connection takes', () => {
  let quick: KalendsServer;
  after(async () => {
    await quick?.cleanup();
  });

  it('a push put off (LATER) whose client then leaves waits as long as the retries last, then is dead', async () => {
    const directory: any = buildDirectory({ bulk: false });
    directory.tenants.find((t: any) => t.id === ACME.tenantId).apps.push({ platform: 'dingtalk', ...LATER, eventDelivery: 'stream' });
    // Three tries, 300 and 600 ms apart: a push no connection takes within 0.9 s is dead.
    quick = await startServer({ directory, extraArgs: ['--admin-token', ADMIN_TOKEN, '--delivery-attempts', '3', '--delivery-backoff', '300', '--rate-limit', 'off'] });
    const api = new Dt(quick.endpoint, await getToken(quick.endpoint, ACME.app));
    const client = await connectDingTalk(quick.baseUrl, LATER, () => ({ status: EventAck.LATER, message: 'busy' }));
    clients.push(client);
    const id = (await api.createEvent(U.alice, timedEventBody('Nobody stays'))).body.id as string;
    await waitFor(client, id, 1);
    client.close();
    const dead = await poll('the put-off push dead', async () =>
      (await deliveriesOf(quick.baseUrl, LATER.appKey)).find((d) => d.status === 'dead' && d.payload.includes(id)),
    15_000, () => deliveriesOf(quick.baseUrl, LATER.appKey));
    assert.match(dead.last_error ?? '', /no connection of the app took it within 1 s/);
    assert.ok(dead.attempts < 3, 'it went dead waiting for a connection, not by its last try');
    // The admin API lists the app's dead deliveries alone when asked for them.
    const onlyDead = await adminGet(quick.baseUrl, `/deliveries?app=${LATER.appKey}&status=dead`);
    assert.ok(onlyDead.deliveries.length >= 1 && onlyDead.deliveries.every((d: any) => d.status === 'dead'));
    assert.ok(onlyDead.deliveries.some((d: any) => d.id === dead.id));
    const delivered = await adminGet(quick.baseUrl, `/deliveries?app=${LATER.appKey}&status=delivered`);
    assert.ok(delivered.deliveries.every((d: any) => d.status === 'delivered'));
    assert.ok(!delivered.deliveries.some((d: any) => d.id === dead.id));
  });
});
