// Feishu calendar ACLs through the SDK (calendarAcl create/list/listWithIterator/delete): only the
// owner manages them, a role given is a role used, and each change is pushed as
// calendar.calendar.acl.created_v4 / …deleted_v4 to the calendarAcl.subscription subscribers only,
// received by the SDK's own EventDispatcher.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildFeishuFixture } from './helpers/feishu-directory.ts';
import { as, createEvent, expectFsErrorOneOf, fsClient, lark, ok, timedEvent, userToken } from './helpers/feishu.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const fx = buildFeishuFixture({ tag: 'acl' });
const { users, app } = fx.acme;
const { alice, bob, carol, dave, zed } = users;
const ENCRYPT_KEY = 'acl-test-encrypt-key';

let srv: KalendsServer;
let receiver: Server;
const received: Array<{ type: string; data: any }> = [];
let client: lark.Client;
let aliceTok = '';
let bobTok = '';
let calendarId = '';

before(async () => {
  const handler = (type: string) => async (data: unknown) => {
    received.push({ type, data });
    return 'ok';
  };
  const dispatcher = new lark.EventDispatcher({ encryptKey: ENCRYPT_KEY, loggerLevel: lark.LoggerLevel.error }).register({
    'calendar.calendar.acl.created_v4': handler('created'),
    'calendar.calendar.acl.deleted_v4': handler('deleted'),
  });
  receiver = createServer(lark.adaptDefault('/events', dispatcher, { autoChallenge: true }));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
  const directory = structuredClone(fx.directory) as { tenants: Array<{ apps: Array<Record<string, unknown>> }> };
  const entry = directory.tenants[0]!.apps.find((a) => a.appId === app.appId)!;
  Object.assign(entry, { eventCallbackUrl: url, encryptKey: ENCRYPT_KEY, verificationToken: 'vt-acl' });
  srv = await startServer({ directory, extraArgs: ['--rate-limit', 'off'] });
  client = fsClient(srv.baseUrl, app);
  aliceTok = await userToken(client, srv.baseUrl, app.appId, alice.openId);
  bobTok = await userToken(client, srv.baseUrl, app.appId, bob.openId);
  const created = ok(await client.calendar.calendar.create({ data: { summary: 'Team rota' } }, as(aliceTok)), 'create calendar');
  calendarId = created.calendar.calendar_id;
});

