// Two dispatchers on one PostgreSQL deliver every callback exactly once: a server with
// `--dispatch off` takes N changes through the DingTalk API, then two dispatchers (Dispatcher
// instances on stores of their own, or two `kalends dispatch` processes) drain the outbox
// together while a receiver counts callbacks by what they are about.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { systemClock } from '../../src/core/clock.ts';
import type { CallbackFormat } from '../../src/core/outbox/callback-format.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import { CALLBACK_FORMATS, Dispatcher } from '../../src/workers/dispatcher.ts';
import {
  ADMIN_TOKEN, aesKeyFrom, poll, startDingTalkReceiver, type DingTalkKeys, type DingTalkReceiver,
} from '../helpers/callback-receivers.ts';
import { Dt, getToken, timedEventBody } from '../helpers/dingtalk.ts';
import { createDatabase, testDatabaseUrl } from '../helpers/postgres.ts';
import { spawnKalends, startServer, stopProc, type Proc } from '../helpers/server.ts';

const CHANGES = 200;
const APP = { appKey: 'ding_claim', appSecret: 'claim-secret' };
const KEYS: DingTalkKeys = { token: 'claim-token', aesKey: aesKeyFrom('claim'), receiveId: APP.appKey };
const member = (i: number) => `u_claim_${String(i).padStart(3, '0')}`;

function directory(callbackUrl: string) {
  const users = [{ unionId: 'u_claim_org', userId: 'claim_org', name: 'Organizer' }];
  for (let i = 0; i < CHANGES; i++) users.push({ unionId: member(i), userId: `claim_${i}`, name: `Member ${i}` });
  return {
    tenants: [{
      id: 'claim', name: 'Claim',
      apps: [{ platform: 'dingtalk', ...APP, eventCallbackUrl: callbackUrl, callbackToken: KEYS.token, aesKey: KEYS.aesKey }],
      users,
    }],
  };
}

/** What a callback is about: the same key twice means a callback delivered twice. */
function keyOf(message: Record<string, any>): string {
  if (message.EventType === 'check_url') return 'check_url';
  // (A create is planned when it is fanned out, from the event as it then is: its unionIdList
  // may name attendees added after it. So it is keyed by event alone.)
  if (message.changeType === 'create') return `create ${message.calendarEventId}`;
  return `${message.changeType} ${message.calendarEventId} ${(message.unionIdList as string[]).join(',')}`;
}

/**
 * A database whose server (dispatch off) has taken 1 event creation and CHANGES attendee adds,
 * one attendee each; nothing is delivered yet. @returns the database URL and the event id.
 */
async function changesWaiting(receiver: DingTalkReceiver): Promise<{ url: string; eventId: string }> {
  const url = await createDatabase(testDatabaseUrl());
  const srv = await startServer({ directory: directory(receiver.url), databaseUrl: url, extraArgs: ['--dispatch', 'off', '--rate-limit', 'off', '--admin-token', ADMIN_TOKEN] });
  try {
    const dt = new Dt(srv.endpoint, await getToken(srv.endpoint, APP));
    const created = await dt.createEvent('u_claim_org', timedEventBody('Claim test'));
    assert.equal(created.statusCode, 200);
    const eventId = created.body.id as string;
    for (let i = 0; i < CHANGES; i += 10) {
      const batch = Array.from({ length: Math.min(10, CHANGES - i) }, (_, k) => dt.addAttendees('u_claim_org', eventId, [member(i + k)]));
      for (const r of await Promise.all(batch)) assert.equal(r.statusCode, 200);
    }
    assert.equal(receiver.messages.length, 0, 'the server does not dispatch with --dispatch off');
    return { url, eventId };
  } finally {
    await srv.cleanup();
  }
}

async function deliveryStates(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ status: string; n: string }>('select status, count(*) as n from deliveries group by status');
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  } finally {
    await client.end();
  }
}

