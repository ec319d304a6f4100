// Long connections with several server processes: a push reaches the process that holds a
// connection of the app, once. `--workers 2` on SQLite (the connection request and the
// WebSocket may land on different workers: the ticket is in the store) and two nodes on one
// PostgreSQL (the client connected to one node, the changes made through the other); DingTalk's
// DWClient on both, Feishu's WSClient (protobuf frames) on the workers too.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, deliveriesOf, poll } from '../helpers/callback-receivers.ts';
import { ACME, U, buildDirectory } from '../helpers/directory.ts';
import { Dt, getToken, timedEventBody } from '../helpers/dingtalk.ts';
import { createDatabase, testDatabaseUrl } from '../helpers/postgres.ts';
import { startServer, type KalendsServer } from '../helpers/server.ts';
import { buildFeishuFixture } from '../helpers/feishu-directory.ts';
import { asUser, createEvent, fsClient, ok, primaryCalendarId, timedEvent, userToken } from '../helpers/feishu.ts';
import { connectDingTalk, connectFeishu, type DingTalkStreamClient, type FeishuStreamClient } from '../helpers/stream-clients.ts';

const STREAM = { appKey: 'dingacmeworkers0001', appSecret: 'acme-workers-secret' };
const CHANGES = 6;

function directory() {
  const d: any = buildDirectory({ bulk: false });
  d.tenants[0].apps.push({ platform: 'dingtalk', ...STREAM });
  return d;
}

/** Makes CHANGES events through `via` and checks each reached exactly one of `clients`, once, at the first attempt. */
async function eachOnce(via: KalendsServer, admin: KalendsServer, clients: DingTalkStreamClient[]): Promise<void> {
  const dt = new Dt(via.endpoint, await getToken(via.endpoint, ACME.app));
  const ids: string[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const r = await dt.createEvent(U.alice, timedEventBody(`Processes ${i}`));
    assert.equal(r.statusCode, 200);
    ids.push(r.body.id);
  }
  const seen = () => clients.flatMap((c) => c.changes()).filter((c) => ids.includes(c.calendarEventId));
  await poll(`${CHANGES} pushes`, () => seen().length >= CHANGES, 15_000, seen);
  await new Promise((r) => setTimeout(r, 1000));
  assert.deepEqual(seen().map((c) => c.calendarEventId).sort(), [...ids].sort(), 'each change once');
  const deliveries = (await deliveriesOf(admin.baseUrl, STREAM.appKey)).filter((d) => ids.includes(JSON.parse(d.payload).calendarEventId));
  assert.equal(deliveries.length, CHANGES);
  for (const d of deliveries) {
    assert.equal(d.status, 'delivered');
    assert.equal(d.attempts, 1, 'no attempt went to a process without the connection');
  }
}

describe('--workers 2 on SQLite', () => {
  let server: KalendsServer;
  const clients: DingTalkStreamClient[] = [];
  before(async () => {
    server = await startServer({ directory: directory(), store: 'sqlite', extraArgs: ['--workers', '2', '--admin-token', ADMIN_TOKEN, '--rate-limit', 'off'] });
  });
  after(async () => {
    for (const c of clients) c.close();
    await server?.cleanup();
  });

  it('three connections of one app spread over the workers share the pushes, each once', async () => {
    for (let i = 0; i < 3; i++) clients.push(await connectDingTalk(server.baseUrl, STREAM));
    const res = await fetch(`${server.baseUrl}/admin/v1/connections?app=${STREAM.appKey}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    const { connections } = await res.json() as { connections: Array<{ holder: string }> };
    assert.equal(connections.length, 3);
    await eachOnce(server, server, clients);
  });
});

describe('two nodes on one PostgreSQL', () => {
  const nodes: KalendsServer[] = [];
  let client: DingTalkStreamClient;
  before(async () => {
    const db = await createDatabase(testDatabaseUrl());
    const args = ['--admin-token', ADMIN_TOKEN, '--rate-limit', 'off'];
    nodes.push(await startServer({ directory: directory(), databaseUrl: db, extraArgs: args }));
    nodes.push(await startServer({ databaseUrl: db, extraArgs: args }));
  });
  after(async () => {
    client?.close();
    for (const n of nodes) await n.cleanup();
  });

  it('a client connected to one node gets the changes made through the other, each once', async () => {
    client = await connectDingTalk(nodes[0]!.baseUrl, STREAM);
    const res = await fetch(`${nodes[1]!.baseUrl}/admin/v1/connections?app=${STREAM.appKey}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    const { connections } = await res.json() as { connections: unknown[] };
    assert.equal(connections.length, 1, 'the other node sees the connection');
    await eachOnce(nodes[1]!, nodes[1]!, [client]);
  });
});

describe('--workers 2 on SQLite, Feishu WSClient', () => {
  const WS = { appId: 'cli_a1b2c3d4e5f6a0b1', appSecret: 'acme-ws-workers-secret' };
  const fx = buildFeishuFixture({ tag: 'wsproc' });
  let server: KalendsServer;
  const clients: FeishuStreamClient[] = [];
  before(async () => {
    const d = structuredClone(fx.directory) as any;
    d.tenants[0].apps.push({ platform: 'feishu', ...WS, eventDelivery: 'stream' });
    server = await startServer({ directory: d, store: 'sqlite', extraArgs: ['--workers', '2', '--admin-token', ADMIN_TOKEN, '--rate-limit', 'off'] });
  });
  after(async () => {
    for (const c of clients) c.close();
    await server?.cleanup();
  });

  it('two connections of one app over the workers share the pushes of a subscribed calendar, each once, at the first attempt', async () => {
    for (let i = 0; i < 2; i++) clients.push(connectFeishu(server.baseUrl, WS));
    await Promise.all(clients.map((c) => c.ready));
    const client = fsClient(server.baseUrl, WS);
    const alice = fx.acme.users.alice;
    const tok = await userToken(client, server.baseUrl, WS.appId, alice.openId);
    const cal = await primaryCalendarId(client, tok);
    ok(await client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: cal } }, asUser(tok)), 'subscribe');
    const ids: string[] = [];
    for (let i = 0; i < CHANGES; i++) ids.push((await createEvent(client, cal, timedEvent(`Workers ${i}`), { userTok: tok })).event_id);
    const seen = () => clients.flatMap((c) => c.events).filter((e) => ids.includes(e.calendar_event_id));
    await poll(`${CHANGES} pushes`, () => seen().length >= CHANGES, 15_000, () => seen().map((e) => e.calendar_event_id));
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(seen().map((e) => e.calendar_event_id).sort(), [...ids].sort(), 'each change once');
    const deliveries = (await deliveriesOf(server.baseUrl, WS.appId)).filter((d) => ids.some((id) => d.payload.includes(id)));
    assert.equal(deliveries.length, CHANGES);
    for (const d of deliveries) {
      assert.equal(d.status, 'delivered');
      assert.equal(d.attempts, 1, 'no attempt went to a process without the connection');
    }
  });
});
