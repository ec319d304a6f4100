import { randomUUID } from 'node:crypto';
import { rememberedIn, type CallbackFormat, type PassMemo, type PlannedCallback } from '../../core/outbox/callback-format.ts';
import type { Db } from '../../store/store.ts';
import type { OutboxRow } from '../../store/repositories/outbox.ts';
import { findAppById, findCallbackApps, findUsersByIds, type AppRow } from '../../store/repositories/directory.ts';
import { findEvent } from '../../store/repositories/events.ts';
import { userAttendeeIds } from '../../store/repositories/attendees.ts';
import {
  buildDingTalkCallbackEnvelope, DINGTALK_CHECK_URL_MESSAGE, dingTalkCallbackRequest, isDingTalkCallbackAcknowledged,
  type DingTalkCallbackKeys,
} from './callback-crypto.ts';
import { renderEventId } from './ids.ts';

/** DingTalk's event type of a calendar change, as the HTTP callback's `EventType`. */
export const CALENDAR_EVENT_CHANGE = 'calendar_event_change';
const CHECK_URL = 'check_url';

/** `changeType` of each change. */
const CHANGE_TYPES: Record<string, string> = {
  'event.created': 'create', 'event.updated': 'update', 'event.deleted': 'delete',
  'attendee.added': 'attendee_add', 'attendee.removed': 'attendee_remove', 'attendee.responded': 'respond',
};

interface ChangePayload {
  appId?: string;
  actorId?: string;
  partstat?: string;
  added?: Array<{ kind: string; ref: string }>;
  removed?: { users?: string[] };
  /** Event changes: the users it concerned when it was made. */
  users?: string[];
}

/**
 * DingTalk HTTP event callbacks (callback-crypto.ts for the scheme): every app of the tenant
 * that registered a callback URL receives each calendar change of the tenant as
 * `{"EventType":"calendar_event_change", "CorpId", "TimeStamp", "calendarEventId",
 * "calendarId":"primary", "changeType", "organizerUnionId", "unionIdList"}`, encrypted for the
 * app (receiveId = appKey) and signed with its token; the receiver must answer the encrypted
 * `success`. Registering a URL first sends the `check_url` event. Apps whose `event_delivery` is
 * `stream` get the same message over their open Stream Mode connections instead
 * (`stream/dingtalk-stream.ts`), and none while they have none open.
 * The field names follow DingTalk's event conventions; no official sample of this event's
 * plaintext was available to check them against.
 */
export const dingtalkCallbacks: CallbackFormat = {
  platform: 'dingtalk',

  async plan(tx, change, now, pass) {
    const payload = JSON.parse(change.payload) as ChangePayload;
    if (change.topic === 'app.callback_registered') return checkUrl(tx, payload.appId ?? '');
    if (change.event_id && CHANGE_TYPES[change.topic]) return eventChanges(tx, change, payload, now, pass);
    return [];
  },

  seal(app, delivery, now) {
    const envelope = buildDingTalkCallbackEnvelope(delivery.payload, keysOf(app), { timestamp: now });
    const { query, body } = dingTalkCallbackRequest(envelope);
    const url = `${delivery.url}${delivery.url.includes('?') ? '&' : '?'}${query}`;
    return { url, body, headers: { 'Content-Type': 'application/json; charset=utf-8' } };
  },

  check(app, _delivery, reply) {
    if (reply.status < 200 || reply.status > 299) return `HTTP ${reply.status}`;
    return isDingTalkCallbackAcknowledged(reply.body, keysOf(app)) ? null : 'the reply is not the encrypted "success"';
  },
};

function keysOf(app: AppRow): DingTalkCallbackKeys {
  return { aesKey: app.aes_key ?? '', token: app.callback_token ?? '', receiveId: app.client_id };
}

async function checkUrl(tx: Db, appId: string): Promise<PlannedCallback[]> {
  const app = await findAppById(tx, appId);
  if (!app || app.platform !== 'dingtalk' || !app.event_callback_url || app.event_delivery !== 'http') return [];
  return [{ appId: app.id, transport: 'http', url: app.event_callback_url, eventType: CHECK_URL, eventId: null, payload: DINGTALK_CHECK_URL_MESSAGE }];
}

async function eventChanges(tx: Db, change: OutboxRow, payload: ChangePayload, now: number, pass: PassMemo | undefined): Promise<PlannedCallback[]> {
  const apps = await rememberedIn(pass, `dingtalk callback apps ${change.tenant_id}`, () => findCallbackApps(tx, change.tenant_id, 'dingtalk'));
  // The event as the pass reads it (its state now, the same for every change of it in the pass).
  const event = apps.length > 0 ? await rememberedIn(pass, `event ${change.event_id}`, () => findEvent(tx, change.tenant_id, change.event_id!)) : undefined;
  if (!event) return [];
  const concerned = await concernedUsers(tx, change, payload, event.id);
  const users = await findUsersByIds(tx, [event.organizerId, ...concerned]);
  const unionOf = new Map(users.map((u) => [u.id, u.union_id]));
  const message = JSON.stringify({
    EventType: CALENDAR_EVENT_CHANGE, CorpId: change.tenant_id, TimeStamp: String(now),
    calendarEventId: renderEventId(event), calendarId: 'primary', changeType: CHANGE_TYPES[change.topic],
    organizerUnionId: unionOf.get(event.organizerId) ?? '',
    unionIdList: concerned.map((id) => unionOf.get(id)).filter((u): u is string => !!u),
  });
  // Over Stream Mode a push carries `headers.eventId`, the same across its re-pushes.
  return apps.map((app) => app.event_delivery === 'stream'
    ? { appId: app.id, transport: 'stream', url: '', eventType: CALENDAR_EVENT_CHANGE, eventId: randomUUID(), payload: message }
    : { appId: app.id, transport: 'http', url: app.event_callback_url!, eventType: CALENDAR_EVENT_CHANGE, eventId: null, payload: message });
}

/** Whose calendar the change touches: those added, removed or answering; for event changes, every attendee. */
async function concernedUsers(tx: Db, change: OutboxRow, payload: ChangePayload, eventId: string): Promise<string[]> {
  if (change.topic === 'attendee.added') return (payload.added ?? []).filter((a) => a.kind === 'user').map((a) => a.ref);
  if (change.topic === 'attendee.removed') return payload.removed?.users ?? [];
  if (change.topic === 'attendee.responded') return payload.actorId ? [payload.actorId] : [];
  return payload.users ?? userAttendeeIds(tx, eventId);
}
