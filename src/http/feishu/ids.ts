import { fail } from '../../core/errors.ts';
import type { AttendeeView } from '../../core/attendees/attendee.ts';
import type { EventKey } from '../../core/events/event.ts';

/**
 * Feishu's id forms: calendars `feishu.cn_<id>@group.calendar.feishu.cn`, events `<uuid>_0`
 * (the `_0` marks the event itself rather than one instance), attendees `<type>_<n>`
 * (`user_…`, `chat_…`, `resource_…`, `third_party_…`).
 */
const CALENDAR = /^feishu\.cn_([0-9A-Za-z]+)@group\.calendar\.feishu\.cn$/;
const OURS = /^[0-9a-f]{32}$/;
const EVENT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_(\d+)$/;
const ATTENDEE = /^(user|chat|resource|third_party)_(\d+)$/;
const ACL = /^user_([0-9a-f]{32})$/;

export function renderCalendarId(coreId: string): string {
  return `feishu.cn_${coreId.replace(/-/g, '')}@group.calendar.feishu.cn`;
}

/**
 * @returns the core id; a well-formed id Kalends did not make comes back as given (found nowhere).
 * @throws KalendsError CALENDAR_ID_INVALID for an id not of Feishu's calendar form.
 */
export function parseCalendarId(id: string): string {
  const m = CALENDAR.exec(id);
  if (!m) fail('CALENDAR_ID_INVALID', `invalid calendar_id: ${id}`);
  const h = m[1]!;
  if (!OURS.test(h)) return id;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * An event's Feishu id, `<uid>_<original time>`: `_0` for a single event and for a recurring
 * series itself, the occurrence's original start in Unix seconds for one of its instances
 * (meeting-room-event pages, calendarEvent.instances), so an exception keeps its id when its
 * start moves.
 */
export function renderEventId(event: { id: string; seriesMasterId: string | null; originalStart: number | null }): string {
  if (event.seriesMasterId === null || event.originalStart === null) return `${event.id}_0`;
  return `${event.seriesMasterId}_${Math.floor(event.originalStart / 1000)}`;
}

/**
 * @returns the event (`_0`) or the occurrence (`_<seconds>`) an event id names.
 * @throws KalendsError EVENT_ID_INVALID for an id not of Feishu's event form.
 */
export function parseEventId(id: string): EventKey {
  const m = EVENT.exec(id);
  if (!m) fail('EVENT_ID_INVALID', `invalid event_id: ${id}`);
  const seconds = Number(m[2]);
  if (!Number.isSafeInteger(seconds * 1000)) fail('EVENT_ID_INVALID', `invalid event_id: ${id}`);
  return { id: m[1]!, originalStart: seconds === 0 ? null : seconds * 1000 };
}

export function renderAttendeeId(a: { kind: AttendeeView['kind']; seq: number }): string {
  return `${a.kind}_${a.seq}`;
}

/**
 * @throws KalendsError ATTENDEE_NOT_FOUND for an id not of Feishu's attendee form.
 */
export function parseAttendeeId(id: string): { type: AttendeeView['kind']; seq: number } {
  const m = ATTENDEE.exec(id);
  if (!m) fail('ATTENDEE_NOT_FOUND', `attendee not found: ${id}`);
  return { type: m[1] as AttendeeView['kind'], seq: Number(m[2]) };
}

/** A calendar ACL entry's id, `user_<32 hex>`: the entry of one user on one calendar. */
export function renderAclId(userCoreId: string): string {
  return `user_${userCoreId.replace(/-/g, '')}`;
}

/** The core user id of an ACL id; '' for an id Kalends did not make (found nowhere). */
export function parseAclId(id: string): string {
  const h = ACL.exec(id)?.[1];
  return h ? `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` : '';
}