after(async () => {
  await srv?.cleanup();
  receiver?.closeAllConnections();
  receiver?.close();
});

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) assert.fail(`${what}: not within 10 s (received ${JSON.stringify(received.map((r) => r.type))})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('calendarAcl', () => {
  it('the owner gives bob the writer role: the reply names the acl, and bob can write', async () => {
    ok(await client.calendar.calendarAcl.subscription({ path: { calendar_id: calendarId } }, as(aliceTok)), 'subscribe');
    const acl = ok(await client.calendar.calendarAcl.create({
      path: { calendar_id: calendarId }, params: { user_id_type: 'open_id' },
      data: { role: 'writer', scope: { type: 'user', user_id: bob.openId } },
    }, as(aliceTok)), 'acl create');
    assert.match(acl.acl_id, /^user_[0-9a-f]{32}$/);
    assert.equal(acl.role, 'writer');
    assert.deepEqual(acl.scope, { type: 'user', user_id: bob.openId });
    const event = await createEvent(client, calendarId, timedEvent('Written by bob'), { userTok: bobTok });
    assert.ok(event.event_id);
  });

  it('pushes calendar.calendar.acl.created_v4 to the subscriber, decrypted by the SDK', async () => {
    const push = await until('acl created push', () => received.find((r) => r.type === 'created' && r.data.scope?.user_id?.open_id === bob.openId));
    assert.equal(push.data.role, 'writer');
    assert.match(push.data.acl_id, /^user_[0-9a-f]{32}$/);
    assert.equal(push.data.event_type, 'calendar.calendar.acl.created_v4');
    assert.equal(push.data.app_id, app.appId);
    assert.deepEqual(push.data.user_id_list.map((u: { open_id: string }) => u.open_id), [alice.openId]);
  });

  it('lists the owner and bob by user_id_type, page by page, and through listWithIterator', async () => {
    ok(await client.calendar.calendarAcl.create({
      path: { calendar_id: calendarId }, params: { user_id_type: 'user_id' },
      data: { role: 'reader', scope: { type: 'user', user_id: carol.userId } },
    }, as(aliceTok)), 'acl create carol');
    const page = ok(await client.calendar.calendarAcl.list({ path: { calendar_id: calendarId }, params: { user_id_type: 'user_id', page_size: 10 } }, as(aliceTok)), 'list');
    const roles = Object.fromEntries(page.acls.map((a: any) => [a.scope.user_id, a.role]));
    assert.deepEqual(roles, { [alice.userId]: 'owner', [bob.userId]: 'writer', [carol.userId]: 'reader' });
    assert.equal(page.has_more, false);
    const seen: string[] = [];
    for await (const chunk of await client.calendar.calendarAcl.listWithIterator({ path: { calendar_id: calendarId }, params: { user_id_type: 'open_id', page_size: 10 } }, as(aliceTok))) {
      for (const a of chunk?.acls ?? []) seen.push(a.scope.user_id ?? '');
    }
    assert.deepEqual(seen.sort(), [alice.openId, bob.openId, carol.openId].sort());
  });

  it('only the owner manages the list; unknown or departed users and bad roles are refused', async () => {
    await expectFsErrorOneOf(client.calendar.calendarAcl.create({
      path: { calendar_id: calendarId }, data: { role: 'reader', scope: { type: 'user', user_id: dave.openId } },
    }, as(bobTok)), [191002], 'a writer is not the owner');
    await expectFsErrorOneOf(client.calendar.calendarAcl.list({ path: { calendar_id: calendarId } }, as(bobTok)), [191002], 'list as writer');
    for (const user_id of ['ou_nobody', zed.openId]) {
      await expectFsErrorOneOf(client.calendar.calendarAcl.create({
        path: { calendar_id: calendarId }, data: { role: 'reader', scope: { type: 'user', user_id } },
      }, as(aliceTok)), [195100], user_id);
    }
    await expectFsErrorOneOf(client.calendar.calendarAcl.create({
      path: { calendar_id: calendarId }, data: { role: 'boss' as 'owner', scope: { type: 'user', user_id: dave.openId } },
    }, as(aliceTok)), [190002], 'unknown role');
  });

  it('deleting bob takes his role away and is pushed as acl.deleted_v4', async () => {
    const page = ok(await client.calendar.calendarAcl.list({ path: { calendar_id: calendarId }, params: { user_id_type: 'open_id' } }, as(aliceTok)), 'list');
    const bobAcl = page.acls.find((a: any) => a.scope.user_id === bob.openId);
    ok(await client.calendar.calendarAcl.delete({ path: { calendar_id: calendarId, acl_id: bobAcl.acl_id } }, as(aliceTok)), 'delete');
    await expectFsErrorOneOf(createEvent(client, calendarId, timedEvent('Not any more'), { userTok: bobTok }), [191002, 193002], 'bob can no longer write');
    const push = await until('acl deleted push', () => received.find((r) => r.type === 'deleted'));
    assert.equal(push.data.acl_id, bobAcl.acl_id);
    assert.equal(push.data.role, 'writer');
    ok(await client.calendar.calendarAcl.delete({ path: { calendar_id: calendarId, acl_id: bobAcl.acl_id } }, as(aliceTok)), 'deleting twice changes nothing');
  });

  it('no push reaches an identity that did not subscribe (the bot, on its own calendar)', async () => {
    const before = received.length;
    const botCalendar = ok(await client.calendar.calendar.create({ data: { summary: 'Bot calendar' } }), 'bot calendar').calendar.calendar_id;
    ok(await client.calendar.calendarAcl.create({
      path: { calendar_id: botCalendar }, data: { role: 'reader', scope: { type: 'user', user_id: dave.openId } },
    }), 'acl create as bot');
    // A push to the subscribed calendar after it proves the dispatcher has passed this change.
    ok(await client.calendar.calendarAcl.create({
      path: { calendar_id: calendarId }, data: { role: 'reader', scope: { type: 'user', user_id: dave.openId } },
    }, as(aliceTok)), 'acl create on the subscribed calendar');
    await until('the later push', () => received.slice(before).find((r) => r.data.scope?.user_id?.open_id === dave.openId));
    const forDave = received.slice(before).filter((r) => r.data.scope?.user_id?.open_id === dave.openId);
    assert.equal(forDave.length, 1, 'only the subscribed calendar pushed');
  });
});
