// DingTalk event callbacks end to end: a Kalends server with apps that registered a callback URL
// (directory `eventCallbackUrl`, `callbackToken`, `aesKey`), changes made through the official
// @alicloud/dingtalk SDK, and receivers on node:http that check the signature, decrypt with
// their own implementation of DingTalk's scheme (helpers/callback-receivers.ts) and answer the
// encrypted "success". Notifications (pushNotification / chatNotification) land in inboxes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ADMIN_TOKEN, aesKeyFrom, deliveriesOf, inboxOf, poll, startDingTalkReceiver,
  type DingTalkKeys, type DingTalkReceived, type DingTalkReceiver,
} from './helpers/callback-receivers.ts';
import { ACME, GLOBEX, U, buildDirectory } from './helpers/directory.ts';
import { Dt, getToken, timedEventBody } from './helpers/dingtalk.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const KEYS: DingTalkKeys = { token: 'acme-callback-token', aesKey: aesKeyFrom('acme'), receiveId: ACME.app.appKey };
/** A second app of acme whose receiver answers 200 `success` in clear (not the encrypted reply). */
const SLOPPY_KEYS: DingTalkKeys = { token: 'sloppy-token', aesKey: aesKeyFrom('sloppy'), receiveId: ACME.defaultScopeApp.appKey };
/** Another tenant's app: must hear nothing of acme's changes. */
const GLOBEX_KEYS: DingTalkKeys = { token: 'globex-token', aesKey: aesKeyFrom('globex'), receiveId: GLOBEX.app.appKey };

let srv: KalendsServer;
let good: DingTalkReceiver;
let sloppy: DingTalkReceiver;
let globex: DingTalkReceiver;
let dt: Dt;

function withCallback(dir: any, appKey: string, url: string, keys: DingTalkKeys): void {
  const app = dir.tenants.flatMap((t: any) => t.apps).find((a: any) => a.appKey === appKey);
  assert.ok(app, `no app ${appKey} in the directory`);
  Object.assign(app, { eventCallbackUrl: url, callbackToken: keys.token, aesKey: keys.aesKey });
}

before(async () => {
  good = await startDingTalkReceiver(KEYS);
  sloppy = await startDingTalkReceiver(SLOPPY_KEYS, { reply: 'plain' });
  globex = await startDingTalkReceiver(GLOBEX_KEYS);
  const directory = buildDirectory({ bulk: false });
  withCallback(directory, ACME.app.appKey, good.url, KEYS);
  withCallback(directory, ACME.defaultScopeApp.appKey, sloppy.url, SLOPPY_KEYS);
  withCallback(directory, GLOBEX.app.appKey, globex.url, GLOBEX_KEYS);
  srv = await startServer({ directory, extraArgs: ['--admin-token', ADMIN_TOKEN, '--delivery-backoff', '100', '--rate-limit', 'off'] });
  dt = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
});

after(async () => {
  await srv?.cleanup();
  await Promise.all([good, sloppy, globex].map((r) => r?.close()));
});

/** The calendar_event_change of `eventId` with `changeType` (the nth of them, 0-based), once it has arrived. */
function changeOf(receiver: DingTalkReceiver, eventId: string, changeType: string, nth = 0): Promise<DingTalkReceived> {
  return poll(`calendar_event_change ${changeType} of ${eventId}`,
    () => receiver.messages.filter((m) => m.message.calendarEventId === eventId && m.message.changeType === changeType)[nth],
    10_000, () => receiver.messages.map((m) => m.message));
}

function changesOf(receiver: DingTalkReceiver, eventId: string): Array<Record<string, any>> {
  return receiver.messages.filter((m) => m.message.calendarEventId === eventId).map((m) => m.message);
}

async function createEvent(summary: string, attendees: string[] = [], extra?: Record<string, string>): Promise<string> {
  const body = timedEventBody(summary, attendees);
  if (extra) body.extra = extra;
  const r = await dt.createEvent(U.alice, body);
  assert.equal(r.statusCode, 200);
  assert.equal(typeof r.body.id, 'string');
  return r.body.id as string;
}

