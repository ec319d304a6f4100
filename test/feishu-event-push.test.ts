// Feishu event pushes built by src/http/feishu/event-push.ts, received by the official SDK's own
// EventDispatcher behind its adaptDefault adapter on a real node:http server: the SDK must
// verify, decrypt and dispatch them (or answer the challenge) exactly as it does Feishu's.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { buildFeishuChallengePush, buildFeishuEventPush, type FeishuPush } from '../src/http/feishu/event-push.ts';

const PATH = '/feishu/events';
const ENCRYPT_KEY = 'kalends-test-encrypt-key-0123456789';
const VERIFICATION_TOKEN = 'v-token-42';
const APP = { appId: 'cli_a1b2c3d4e5f6', tenantKey: 'tenant-736588c9260f175d' };

const bob = { open_id: 'ou_bob', union_id: 'on_bob', user_id: 'bob' };
const alice = { open_id: 'ou_alice', union_id: 'on_alice', user_id: 'alice' };
const EVENT_CHANGED = {
  calendar_id: 'feishu.cn_abc@group.calendar.feishu.cn',
  calendar_event_id: '2b5a6c1e-3f4d-4e5f-8a9b-0c1d2e3f4a5b_0',
  change_type: 'update',
  user_id_list: [alice, bob],
  rsvp_infos: [{ from_user_id: bob, rsvp_status: 'accept' }],
};
const ACL_CREATED = {
  acl_id: 'user_1234567890',
  role: 'writer',
  scope: { type: 'user', user_id: bob },
  user_id_list: [alice],
};

type Received = { type: string; data: Record<string, unknown> };

/** A receiver app: the SDK's dispatcher and adapter on 127.0.0.1, recording what its handlers get. */
async function startReceiver(secrets: { encryptKey?: string; verificationToken?: string }) {
  const received: Received[] = [];
  const dispatcher = new lark.EventDispatcher({ ...secrets, loggerLevel: lark.LoggerLevel.error }).register({
    'calendar.calendar.event.changed_v4': async (data) => {
      received.push({ type: 'calendar.calendar.event.changed_v4', data: data as Record<string, unknown> });
      return 'ok';
    },
    'calendar.calendar.acl.created_v4': async (data) => {
      received.push({ type: 'calendar.calendar.acl.created_v4', data: data as Record<string, unknown> });
      return 'ok';
    },
  });
  const server = createServer(lark.adaptDefault(PATH, dispatcher, { autoChallenge: true }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`;
  return {
    received,
    post: async (push: FeishuPush) => {
      const res = await fetch(url, { method: 'POST', headers: push.headers, body: push.body });
      return { status: res.status, text: await res.text() };
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const MODES = [
  { name: 'plain', secrets: { verificationToken: VERIFICATION_TOKEN } },
  { name: 'encrypted', secrets: { verificationToken: VERIFICATION_TOKEN, encryptKey: ENCRYPT_KEY } },
] as const;

for (const mode of MODES) {
  describe(`Feishu event push (${mode.name}) through the SDK's EventDispatcher`, () => {
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    before(async () => { receiver = await startReceiver(mode.secrets); });
    after(async () => { await receiver.close(); });

    test('calendar.calendar.event.changed_v4 reaches the handler with the header and event fields', async () => {
      receiver.received.length = 0;
      const push = buildFeishuEventPush({
        ...APP, ...mode.secrets, eventType: 'calendar.calendar.event.changed_v4', event: EVENT_CHANGED,
        eventId: 'ev-changed-1', createTime: 1_767_225_600_123, timestamp: 1_767_225_601, nonce: 'n-1',
      });
      const reply = await receiver.post(push);
      assert.equal(reply.status, 200);
      assert.equal(reply.text, '"ok"');
      assert.equal(receiver.received.length, 1);
      const { type, data } = receiver.received[0]!;
      assert.equal(type, 'calendar.calendar.event.changed_v4');
      assert.equal(data.calendar_id, EVENT_CHANGED.calendar_id);
      assert.equal(data.calendar_event_id, EVENT_CHANGED.calendar_event_id);
      assert.equal(data.change_type, 'update');
      assert.deepEqual(data.user_id_list, EVENT_CHANGED.user_id_list);
      assert.deepEqual(data.rsvp_infos, EVENT_CHANGED.rsvp_infos);
      // The handler gets the schema 2.0 header flattened in beside the event fields.
      assert.equal(data.event_id, 'ev-changed-1');
      assert.equal(data.event_type, 'calendar.calendar.event.changed_v4');
      assert.equal(data.create_time, '1767225600123');
      assert.equal(data.app_id, APP.appId);
      assert.equal(data.tenant_key, APP.tenantKey);
      assert.equal(data.token, VERIFICATION_TOKEN);
      assert.equal(data.schema, '2.0');
    });

    test('calendar.calendar.acl.created_v4 reaches the handler with acl_id, role, scope and users', async () => {
      receiver.received.length = 0;
      const push = buildFeishuEventPush({
        ...APP, ...mode.secrets, eventType: 'calendar.calendar.acl.created_v4', event: ACL_CREATED,
        eventId: 'ev-acl-1', createTime: Date.now(),
      });
      const reply = await receiver.post(push);
      assert.equal(reply.text, '"ok"');
      assert.equal(receiver.received.length, 1);
      const { type, data } = receiver.received[0]!;
      assert.equal(type, 'calendar.calendar.acl.created_v4');
      assert.equal(data.acl_id, ACL_CREATED.acl_id);
      assert.equal(data.role, 'writer');
      assert.deepEqual(data.scope, ACL_CREATED.scope);
      assert.deepEqual(data.user_id_list, ACL_CREATED.user_id_list);
      assert.equal(data.event_id, 'ev-acl-1');
    });

    test('the url_verification challenge is answered by the adapter (autoChallenge), no handler runs', async () => {
      receiver.received.length = 0;
      const push = buildFeishuChallengePush({ ...mode.secrets, challenge: 'c-7f3a9e' });
      const reply = await receiver.post(push);
      assert.equal(reply.status, 200);
      assert.deepEqual(JSON.parse(reply.text), { challenge: 'c-7f3a9e' });
      assert.equal(receiver.received.length, 0);
    });
  });
}

