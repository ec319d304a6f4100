import { parseAnswer, type Answer } from '../../core/attendees/answer.ts';
import type { AttendeeSpec, AttendeeView, UserIdType } from '../../core/attendees/attendee.ts';
import type { CalendarView } from '../../core/calendars/manage-calendars.ts';
import { fail } from '../../core/errors.ts';
import type { CalendarEvent, EventDetails, EventInput, EventTime, PartStat } from '../../core/events/event.ts';
import type { EventView } from '../../core/events/event-view.ts';
import { parseRrule } from '../../core/recurrence/rrule.ts';
import { isTimeZone, offsetMinutes, parseIsoDate } from '../../core/time/zoned.ts';
import { userIdIn } from './context.ts';
import { renderAttendeeId, renderCalendarId, renderEventId } from './ids.ts';
import type { AttendeeIn, CreateEventBody, PatchEventBody, TimeInfo } from './schemas.ts';

/** Feishu `rsvp_status` ⇄ RFC 5545 PARTSTAT. */
export const RSVP: Record<PartStat, string> = {
  'NEEDS-ACTION': 'needs_action', ACCEPTED: 'accept', DECLINED: 'decline', TENTATIVE: 'tentative',
};

/**
 * @throws KalendsError INVALID_PARAMETER for anything but accept, decline or tentative.
 */
export function parseRsvp(value: string): Answer {
  return parseAnswer(value, RSVP, 'rsvp_status');
}

const DEFAULT_TIMEZONE = 'Asia/Shanghai';

/**
 * Feishu TimeInfo: `{date}` for all-day, or `{timestamp}` (Unix seconds as a string) with an
 * IANA `timezone` (default Asia/Shanghai).
 * @throws KalendsError INVALID_PARAMETER naming the field.
 */
function parseTime(t: TimeInfo, field: string): EventTime {
  if (t.timezone !== undefined && !isTimeZone(t.timezone)) fail('INVALID_PARAMETER', `${field}.timezone is not a known time zone: ${t.timezone}`);
  if (t.date !== undefined) return { date: t.date };
  if (t.timestamp === undefined || !/^\d{1,12}$/.test(t.timestamp)) fail('INVALID_PARAMETER', `${field}.timestamp must be Unix seconds as a string, or give ${field}.date`);
  return { instant: Number(t.timestamp) * 1000, timeZone: t.timezone ?? DEFAULT_TIMEZONE };
}

/**
 * A search bound (calendarEvent.search `filter.start_time` / `end_time`) as an instant (ms):
 * `timestamp` as given, or a `date`'s midnight in `timezone` (UTC without one).
 * @throws KalendsError INVALID_PARAMETER naming the field.
 */
export function parseTimeBound(t: TimeInfo, field: string): number {
  const time = parseTime(t, field);
  if (!('date' in time)) return time.instant;
  const midnight = parseIsoDate(time.date, `${field}.date`);
  return t.timezone ? midnight - offsetMinutes(t.timezone, midnight) * 60_000 : midnight;
}

/** A fixed offset such as `+08:00` (events made through DingTalk without a zone) as an IANA name. */
function ianaOf(zone: string): string {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(zone);
  if (!m) return zone;
  if (m[3] !== '00') return 'UTC';
  const hours = Number(m[2]);
  return hours === 0 ? 'UTC' : `Etc/GMT${m[1] === '+' ? '-' : '+'}${hours}`;
}

function renderTime(t: EventTime): TimeInfo {
  if ('date' in t) return { date: t.date };
  return { timestamp: String(Math.floor(t.instant / 1000)), timezone: ianaOf(t.timeZone) };
}

/** The Feishu-only event attributes kept to be returned as given. */
const KEPT = ['vchat', 'schemas', 'attachments', 'event_check_in', 'source', 'description_rich'] as const;

function parseDetails(body: PatchEventBody): EventDetails {
  const d: EventDetails = {};
  if (body.location) d.location = { ...body.location };
  if (body.reminders) d.reminders = body.reminders.map((r) => ({ minutes: r.minutes }));
  if (body.free_busy_status) d.freeBusyStatus = body.free_busy_status;
  if (body.attendee_ability) d.attendeeAbility = body.attendee_ability;
  if (body.visibility) d.visibility = body.visibility;
  if (body.color !== undefined) d.color = body.color;
  const feishu: Record<string, unknown> = {};
  for (const key of KEPT) if (body[key] !== undefined) feishu[key] = body[key];
  if (Object.keys(feishu).length > 0) d.feishu = feishu;
  return d;
}

