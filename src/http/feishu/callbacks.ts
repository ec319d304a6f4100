import { randomBytes } from 'node:crypto';
import { payloadIn, rememberedIn, type CallbackFormat, type PassMemo, type PlannedCallback } from '../../core/outbox/callback-format.ts';
import type { PartStat } from '../../core/events/event.ts';
import type { Db } from '../../store/store.ts';
import type { OutboxRow } from '../../store/repositories/outbox.ts';
import { findAppById, findUsersByIds, type UserRow } from '../../store/repositories/directory.ts';
import { findEvent } from '../../store/repositories/events.ts';
import { primaryCalendarIdsOf } from '../../store/repositories/calendars.ts';
import { userAttendeeIds } from '../../store/repositories/attendees.ts';
import { findSubscribers, hasSubscribers, type Subscriber } from '../../store/repositories/push-subscriptions.ts';
import { feishuChallenge, feishuEventEnvelope, sealFeishuPayload } from './event-push.ts';
import { renderAclId, renderCalendarId, renderEventId } from './ids.ts';
import { RSVP } from './mapper.ts';

const EVENT_CHANGED = 'calendar.calendar.event.changed_v4';
const CALENDAR_CHANGED = 'calendar.calendar.changed_v4';
const URL_VERIFICATION = 'url_verification';
const ACL_EVENTS: Record<string, string> = { 'acl.created': 'calendar.calendar.acl.created_v4', 'acl.deleted': 'calendar.calendar.acl.deleted_v4' };

/** Feishu `change_type` of each change; attendee changes are updates of the event. */
const CHANGE_TYPES: Record<string, string> = {
  'event.created': 'create', 'event.updated': 'update', 'event.deleted': 'delete',
  'attendee.added': 'update', 'attendee.removed': 'update', 'attendee.responded': 'rsvp',
};

interface ChangePayload {
  actorId?: string;
  appId?: string;
  partstat?: PartStat;
  calendarId?: string;
  users?: string[];
  userId?: string;
  role?: string;
  removed?: { users?: string[] };
}

/**
 * Feishu event subscriptions (api-surface §8): pushes go only to identities that armed them
 * with `calendar.subscription` (calendar list → `calendar.calendar.changed_v4`) or
 * `calendarEvent.subscription` on a calendar (its events → `calendar.calendar.event.changed_v4`),
 * of apps that registered a callback URL, one push per app and calendar. An event change
 * reaches subscribers of the organizer's calendar and of the attendees' primary calendars;
 * `calendarAcl.subscription` on a calendar arms `calendar.calendar.acl.created_v4` / `…deleted_v4`.
 * Registering a URL is answered with a `url_verification` challenge the receiver must echo.
 * Apps whose `event_delivery` is `stream` get the same bodies over their open long connections.
 */
export const feishuCallbacks: CallbackFormat = {
  platform: 'feishu',

  async plan(tx, change, now, pass) {
    const payload = payloadIn<ChangePayload>(pass, change);
    if (change.topic === 'app.callback_registered') return verification(tx, payload.appId ?? '');
    if (change.topic === 'calendar.changed') return calendarListPushes(tx, change, payload, now);
    if (ACL_EVENTS[change.topic]) return aclPushes(tx, change, payload, now);
    if (change.event_id && CHANGE_TYPES[change.topic]) return eventPushes(tx, change, payload, now, pass);
    return [];
  },

  seal(app, delivery, now) {
    const sealed = sealFeishuPayload(delivery.payload, { encryptKey: app.encrypt_key ?? undefined, timestamp: Math.floor(now / 1000) });
    return { url: delivery.url, ...sealed };
  },

  check(_app, delivery, reply) {
    if (reply.status < 200 || reply.status > 299) return `HTTP ${reply.status}`;
    if (delivery.event_type !== URL_VERIFICATION) return null;
    const { challenge } = JSON.parse(delivery.payload) as { challenge: string };
    try {
      return (JSON.parse(reply.body) as { challenge?: unknown }).challenge === challenge ? null : 'the reply does not echo the challenge';
    } catch {
      return 'the reply is not JSON {"challenge": …}';
    }
  },
};

async function verification(tx: Db, appId: string): Promise<PlannedCallback[]> {
  const app = await findAppById(tx, appId);
  if (!app || app.platform !== 'feishu' || !app.event_callback_url || app.event_delivery !== 'http') return [];
  const payload = JSON.stringify(feishuChallenge(randomBytes(16).toString('hex'), app.verification_token));
  return [{ appId: app.id, transport: 'http', url: app.event_callback_url, eventType: URL_VERIFICATION, eventId: null, payload }];
}