describe('Feishu event push wire details', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  before(async () => { receiver = await startReceiver({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN }); });
  after(async () => { await receiver.close(); });

  const changed = (overrides: Partial<Parameters<typeof buildFeishuEventPush>[0]> = {}) => buildFeishuEventPush({
    ...APP, encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN,
    eventType: 'calendar.calendar.event.changed_v4', event: EVENT_CHANGED, eventId: 'ev-wire', createTime: 1, ...overrides,
  });

  test('a tampered signature is rejected by the SDK: empty 200 reply, handler not called', async () => {
    receiver.received.length = 0;
    const push = changed();
    const sig = push.headers['X-Lark-Signature']!;
    const tampered = { ...push, headers: { ...push.headers, 'X-Lark-Signature': (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1) } };
    const reply = await receiver.post(tampered);
    assert.equal(reply.status, 200);
    assert.equal(reply.text, '');
    assert.equal(receiver.received.length, 0);
  });

  test('a body swapped under valid headers is rejected too', async () => {
    receiver.received.length = 0;
    const first = changed({ nonce: 'same', timestamp: 100 });
    const second = changed({ nonce: 'same', timestamp: 100, eventId: 'ev-other' });
    assert.equal((await receiver.post({ body: second.body, headers: first.headers })).text, '');
    assert.equal(receiver.received.length, 0);
    assert.equal((await receiver.post(first)).text, '"ok"', 'the untampered push still goes through');
  });

  test('encrypted bodies carry only `encrypt`; the signature covers the exact compact body sent', async () => {
    const push = changed({ nonce: 'nonce-x', timestamp: '1700000000' });
    assert.deepEqual(Object.keys(JSON.parse(push.body)), ['encrypt']);
    assert.ok(!push.body.includes('calendar_id'));
    assert.equal(push.body, JSON.stringify(JSON.parse(push.body)), 'compact, as the SDK re-serialises it');
    assert.equal(push.headers['X-Lark-Request-Timestamp'], '1700000000');
    assert.equal(push.headers['X-Lark-Request-Nonce'], 'nonce-x');
    const { createHash } = await import('node:crypto');
    const expected = createHash('sha256').update(`1700000000nonce-x${ENCRYPT_KEY}${push.body}`).digest('hex');
    assert.equal(push.headers['X-Lark-Signature'], expected);
    // A fresh IV per push: the same event never encrypts to the same bytes twice.
    assert.notEqual(changed({ nonce: 'nonce-x', timestamp: '1700000000' }).body, push.body);
  });

  test('plain bodies are the schema 2.0 envelope itself, compact and unsigned', () => {
    const push = buildFeishuEventPush({
      ...APP, eventType: 'calendar.calendar.acl.created_v4', event: ACL_CREATED, eventId: 'e', createTime: 5,
    });
    const body = JSON.parse(push.body);
    assert.deepEqual(body, {
      schema: '2.0',
      header: { event_id: 'e', token: '', create_time: '5', event_type: 'calendar.calendar.acl.created_v4', tenant_key: APP.tenantKey, app_id: APP.appId },
      event: ACL_CREATED,
    });
    assert.equal(push.body, JSON.stringify(body));
    assert.equal(push.headers['X-Lark-Signature'], undefined);
  });

  test('the dispatcher invoked directly (no adapter) accepts the push with its headers', async () => {
    const seen: unknown[] = [];
    const dispatcher = new lark.EventDispatcher({ encryptKey: ENCRYPT_KEY, loggerLevel: lark.LoggerLevel.error }).register({
      'calendar.calendar.event.changed_v4': async (data) => { seen.push(data.calendar_event_id); return 'done'; },
    });
    const push = changed();
    // As the adapters do: the lower-cased headers ride on the prototype, out of JSON.stringify's sight.
    const headers = Object.fromEntries(Object.entries(push.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const data = Object.assign(Object.create({ headers }), JSON.parse(push.body));
    assert.equal(await dispatcher.invoke(data), 'done');
    assert.deepEqual(seen, [EVENT_CHANGED.calendar_event_id]);
  });

  test('a push sealed with another encryptKey fails the SDK signature check', async () => {
    // Not through the adapter: its autoChallenge decrypts before verifying and, with the wrong
    // key, throws inside the request handler and never answers (an SDK quirk, not ours).
    let called = false;
    const dispatcher = new lark.EventDispatcher({ encryptKey: ENCRYPT_KEY, loggerLevel: lark.LoggerLevel.error }).register({
      'calendar.calendar.event.changed_v4': async () => { called = true; },
    });
    const push = changed({ encryptKey: 'not-the-app-key' });
    const headers = Object.fromEntries(Object.entries(push.headers).map(([k, v]) => [k.toLowerCase(), v]));
    assert.equal(await dispatcher.invoke(Object.assign(Object.create({ headers }), JSON.parse(push.body))), undefined);
    assert.equal(called, false);
  });
});
