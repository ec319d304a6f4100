// Feishu event pushes end to end: a Kalends server whose Feishu app registered an event
// callback URL (directory `eventCallbackUrl`, `verificationToken`, optional `encryptKey`); the
// receiver is the official @larksuiteoapi/node-sdk EventDispatcher behind its adaptDefault
// adapter (autoChallenge), as a Feishu app would run it. Changes are made through the SDK's
// API client; pushes go only to identities that subscribed (calendar.subscription,
// calendarEvent.subscription), and need_notification puts bot messages in inboxes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ADMIN_TOKEN, deliveriesOf, inboxOf, poll, startFeishuReceiver, type FeishuReceived, type FeishuReceiver,
} from './helpers/callback-receivers.ts';
import { buildFeishuFixture, type FsUser } from './helpers/feishu-directory.ts';
import { asUser, createEvent, fsClient, lark, ok, primaryCalendarId, timedEvent, userToken } from './helpers/feishu.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const EVENT_CHANGED = 'calendar.calendar.event.changed_v4';
const CALENDAR_CHANGED = 'calendar.calendar.changed_v4';

const MODES = [
  { name: 'encrypted and signed', tag: 'dlvenc', secrets: { verificationToken: 'vt-dlv-enc', encryptKey: 'ek-kalends-delivery-0123456789' } },
  { name: 'plain', tag: 'dlvplain', secrets: { verificationToken: 'vt-dlv-plain' } },
] as const;

const ids = (u: FsUser) => ({ open_id: u.openId, union_id: u.unionId, user_id: u.userId });

