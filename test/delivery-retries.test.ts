// Delivery retries: a failing receiver is retried with doubling backoff until it answers or
// the attempts run out (then the delivery is `dead`), and no receiver, down or hanging, ever
// fails or slows the API call that caused a callback, nor holds up other apps' callbacks.
// Feishu apps in clear (plain JSON), so the receivers here can be plain node:http handlers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ADMIN_TOKEN, closedPortUrl, deliveriesOf, poll, startFeishuReceiver, startRawReceiver,
  type FeishuReceiver, type Receiver,
} from './helpers/callback-receivers.ts';
import { buildFeishuFixture } from './helpers/feishu-directory.ts';
import { asUser, createEvent, fsClient, lark, ok, primaryCalendarId, timedEvent, userToken } from './helpers/feishu.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const ATTEMPTS = 3;
const BACKOFF_MS = 100;
const TIMEOUT_MS = 4_000;

const fx = buildFeishuFixture({ tag: 'dlvretry' });
const { app: flakyApp, rwApp: deadApp, readonlyApp: hangApp, noBotApp: healthyApp, users } = fx.acme;

let srv: KalendsServer;
/** Fails its first two requests with HTTP 500, then echoes challenges. */
let flaky: Receiver;
/** Never answers. */
let hanging: Receiver;
let healthy: FeishuReceiver;

function challengeReply(body: string): { status: number; body: string } {
  const { challenge } = JSON.parse(body) as { challenge?: string };
  return { status: 200, body: JSON.stringify(challenge ? { challenge } : {}) };
}

before(async () => {
  flaky = await startRawReceiver((req, n) => (n <= 2 ? { status: 500, body: '{"error":"down for maintenance"}' } : challengeReply(req.body)));
  // Answers the URL check, then holds every later request open.
  hanging = await startRawReceiver((req) => (JSON.parse(req.body).type === 'url_verification' ? challengeReply(req.body) : null));
  healthy = await startFeishuReceiver({});
  const directory = structuredClone(fx.directory) as any;
  const apps = directory.tenants[0].apps as any[];
  const set = (appId: string, url: string) => Object.assign(apps.find((a) => a.appId === appId), { eventCallbackUrl: url });
  set(flakyApp.appId, flaky.url);
  set(deadApp.appId, await closedPortUrl());
  set(hangApp.appId, hanging.url);
  set(healthyApp.appId, healthy.url);
  srv = await startServer({
    directory,
    extraArgs: ['--admin-token', ADMIN_TOKEN, '--rate-limit', 'off', '--delivery-attempts', String(ATTEMPTS),
      '--delivery-backoff', String(BACKOFF_MS), '--delivery-timeout', String(TIMEOUT_MS)],
  });
});

after(async () => {
  // The hanging receiver first: the server's stop waits for the attempts under way.
  await hanging?.close();
  await srv?.cleanup();
  await Promise.all([flaky, healthy].map((r) => r?.close()));
});

async function verificationOf(clientId: string) {
  const all = await deliveriesOf(srv.baseUrl, clientId);
  return all.find((d) => d.event_type === 'url_verification');
}

describe('retries', () => {
  it(`a receiver failing twice with HTTP 500 then answering → delivered on attempt 3, retried after ${BACKOFF_MS} then ${2 * BACKOFF_MS} ms`, async () => {
    const d = await poll('flaky url_verification delivered', async () => {
      const v = await verificationOf(flakyApp.appId);
      return v?.status === 'delivered' ? v : undefined;
    }, 10_000, () => verificationOf(flakyApp.appId));
    assert.equal(d.attempts, 3);
    assert.equal(d.last_status, 200);
    assert.equal(d.last_error, null);
    assert.equal(flaky.requests.length, 3);
    const [a, b, c] = flaky.requests.map((r) => r.at) as [number, number, number];
    assert.ok(b - a >= BACKOFF_MS - 5, `second try ${b - a} ms after the first`);
    assert.ok(c - b >= 2 * BACKOFF_MS - 5, `third try ${c - b} ms after the second (doubled)`);
    // Each attempt is sealed anew: the same challenge every time.
    const challenges = flaky.requests.map((r) => JSON.parse(r.body).challenge);
    assert.equal(new Set(challenges).size, 1);
  });

  it(`a closed port → dead after ${ATTEMPTS} attempts, with the last error kept`, async () => {
    const d = await poll('dead url_verification', async () => {
      const v = await verificationOf(deadApp.appId);
      return v?.status === 'dead' ? v : undefined;
    }, 10_000, () => verificationOf(deadApp.appId));
    assert.equal(d.attempts, ATTEMPTS);
    assert.equal(d.last_status, null);
    assert.ok(d.last_error && d.last_error.length > 0, 'last_error set');
    assert.match(d.last_error!, /ECONNREFUSED|refused|connect/i);
  });

  it('a dead delivery is not tried again', async () => {
    const before = (await verificationOf(deadApp.appId))!;
    assert.equal(before.status, 'dead');
    // A change fanned out and delivered after it proves passes went on meanwhile.
    const client = fsClient(srv.baseUrl, healthyApp);
    const tok = await userToken(client, srv.baseUrl, healthyApp.appId, users.bob.openId);
    ok(await client.calendar.v4.calendar.subscription({}, asUser(tok)), 'bob subscribes his calendar list through the healthy app');
    ok(await client.calendar.v4.calendar.create({ data: { summary: 'Bob side project' } }, asUser(tok)));
    await poll('the healthy app gets calendar.changed_v4', () => healthy.events.find((e) => e.type === 'calendar.calendar.changed_v4'));
    const after = (await verificationOf(deadApp.appId))!;
    assert.equal(after.status, 'dead');
    assert.equal(after.attempts, ATTEMPTS);
  });
});