describe('DingTalk callback registration', () => {
  it('check_url arrives first, decrypts for the appKey, and is marked delivered', async () => {
    const first = await poll('check_url at the receiver', () => good.messages[0]);
    assert.deepEqual(first.message, { EventType: 'check_url' });
    assert.ok(Math.abs(Number(first.query.get('timestamp')) - Date.now()) < 60_000, `timestamp is ms now: ${first.query.get('timestamp')}`);
    assert.ok(first.query.get('nonce'), 'nonce in the query');
    const delivery = await poll('check_url delivered', async () =>
      (await deliveriesOf(srv.baseUrl, ACME.app.appKey)).find((d) => d.event_type === 'check_url' && d.status === 'delivered'));
    assert.equal(delivery.attempts, 1);
    assert.equal(delivery.last_status, 200);
    assert.equal(delivery.last_error, null);
    assert.deepEqual(good.rejected, [], 'every request passed the signature check and decrypted');
  });

  it('a receiver that answers 200 but not the encrypted "success" is retried', async () => {
    const retried = await poll('check_url retried', async () =>
      (await deliveriesOf(srv.baseUrl, ACME.defaultScopeApp.appKey)).find((d) => d.event_type === 'check_url' && d.attempts >= 2),
    10_000, () => deliveriesOf(srv.baseUrl, ACME.defaultScopeApp.appKey));
    assert.notEqual(retried.status, 'delivered');
    assert.equal(retried.last_status, 200);
    assert.match(retried.last_error ?? '', /success/);
    await poll('the receiver saw the retries', () => sloppy.messages.filter((m) => m.message.EventType === 'check_url').length >= 2);
    assert.deepEqual(sloppy.rejected, []);
  });
});