for (const mode of MODES) {
  describe(`Feishu event pushes (${mode.name})`, () => {
    const fx = buildFeishuFixture({ tag: mode.tag });
    const { app, rwApp: quietApp, users } = fx.acme;
    const { alice, bob, carol } = users;
    let srv: KalendsServer;
    let receiver: FeishuReceiver;
    /** The receiver of an app that registered a URL but never subscribes. */
    let quiet: FeishuReceiver;
    let client: lark.Client;
    const tok: Record<string, string> = {};
    let aliceCal = '';
    let bobCal = '';
    let eventId = '';

    before(async () => {
      receiver = await startFeishuReceiver(mode.secrets);
      quiet = await startFeishuReceiver(mode.secrets);
      const directory = structuredClone(fx.directory) as any;
      const apps = directory.tenants[0].apps as any[];
      Object.assign(apps.find((a) => a.appId === app.appId), { eventCallbackUrl: receiver.url, ...mode.secrets });
      Object.assign(apps.find((a) => a.appId === quietApp.appId), { eventCallbackUrl: quiet.url, ...mode.secrets });
      srv = await startServer({ directory, extraArgs: ['--admin-token', ADMIN_TOKEN, '--rate-limit', 'off'] });
      client = fsClient(srv.baseUrl, app);
      for (const u of [alice, bob, carol]) tok[u.key] = await userToken(client, srv.baseUrl, app.appId, u.openId);
      aliceCal = await primaryCalendarId(client, tok.alice);
      bobCal = await primaryCalendarId(client, tok.bob);
    });

    after(async () => {
      await srv?.cleanup();
      await receiver?.close();
      await quiet?.close();
    });

    /** The nth event.changed push of `eventId` to `calendarId` with `changeType`, once it has arrived. */
    function pushOf(eventIdWanted: string, calendarId: string, changeType: string, nth = 0): Promise<FeishuReceived> {
      return poll(`${EVENT_CHANGED} ${changeType} of ${eventIdWanted} on ${calendarId}`, () => receiver.events.filter((e) =>
        e.type === EVENT_CHANGED && e.data.calendar_event_id === eventIdWanted && e.data.calendar_id === calendarId
        && e.data.change_type === changeType)[nth], 10_000, () => receiver.events.map((e) => e.data));
    }

    it('url_verification: the adapter echoes the challenge and the delivery is marked delivered', async () => {
      for (const [clientId, r] of [[app.appId, receiver], [quietApp.appId, quiet]] as const) {
        const d = await poll(`url_verification of ${clientId} delivered`, async () =>
          (await deliveriesOf(srv.baseUrl, clientId)).find((x) => x.event_type === 'url_verification' && x.status === 'delivered'),
        10_000, () => deliveriesOf(srv.baseUrl, clientId));
        assert.equal(d.attempts, 1);
        assert.equal(d.last_status, 200);
        const { challenge, token, type } = JSON.parse(d.payload);
        assert.equal(type, 'url_verification');
        assert.equal(token, '***', 'the admin API blanks the Verification Token the envelope carries');
        assert.ok(!JSON.stringify(d).includes(mode.secrets.verificationToken), 'no callback secret in the admin reply');
        assert.deepEqual(JSON.parse(d.last_reply ?? ''), { challenge });
        if ('encryptKey' in mode.secrets) assert.deepEqual(Object.keys(JSON.parse(d.sent_body ?? '{}')), ['encrypt'], 'sent encrypted');
        else assert.equal(JSON.parse(d.sent_body ?? '{}').challenge, challenge, 'sent in clear');
        assert.ok(r.requests.length >= 1);
        assert.deepEqual(r.events, [], 'no handler runs for the challenge');
      }
    });

    it('calendarEvent.subscription + create → event.changed_v4 create with the ids the SDK got', async () => {
      ok(await client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: aliceCal } }, asUser(tok.alice!)), 'subscribe alice');
      ok(await client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: bobCal } }, asUser(tok.bob!)), 'subscribe bob');
      const event = await createEvent(client, aliceCal, timedEvent('Push review'), { userTok: tok.alice });
      eventId = event.event_id;
      const { data } = await pushOf(eventId, aliceCal, 'create');
      assert.deepEqual(data.user_id_list, [ids(alice)]);
      assert.equal(data.rsvp_infos, undefined);
      // The schema 2.0 header, flattened in by the SDK.
      assert.equal(data.event_type, EVENT_CHANGED);
      assert.equal(data.app_id, app.appId);
      assert.equal(data.token, mode.secrets.verificationToken);
      assert.equal(data.schema, '2.0');
      assert.equal(typeof data.event_id, 'string');
      assert.ok(Math.abs(Number(data.create_time) - Date.now()) < 60_000, `create_time ${data.create_time}`);
      // bob is not concerned yet: nothing for his calendar.
      assert.ok(!receiver.events.some((e) => e.data.calendar_event_id === eventId && e.data.calendar_id === bobCal));
    });

    it('adding an attendee → update to the organizer\'s and the attendee\'s subscribed calendars; need_notification true → a bot message', async () => {
      ok(await client.calendar.v4.calendarEventAttendee.create({
        path: { calendar_id: aliceCal, event_id: eventId }, params: { user_id_type: 'open_id' },
        data: { attendees: [{ type: 'user', user_id: bob.openId }], need_notification: true },
      }, asUser(tok.alice!)), 'add bob');
      assert.deepEqual((await pushOf(eventId, aliceCal, 'update')).data.user_id_list, [ids(alice)]);
      assert.deepEqual((await pushOf(eventId, bobCal, 'update')).data.user_id_list, [ids(bob)]);
      const inbox = await poll('bob has a bot message', async () => {
        const m = await inboxOf(srv.baseUrl, bob.openId);
        return m.length > 0 ? m : undefined;
      });
      assert.equal(inbox.length, 1);
      assert.equal(inbox[0]!.kind, 'bot');
      assert.equal(inbox[0]!.topic, 'attendee.added');
      assert.match(inbox[0]!.text, /^Alice invited you to "Push review" \(\d{4}-\d{2}-\d{2} \d{2}:\d{2}, [A-Za-z_/+:0-9-]+\)$/);
    });

    it('need_notification false → the push, but no message for the invitee', async () => {
      ok(await client.calendar.v4.calendarEventAttendee.create({
        path: { calendar_id: aliceCal, event_id: eventId }, params: { user_id_type: 'open_id' },
        data: { attendees: [{ type: 'user', user_id: carol.openId }], need_notification: false },
      }, asUser(tok.alice!)), 'add carol');
      await pushOf(eventId, aliceCal, 'update', 1);
      // Fanned out (its push arrived), so a message would be there by now.
      assert.deepEqual(await inboxOf(srv.baseUrl, carol.unionId), []);
      // carol subscribed nothing: no push names her.
      assert.ok(!receiver.events.some((e) => JSON.stringify(e.data.user_id_list).includes(carol.openId)));
    });

    it('a reply → change_type rsvp with rsvp_infos naming who answered', async () => {
      ok(await client.calendar.v4.calendarEvent.reply({
        path: { calendar_id: bobCal, event_id: eventId }, data: { rsvp_status: 'accept' },
      }, asUser(tok.bob!)), 'bob accepts');
      for (const [cal, who] of [[aliceCal, alice], [bobCal, bob]] as const) {
        const { data } = await pushOf(eventId, cal, 'rsvp');
        assert.deepEqual(data.user_id_list, [ids(who)]);
        assert.deepEqual(data.rsvp_infos, [{ from_user_id: ids(bob), rsvp_status: 'accept' }]);
      }
    });

    it('calendar.subscription + creating a calendar → calendar.changed_v4 naming the subscriber', async () => {
      ok(await client.calendar.v4.calendar.subscription({}, asUser(tok.alice!)), 'alice subscribes her calendar list');
      const created = ok(await client.calendar.v4.calendar.create({ data: { summary: 'Alice side project' } }, asUser(tok.alice!)));
      assert.equal(typeof created.calendar.calendar_id, 'string');
      const push = await poll(CALENDAR_CHANGED, () => receiver.events.find((e) => e.type === CALENDAR_CHANGED), 10_000,
        () => receiver.events.map((e) => e.type));
      assert.deepEqual(push.data.user_id_list, [ids(alice)]);
      assert.equal(push.data.app_id, app.appId);
    });

    it('no push for an identity or an app that did not subscribe', async () => {
      const calendarPushes = () => receiver.events.filter((e) => e.type === CALENDAR_CHANGED).length;
      const before = calendarPushes();
      // carol (no subscriptions) changes her own calendar list and her own calendar's events.
      ok(await client.calendar.v4.calendar.create({ data: { summary: 'Carol private' } }, asUser(tok.carol!)));
      const carolCal = await primaryCalendarId(client, tok.carol);
      const carolEvent = await createEvent(client, carolCal, timedEvent('Carol alone'), { userTok: tok.carol });
      // A marker change made after them: once its push is here, theirs were fanned out too.
      const marker = await createEvent(client, aliceCal, timedEvent('Marker'), { userTok: tok.alice });
      await pushOf(marker.event_id, aliceCal, 'create');
      const payloads = (await deliveriesOf(srv.baseUrl, app.appId)).map((d) => d.payload);
      assert.ok(!payloads.some((p) => p.includes(carolEvent.event_id)), 'no delivery about carol\'s event');
      assert.equal(calendarPushes(), before, 'no calendar.changed_v4 for carol');
      assert.ok(!receiver.events.some((e) => e.data.calendar_event_id === carolEvent.event_id));
      // The app that registered a URL but never subscribed got only its url_verification.
      assert.deepEqual(quiet.events, []);
      assert.deepEqual((await deliveriesOf(srv.baseUrl, quietApp.appId)).map((d) => d.event_type), ['url_verification']);
    });

    it('delete → change_type delete; after calendarEvent.unsubscription that calendar is pushed no more', async () => {
      const doomed = await createEvent(client, aliceCal, timedEvent('Doomed'), { userTok: tok.alice });
      await pushOf(doomed.event_id, aliceCal, 'create');
      ok(await client.calendar.v4.calendarEvent.delete({ path: { calendar_id: aliceCal, event_id: doomed.event_id } }, asUser(tok.alice!)));
      assert.deepEqual((await pushOf(doomed.event_id, aliceCal, 'delete')).data.user_id_list, [ids(alice)]);

      ok(await client.calendar.v4.calendarEvent.unsubscription({ path: { calendar_id: aliceCal } }, asUser(tok.alice!)), 'unsubscribe alice');
      const later = await createEvent(client, aliceCal, timedEvent('After unsubscribing'), { userTok: tok.alice });
      ok(await client.calendar.v4.calendarEventAttendee.create({
        path: { calendar_id: aliceCal, event_id: later.event_id }, params: { user_id_type: 'open_id' },
        data: { attendees: [{ type: 'user', user_id: bob.openId }], need_notification: false },
      }, asUser(tok.alice!)), 'add bob');
      // bob is still subscribed to his calendar: his push is the marker that both changes were fanned out.
      await pushOf(later.event_id, bobCal, 'update');
      const calendars = receiver.events.filter((e) => e.data.calendar_event_id === later.event_id).map((e) => e.data.calendar_id);
      assert.ok(!calendars.includes(aliceCal), `no push for the unsubscribed calendar: ${JSON.stringify(calendars)}`);
    });

    it('every push was accepted by the SDK once, and every delivery is delivered on the first attempt', async () => {
      const deliveries = (await deliveriesOf(srv.baseUrl, app.appId)).filter((d) => d.event_type !== 'url_verification');
      const handled = receiver.events.map((e) => e.data.event_id as string);
      assert.equal(new Set(handled).size, handled.length, 'no push handled twice');
      for (const d of deliveries) {
        assert.equal(d.status, 'delivered', `delivery ${d.id}: ${d.last_error}`);
        assert.equal(d.attempts, 1);
        assert.equal(d.last_reply, '"ok"', 'the SDK verified the push and ran the handler');
        assert.ok(handled.includes(d.event_id!), `delivery ${d.id} (${d.event_id}) reached the handler`);
      }
      assert.equal(deliveries.length, handled.length);
    });
  });
}