function parseRecurrence(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') return null;
  const rule = value.replace(/^RRULE:/i, '');
  parseRrule(rule);
  return rule;
}

/**
 * Maps a calendarEvent.create body to the core's event input. An event without
 * `attendee_ability` lets its attendees see each other (`can_see_others`), as the Feishu client
 * does by default and as DingTalk events always do.
 */
export function parseCreateEvent(body: CreateEventBody): EventInput {
  const start = parseTime(body.start_time, 'start_time');
  const details = parseDetails(body);
  details.attendeeAbility ??= 'can_see_others';
  return {
    summary: body.summary ?? '', description: body.description ?? '', isAllDay: 'date' in start,
    start, end: parseTime(body.end_time, 'end_time'), recurrence: parseRecurrence(body.recurrence) ?? null, details,
  };
}

/** Maps a calendarEvent.patch body to a partial event input (undefined fields stay as they are). */
export function parsePatchEvent(body: PatchEventBody): Partial<EventInput> {
  const start = body.start_time && parseTime(body.start_time, 'start_time');
  return {
    summary: body.summary, description: body.description, isAllDay: start ? 'date' in start : undefined,
    start, end: body.end_time && parseTime(body.end_time, 'end_time'),
    recurrence: parseRecurrence(body.recurrence), details: parseDetails(body),
  };
}

const ATTENDEE_TYPES = ['user', 'chat', 'resource', 'third_party'];

/**
 * Maps requested attendees (`type` and the id field of that type) to core specs.
 * @throws KalendsError ATTENDEE_TYPE_INVALID (194004) for an unknown type or a missing id field.
 */
export function parseAttendees(list: readonly AttendeeIn[], idType: UserIdType): AttendeeSpec[] {
  return list.map((a) => {
    const type = a.type ?? (a.user_id ? 'user' : a.chat_id ? 'chat' : a.room_id ? 'resource' : a.third_party_email ? 'third_party' : '');
    if (!ATTENDEE_TYPES.includes(type)) fail('ATTENDEE_TYPE_INVALID', `invalid attendee type: ${JSON.stringify(a.type)}`);
    const isOptional = a.is_optional ?? false;
    if (type === 'user' && a.user_id) return { kind: 'user', idType, id: a.user_id, isOptional };
    if (type === 'chat' && a.chat_id) return { kind: 'chat', chatId: a.chat_id, isOptional };
    if (type === 'resource' && a.room_id) return { kind: 'resource', roomId: a.room_id, isOptional };
    if (type === 'third_party' && a.third_party_email) return { kind: 'third_party', email: a.third_party_email, isOptional };
    return fail('ATTENDEE_TYPE_INVALID', `invalid attendee type: a ${type} attendee needs its ${type === 'resource' ? 'room_id' : type === 'third_party' ? 'third_party_email' : `${type}_id`}`);
  });
}

/** An attendee as Feishu lists it; a chat carries its members, each with their own answer. */
export function renderAttendee(a: AttendeeView, idType: UserIdType) {
  if (a.kind === 'user') {
    // One literal: pages of user attendees are the common case (feishu-list-100), and spreading
    // a base object into each cost a tenth of a page's time.
    return {
      type: a.kind, attendee_id: renderAttendeeId(a), rsvp_status: RSVP[a.partstat], is_optional: a.isOptional,
      is_organizer: a.isOrganizer, is_external: false, display_name: a.displayName, user_id: a.user ? userIdIn(a.user, idType) : undefined,
    };
  }
  const base = {
    type: a.kind, attendee_id: renderAttendeeId(a), rsvp_status: a.kind === 'chat' ? undefined : RSVP[a.partstat],
    is_optional: a.isOptional, is_organizer: a.isOrganizer, is_external: false, display_name: a.displayName,
  };
  if (a.kind === 'chat') {
    return {
      ...base, chat_id: a.chat?.chatId,
      chat_members: (a.chatMembers ?? []).map((m) => ({ rsvp_status: RSVP[m.partstat], is_optional: false, display_name: m.displayName, is_organizer: m.isOrganizer, is_external: false })),
    };
  }
  if (a.kind === 'resource') return { ...base, room_id: a.room?.roomId };
  return { ...base, third_party_email: a.email };
}