describe('a receiver that is down or hangs', () => {
  let client: lark.Client;
  let aliceTok = '';
  let aliceCal = '';

  before(async () => {
    client = fsClient(srv.baseUrl, flakyApp);
    aliceTok = await userToken(client, srv.baseUrl, flakyApp.appId, users.alice.openId);
    aliceCal = await primaryCalendarId(client, aliceTok);
    // alice's calendar is pushed to the dead app, the hanging app and the healthy app.
    for (const a of [deadApp, hangApp, healthyApp]) {
      const c = fsClient(srv.baseUrl, a);
      const t = await userToken(c, srv.baseUrl, a.appId, users.alice.openId);
      ok(await c.calendar.v4.calendarEvent.subscription({ path: { calendar_id: aliceCal } }, asUser(t)), `subscribe via ${a.appId}`);
    }
  });

  it('the API call that causes callbacks to them answers at once; the hanging one fails by timeout', async () => {
    const started = Date.now();
    const event = await createEvent(client, aliceCal, timedEvent('Despite the outage'), { userTok: aliceTok });
    const took = Date.now() - started;
    assert.ok(took < 2_000, `calendarEvent.create took ${took} ms`);
    // The hanging receiver holds the push now…
    await poll('the push reaches the hanging receiver', () => hanging.requests.some((r) => r.body.includes(event.event_id)));
    // …and another API call is not held up by it.
    const second = Date.now();
    ok(await client.calendar.v4.calendarEvent.patch({ path: { calendar_id: aliceCal, event_id: event.event_id }, data: { summary: 'Still here' } }, asUser(aliceTok)));
    assert.ok(Date.now() - second < 2_000, `calendarEvent.patch took ${Date.now() - second} ms`);

    const timedOut = await poll('the hanging push fails by timeout', async () =>
      (await deliveriesOf(srv.baseUrl, hangApp.appId)).find((d) => d.payload.includes(event.event_id) && d.last_error !== null),
    TIMEOUT_MS + 8_000);
    assert.match(timedOut.last_error!, new RegExp(`no reply within ${TIMEOUT_MS} ms`));
    assert.notEqual(timedOut.status, 'delivered');
    const dead = await poll('the push to the closed port dies', async () =>
      (await deliveriesOf(srv.baseUrl, deadApp.appId)).find((d) => d.payload.includes(event.event_id) && d.status === 'dead'));
    assert.equal(dead.attempts, ATTEMPTS);
  });

  it('a hanging receiver does not hold up other apps\' callbacks', async () => {
    const event = await createEvent(client, aliceCal, timedEvent('Head of line'), { userTok: aliceTok });
    await poll('the push reaches the hanging receiver', () => hanging.requests.some((r) => r.body.includes(event.event_id)));
    const inFlightSince = Date.now();
    // While that attempt waits for its timeout, a new change must reach the healthy app.
    ok(await client.calendar.v4.calendarEvent.patch({ path: { calendar_id: aliceCal, event_id: event.event_id }, data: { summary: 'Moved' } }, asUser(aliceTok)));
    await poll('the healthy app gets the update', () => healthy.events.find((e) =>
      e.data.calendar_event_id === event.event_id && e.data.change_type === 'update'), TIMEOUT_MS + 5_000);
    const waited = Date.now() - inFlightSince;
    assert.ok(waited < TIMEOUT_MS / 2, `the healthy app waited ${waited} ms (the hanging attempt times out after ${TIMEOUT_MS} ms)`);
  });
});