describe('calendar_event_change through the DingTalk SDK', () => {
  let eventId = '';

  it('createEvent → changeType create with the SDK event id and the organizer', async () => {
    eventId = await createEvent('Delivery review');
    const { message } = await changeOf(good, eventId, 'create');
    assert.equal(message.EventType, 'calendar_event_change');
    assert.equal(message.organizerUnionId, U.alice);
    assert.deepEqual(message.unionIdList, []);
    assert.equal(typeof message.CorpId, 'string');
    assert.ok(Math.abs(Number(message.TimeStamp) - Date.now()) < 60_000, `TimeStamp ${message.TimeStamp}`);
  });

  it('addAttendee with push and chat → attendee_add naming the invitee; push and chat messages in their inbox', async () => {
    const r = await dt.addAttendees(U.alice, eventId, [U.bob], { pushNotification: true, chatNotification: true });
    assert.equal(r.statusCode, 200);
    const { message } = await changeOf(good, eventId, 'attendee_add');
    assert.deepEqual(message.unionIdList, [U.bob]);
    assert.equal(message.organizerUnionId, U.alice);
    const inbox = await poll('bob has a push and a chat message', async () => {
      const messages = await inboxOf(srv.baseUrl, U.bob);
      return messages.length >= 2 ? messages : undefined;
    });
    assert.deepEqual(inbox.map((m) => m.kind).sort(), ['chat', 'push']);
    for (const m of inbox) {
      assert.equal(m.topic, 'attendee.added');
      assert.match(m.text, /Delivery review/);
      assert.match(m.text, /Alice/);
    }
  });

  it('addAttendee without the switches → the callback, but nothing in the inbox (they default to off)', async () => {
    assert.equal((await dt.addAttendees(U.alice, eventId, [U.carol])).statusCode, 200);
    const { message } = await changeOf(good, eventId, 'attendee_add', 1);
    assert.deepEqual(message.unionIdList, [U.carol]);
    // The change was fanned out (its callback arrived), so a notification would be there now.
    assert.deepEqual(await inboxOf(srv.baseUrl, U.carol), []);
  });

  it('respondEvent → respond naming who answered; the organizer gets a push message', async () => {
    assert.equal((await dt.respond(U.bob, eventId, 'accepted')).statusCode, 200);
    const { message } = await changeOf(good, eventId, 'respond');
    assert.deepEqual(message.unionIdList, [U.bob]);
    const notice = await poll('alice is told bob accepted', async () =>
      (await inboxOf(srv.baseUrl, U.alice)).find((m) => m.topic === 'attendee.responded'));
    assert.equal(notice.kind, 'push');
    assert.match(notice.text, /Bob accepted "Delivery review"/);
  });

  it('removeAttendee → attendee_remove naming who was removed', async () => {
    assert.equal((await dt.removeAttendees(U.alice, eventId, [U.carol])).statusCode, 200);
    const { message } = await changeOf(good, eventId, 'attendee_remove');
    assert.deepEqual(message.unionIdList, [U.carol]);
    assert.deepEqual(good.rejected, []);
  });

  it('patchEvent → update and deleteEvent → delete, naming the attendees; pushNotification on delete → a push message', async () => {
    assert.equal((await dt.patchEvent(U.alice, eventId, { summary: 'Delivery review (moved)' })).statusCode, 200);
    assert.deepEqual((await changeOf(good, eventId, 'update')).message.unionIdList, [U.bob]);
    assert.equal((await dt.deleteEvent(U.alice, eventId, { pushNotification: true })).statusCode, 200);
    assert.deepEqual((await changeOf(good, eventId, 'delete')).message.unionIdList, [U.bob]);
    const cancelled = await poll('bob is told of the cancellation', async () =>
      (await inboxOf(srv.baseUrl, U.bob)).find((m) => m.topic === 'event.deleted'));
    assert.equal(cancelled.kind, 'push');
    assert.match(cancelled.text, /Alice cancelled "Delivery review \(moved\)"/);
  });

  it('the callbacks of one event arrive once each, in the order the changes were made', async () => {
    const types = changesOf(good, eventId).map((m) => m.changeType);
    assert.deepEqual(types, ['create', 'attendee_add', 'attendee_add', 'respond', 'attendee_remove', 'update', 'delete']);
    const deliveries = (await deliveriesOf(srv.baseUrl, ACME.app.appKey)).filter((d) => d.payload.includes(eventId));
    assert.equal(deliveries.length, 7);
    for (const d of deliveries) {
      assert.equal(d.event_type, 'calendar_event_change');
      assert.equal(d.status, 'delivered', `delivery ${d.id}: ${d.last_error}`);
      assert.equal(d.attempts, 1);
    }
  });

  it('createEvent notifies its attendees by push and chat unless extra turns them off', async () => {
    const withDefaults = await createEvent('Kick-off', [U.dave]);
    const created = await changeOf(good, withDefaults, 'create');
    assert.deepEqual(created.message.unionIdList, [U.dave]);
    // One create callback. (The core also records the attendees named at creation as an
    // attendee_add, planned before the create: reported, not asserted here.)
    const planned = (await deliveriesOf(srv.baseUrl, ACME.app.appKey)).filter((d) => d.payload.includes(withDefaults));
    assert.equal(planned.filter((d) => JSON.parse(d.payload).changeType === 'create').length, 1);
    const dave = await poll('dave has both messages', async () => {
      const messages = await inboxOf(srv.baseUrl, U.dave);
      return messages.length >= 2 ? messages : undefined;
    });
    assert.deepEqual(dave.map((m) => m.kind).sort(), ['chat', 'push']);
    assert.ok(dave.every((m) => m.topic === 'event.created' && /Kick-off/.test(m.text)), JSON.stringify(dave));

    const silent = await createEvent('Quiet one', [U.erin], { noPushNotification: 'true', noChatNotification: 'true' });
    assert.deepEqual((await changeOf(good, silent, 'create')).message.unionIdList, [U.erin]);
    assert.deepEqual(await inboxOf(srv.baseUrl, U.erin), []);
  });

  it('every app of the tenant with a callback URL hears the changes; another tenant\'s app hears none', async () => {
    await changeOf(sloppy, eventId, 'delete');
    assert.deepEqual(globex.messages.map((m) => m.message), [{ EventType: 'check_url' }]);
    const globexDeliveries = await deliveriesOf(srv.baseUrl, GLOBEX.app.appKey);
    assert.deepEqual(globexDeliveries.map((d) => [d.event_type, d.status]), [['check_url', 'delivered']]);
  });
});