/** Waits until all CHANGES + 2 deliveries are delivered, then checks each arrived exactly once. */
async function checkExactlyOnce(receiver: DingTalkReceiver, url: string, eventId: string): Promise<void> {
  const expected = CHANGES + 2;
  await poll(`all ${expected} deliveries delivered`, async () => (await deliveryStates(url)).delivered === expected,
    60_000, () => deliveryStates(url));
  assert.deepEqual(await deliveryStates(url), { delivered: expected });
  assert.deepEqual(receiver.rejected, []);
  const counts = new Map<string, number>();
  for (const m of receiver.messages) counts.set(keyOf(m.message), (counts.get(keyOf(m.message)) ?? 0) + 1);
  const twice = [...counts].filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], 'no callback received twice');
  assert.equal(receiver.messages.length, expected);
  assert.equal(counts.get('check_url'), 1);
  assert.equal(counts.get(`create ${eventId}`), 1);
  for (let i = 0; i < CHANGES; i++) assert.equal(counts.get(`attendee_add ${eventId} ${member(i)}`), 1, `the add of ${member(i)}`);
}

describe('two dispatchers on one PostgreSQL', () => {
  let receiver: DingTalkReceiver;
  before(async () => {
    // A little latency per reply, so the two dispatchers' attempts overlap.
    receiver = await startDingTalkReceiver(KEYS, { delayMs: () => Math.floor(Math.random() * 10) });
  });
  after(async () => { await receiver?.close(); });

  it(`Dispatcher instances on separate stores: ${CHANGES} changes, every callback once, the work shared`, async () => {
    receiver.messages.length = 0;
    const { url, eventId } = await changesWaiting(receiver);
    const tagged = (name: string): CallbackFormat[] => CALLBACK_FORMATS.map((f) => ({
      platform: f.platform,
      plan: (tx, change, now) => f.plan(tx, change, now),
      check: (app, delivery, reply) => f.check(app, delivery, reply),
      seal: (app, delivery, now) => {
        const sealed = f.seal(app, delivery, now);
        return { ...sealed, headers: { ...sealed.headers, 'x-test-dispatcher': name } };
      },
    }));
    const stores: Store[] = await Promise.all(['a', 'b'].map(() => openStore({ databaseUrl: url, poolSize: 4, data: '' })));
    const options = { attempts: 5, backoffMs: 50, timeoutMs: 5_000, pollMs: 50 };
    const dispatchers = stores.map((s, i) => new Dispatcher(s, systemClock, options, tagged(`d${i}`)));
    try {
      for (const d of dispatchers) d.start();
      await checkExactlyOnce(receiver, url, eventId);
      const by = (name: string) => receiver.messages.filter((m) => m.headers['x-test-dispatcher'] === name).length;
      assert.equal(by('d0') + by('d1'), CHANGES + 2);
      assert.ok(by('d0') > 0 && by('d1') > 0, `both dispatchers sent callbacks (d0 ${by('d0')}, d1 ${by('d1')})`);
    } finally {
      for (const d of dispatchers) await d.stop();
      for (const s of stores) await s.close();
    }
  });

  it(`two \`kalends dispatch\` processes: ${CHANGES} changes, every callback once`, async () => {
    receiver.messages.length = 0;
    const { url, eventId } = await changesWaiting(receiver);
    const procs: Proc[] = [0, 1].map(() => spawnKalends(['dispatch', '--database-url', url, '--delivery-backoff', '50']));
    try {
      for (const p of procs) await poll('the dispatcher runs', () => p.stdout().includes('Kalends dispatcher running'), 30_000, () => p.stderr());
      await checkExactlyOnce(receiver, url, eventId);
    } finally {
      for (const p of procs) assert.equal(await stopProc(p), 0, `kalends dispatch exits 0 on SIGTERM: ${p.stderr()}`);
    }
    for (const p of procs) assert.equal(p.stderr(), '', 'no dispatcher complained');
  });
});