async function eventPushes(tx: Db, change: OutboxRow, payload: ChangePayload, now: number, pass: PassMemo | undefined): Promise<PlannedCallback[]> {
  const subscribed = await rememberedIn(pass, `feishu event subscribers ${change.tenant_id}`, () => hasSubscribers(tx, 'feishu', 'event', change.tenant_id));
  if (!subscribed) return [];
  const event = await rememberedIn(pass, `event ${change.event_id}`, () => findEvent(tx, change.tenant_id, change.event_id!));
  if (!event) return [];
  const attendees = payload.users ?? (await userAttendeeIds(tx, event.id));
  const concerned = [...attendees, ...(payload.removed?.users ?? []), event.organizerId];
  const calendars = [event.calendarId, ...(await primaryCalendarIdsOf(tx, concerned)).map((c) => c.id)];
  const subscribers = await findSubscribers(tx, 'feishu', 'event', { calendarIds: [...new Set(calendars)] });
  const actor = payload.partstat && payload.actorId ? (await findUsersByIds(tx, [payload.actorId]))[0] : undefined;
  const rsvp = actor && payload.partstat ? [{ from_user_id: userIds(actor), rsvp_status: RSVP[payload.partstat] }] : undefined;
  return pushes(tx, change, subscribers, now, EVENT_CHANGED, (calendarId, users) => ({
    calendar_id: renderCalendarId(calendarId),
    user_id_list: users,
    calendar_event_id: renderEventId(event),
    change_type: CHANGE_TYPES[change.topic],
    ...(rsvp ? { rsvp_infos: rsvp } : {}),
  }));
}

async function calendarListPushes(tx: Db, change: OutboxRow, payload: ChangePayload, now: number): Promise<PlannedCallback[]> {
  const subscribers = await findSubscribers(tx, 'feishu', 'calendar', { principalIds: payload.users ?? [] });
  return pushes(tx, change, subscribers, now, CALENDAR_CHANGED, (_calendarId, users) => ({ user_id_list: users }));
}

async function aclPushes(tx: Db, change: OutboxRow, payload: ChangePayload, now: number): Promise<PlannedCallback[]> {
  const subscribers = await findSubscribers(tx, 'feishu', 'acl', { calendarIds: [payload.calendarId ?? ''] });
  const grantee = subscribers.length > 0 ? (await findUsersByIds(tx, [payload.userId ?? '']))[0] : undefined;
  if (!grantee) return [];
  return pushes(tx, change, subscribers, now, ACL_EVENTS[change.topic]!, (_calendarId, users) => ({
    acl_id: renderAclId(grantee.id), role: payload.role, scope: { type: 'user', user_id: userIds(grantee) }, user_id_list: users,
  }));
}

/** One push per app and subscribed calendar, naming the subscribed identities. */
async function pushes(
  tx: Db, change: OutboxRow, subscribers: readonly Subscriber[], now: number, eventType: string,
  body: (calendarId: string, users: Array<ReturnType<typeof userIds>>) => Record<string, unknown>,
): Promise<PlannedCallback[]> {
  const groups = new Map<string, Subscriber[]>();
  for (const s of subscribers) groups.set(`${s.app_id} ${s.calendar_id}`, [...(groups.get(`${s.app_id} ${s.calendar_id}`) ?? []), s]);
  const principals = new Map((await findUsersByIds(tx, [...new Set(subscribers.map((s) => s.principal_id))])).map((u) => [u.id, u]));
  const planned: PlannedCallback[] = [];
  for (const group of groups.values()) {
    const app = await findAppById(tx, group[0]!.app_id);
    const stream = app?.event_delivery === 'stream';
    if (!app || (!stream && !app.event_callback_url)) continue;
    const users = group.map((s) => principals.get(s.principal_id)).filter((u): u is UserRow => !!u).map(userIds);
    const eventId = randomBytes(16).toString('hex');
    const envelope = feishuEventEnvelope({
      eventType, event: body(group[0]!.calendar_id, users), appId: app.client_id, tenantKey: change.tenant_id,
      eventId, createTime: now, verificationToken: app.verification_token ?? undefined,
    });
    // The long connection carries the same schema 2.0 body, in clear (ws/feishu-ws.ts).
    planned.push({ appId: app.id, transport: stream ? 'stream' : 'http', url: stream ? '' : app.event_callback_url!, eventType, eventId, payload: JSON.stringify(envelope) });
  }
  return planned;
}

function userIds(u: UserRow) {
  return { union_id: u.union_id, user_id: u.user_id ?? '', open_id: u.open_id ?? '' };
}