/**
 * An event as Feishu's calendarEvent replies render it. `self_rsvp_status` is the viewer's own
 * answer; attendees are embedded only when asked for (`need_attendee`).
 */
export function renderEvent(view: EventView, idType: UserIdType, withAttendees: boolean) {
  const { event, organizer } = view;
  const d = event.details;
  const kept = (d.feishu ?? {}) as Record<string, unknown>;
  const selfRsvp = organizer.id === view.viewerId ? 'accept' : view.viewerPartstat ? RSVP[view.viewerPartstat] : undefined;
  return {
    event_id: renderEventId(event),
    organizer_calendar_id: renderCalendarId(event.calendarId),
    summary: event.summary,
    description: event.description,
    start_time: renderTime(event.start),
    end_time: renderTime(event.end),
    vchat: kept.vchat ?? (d.onlineMeeting ? { vc_type: 'third_party', description: d.onlineMeeting.type } : { vc_type: 'no_meeting' }),
    visibility: d.visibility ?? 'default',
    attendee_ability: d.attendeeAbility ?? 'can_see_others',
    free_busy_status: d.freeBusyStatus ?? 'busy',
    location: d.location ? { name: d.location.name, address: d.location.address, latitude: d.location.latitude, longitude: d.location.longitude } : undefined,
    color: d.color ?? -1,
    reminders: (d.reminders ?? []).map((r) => ({ minutes: r.minutes })),
    recurrence: event.recurrence ?? '',
    status: event.deletedAt !== null ? 'cancelled' : event.status,
    ...seriesFields(event),
    create_time: String(Math.floor(event.createdAt / 1000)),
    schemas: kept.schemas,
    attachments: kept.attachments,
    event_check_in: kept.event_check_in,
    source: kept.source,
    description_rich: kept.description_rich,
    event_organizer: { user_id: userIdIn(organizer, idType), display_name: organizer.name },
    self_rsvp_status: selfRsvp,
    attendees: withAttendees ? view.attendees.map((a) => renderAttendee(a, idType)) : undefined,
    has_more_attendee: withAttendees ? view.hasMoreAttendees : undefined,
  };
}

/**
 * How an instance names its series (Event resource introduction): an exception (a stored,
 * changed or cancelled occurrence) has `is_exception` and an empty `recurrence`; every
 * instance has `recurring_event_id`, the series' `event_id`.
 */
export function seriesFields(event: CalendarEvent): { is_exception: boolean; recurring_event_id: string } {
  return {
    is_exception: event.seriesMasterId !== null && !event.expanded,
    recurring_event_id: event.seriesMasterId === null ? '' : renderEventId({ id: event.seriesMasterId, seriesMasterId: null, originalStart: null }),
  };
}

/**
 * One instance as calendarEvent.instances and instance_view list it: the event's own fields,
 * and for instance_view its organizer and rooms (`attendees` holds meeting rooms only).
 */
export function renderInstance(view: EventView, idType: UserIdType, forView: boolean) {
  const full = renderEvent(view, idType, false);
  const base = {
    event_id: full.event_id, summary: full.summary, description: full.description, start_time: full.start_time, end_time: full.end_time,
    status: full.status, is_exception: full.is_exception, location: full.location, description_rich: full.description_rich,
  };
  if (!forView) return base;
  return {
    ...base, organizer_calendar_id: full.organizer_calendar_id, vchat: full.vchat, visibility: full.visibility,
    attendee_ability: full.attendee_ability, free_busy_status: full.free_busy_status, color: full.color,
    recurring_event_id: full.recurring_event_id, event_organizer: full.event_organizer, self_rsvp_status: full.self_rsvp_status,
    attendees: view.attendees.filter((a) => a.kind === 'resource').map((a) => renderAttendee(a, idType)),
  };
}

/** A calendar as Feishu renders it, with the viewer's role. */
export function renderCalendar(view: CalendarView) {
  const { row, role, settings } = view;
  return {
    calendar_id: renderCalendarId(row.id),
    summary: row.summary,
    description: row.description,
    permissions: settings.permissions,
    color: settings.color,
    type: row.type === 'subscribed' ? 'shared' : row.type,
    summary_alias: settings.summaryAlias,
    is_deleted: row.deleted_at !== null,
    is_third_party: false,
    role: role ?? 'unknown',
  };
}
