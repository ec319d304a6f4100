import { randomUUID } from 'node:crypto';
import { payloadIn, rememberedIn, type CallbackFormat, type PassMemo, type PlannedCallback } from '../../core/outbox/callback-format.ts';
import type { Db } from '../../store/store.ts';
import type { OutboxRow } from '../../store/repositories/outbox.ts';
import { findAppById, findCallbackApps, unionIdsByUserIds, type AppRow } from '../../store/repositories/directory.ts';
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
    const payload = payloadIn<ChangePayload>(pass, change);
    if (change.topic === 'app.callback_registered') return checkUrl(tx, payload.appId ?? '');
    if (change.event_id && CHANGE_TYPES[change.topic]) return eventChanges(tx, change, payload, now, pass);
    return [];
  },

  /** The unionIds of the users the pass's event changes name, in one query (not one per change). */
  async prepare(tx, changes, pass) {
    const ids = new Set<string>();
    for (const change of changes) {
      if (!change.event_id || !CHANGE_TYPES[change.topic]) continue;
      if ((await callbackApps(tx, change.tenant_id, pass)).length === 0) continue;
      for (const id of namedUsers(change, pass.payloadOf<ChangePayload>(change)) ?? []) ids.add(id);
    }
    await unionIdsIn(tx, pass, [...ids]);
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

/** The tenant's DingTalk apps that receive events now, read once per pass. */
function callbackApps(tx: Db, tenantId: string, pass: PassMemo | undefined): Promise<AppRow[]> {
  return rememberedIn(pass, `dingtalk callback apps ${tenantId}`, () => findCallbackApps(tx, tenantId, 'dingtalk'));
}

async function eventChanges(tx: Db, change: OutboxRow, payload: ChangePayload, now: number, pass: PassMemo | undefined): Promise<PlannedCallback[]> {
  const apps = await callbackApps(tx, change.tenant_id, pass);
  // The event as the pass reads it (its state now, the same for every change of it in the pass).
  const event = apps.length > 0 ? await rememberedIn(pass, `event ${change.event_id}`, () => findEvent(tx, change.tenant_id, change.event_id!)) : undefined;
  if (!event) return [];
  const concerned = namedUsers(change, payload) ?? (await userAttendeeIds(tx, event.id));
  const unionOf = await unionIdsIn(tx, pass, [event.organizerId, ...concerned]);
  const message = JSON.stringify({
    EventType: CALENDAR_EVENT_CHANGE, CorpId: change.tenant_id, TimeStamp: String(now),
    calendarEventId: pass ? pass.value(`dingtalk id ${event.id}`, () => renderEventId(event)) : renderEventId(event),
    calendarId: 'primary', changeType: CHANGE_TYPES[change.topic],
    organizerUnionId: unionOf.get(event.organizerId) ?? '',
    unionIdList: concerned.map((id) => unionOf.get(id)).filter((u): u is string => !!u),
  });
  // Over Stream Mode a push carries `headers.eventId`, the same across its re-pushes.
  return apps.map((app) => app.event_delivery === 'stream'
    ? { appId: app.id, transport: 'stream', url: '', eventType: CALENDAR_EVENT_CHANGE, eventId: randomUUID(), payload: message }
    : { appId: app.id, transport: 'http', url: app.event_callback_url!, eventType: CALENDAR_EVENT_CHANGE, eventId: null, payload: message });
}

/**
 * Whose calendar the change touches, as its payload names them: those added, removed or
 * answering; for event changes, the users it concerned when it was made. Undefined for an event
 * change that names none (recorded before changes carried them): every attendee of the event.
 */
function namedUsers(change: OutboxRow, payload: ChangePayload): string[] | undefined {
  if (change.topic === 'attendee.added') return (payload.added ?? []).filter((a) => a.kind === 'user').map((a) => a.ref);
  if (change.topic === 'attendee.removed') return payload.removed?.users ?? [];
  if (change.topic === 'attendee.responded') return payload.actorId ? [payload.actorId] : [];
  return payload.users;
}

/**
 * The unionIds of `ids`, from what the pass already read (`prepare` reads a whole pass's users
 * at once), reading those it has not; a user that no longer exists has none.
 */
async function unionIdsIn(tx: Db, pass: PassMemo | undefined, ids: readonly string[]): Promise<Map<string, string | undefined>> {
  const known = pass ? pass.value('dingtalk union ids', () => new Map<string, string | undefined>()) : new Map<string, string | undefined>();
  const missing = [...new Set(ids)].filter((id) => !known.has(id));
  if (missing.length > 0) {
    for (const id of missing) known.set(id, undefined);
    for (const u of await unionIdsByUserIds(tx, missing)) known.set(u.id, u.union_id);
  }
  return known;
}
