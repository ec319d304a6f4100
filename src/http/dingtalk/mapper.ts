import { parseAnswer, type Answer } from '../../core/attendees/answer.ts';
import type { AttendeeView } from '../../core/attendees/attendee.ts';
import { fail } from '../../core/errors.ts';
import type { EventDetails, EventInput, EventTime, PartStat } from '../../core/events/event.ts';
import type { EventView } from '../../core/events/event-view.ts';
import { resolveCategories } from '../../core/events/categories.ts';
import { formatZoned, isTimeZone, parseIsoDateTime } from '../../core/time/zoned.ts';
import { renderEventId, renderId } from './ids.ts';
import { fromRrule, toRrule, type DingTalkRecurrence } from './recurrence.ts';
import type { CreateEventBody, DingTalkDateTime, PatchEventBody } from './schemas.ts';

/** DingTalk `responseStatus` ⇄ RFC 5545 PARTSTAT. */
export const RESPONSE_STATUS: Record<PartStat, string> = {
  'NEEDS-ACTION': 'needsAction', ACCEPTED: 'accepted', DECLINED: 'declined', TENTATIVE: 'tentative',
};

/**
 * A meeting room's booking as DingTalk's `meetingRooms[].responseStatus` says it (GetEvent):
 * `accepted` 接受, `tentative` 审批中 (awaiting approval), `declined` 审批未通过.
 */
const ROOM_STATUS: Record<PartStat, string> = {
  'NEEDS-ACTION': 'tentative', ACCEPTED: 'accepted', DECLINED: 'declined', TENTATIVE: 'tentative',
};

/**
 * Parses the answer of RespondEvent.
 * @throws KalendsError INVALID_PARAMETER for anything but accepted, declined or tentative.
 */
export function parseResponseStatus(value: string): Answer {
  return parseAnswer(value, RESPONSE_STATUS, 'responseStatus');
}

function parseTime(t: DingTalkDateTime, field: string): EventTime {
  if (t.date !== undefined) return { date: t.date };
  if (t.dateTime === undefined) fail('INVALID_PARAMETER', `${field}.date or ${field}.dateTime is required`);
  const { instant, offset } = parseIsoDateTime(t.dateTime, `${field}.dateTime`);
  if (t.timeZone !== undefined && !isTimeZone(t.timeZone)) fail('INVALID_PARAMETER', `${field}.timeZone is not a known time zone: ${t.timeZone}`);
  return { instant, timeZone: t.timeZone ?? offset };
}

export function renderTime(t: EventTime): DingTalkDateTime {
  if ('date' in t) return { date: t.date };
  const fixed = /^[+-]\d{2}:\d{2}$/.test(t.timeZone);
  return fixed ? { dateTime: formatZoned(t.instant, t.timeZone) } : { dateTime: formatZoned(t.instant, t.timeZone), timeZone: t.timeZone };
}

type EventFields = Omit<PatchEventBody, 'id'>;

/** The DingTalk-only attributes kept to be returned as given. */
const KEPT = ['cardInstances', 'uiConfigs', 'extra'] as const;

function parseDetails(body: EventFields, recurrence: string | null | undefined): EventDetails {
  const details: EventDetails = {};
  if (body.location) details.location = { name: body.location.displayName ?? '' };
  if (body.reminders) details.reminders = body.reminders.map((r) => ({ minutes: r.minutes, method: r.method ?? 'dingtalk' }));
  if (body.onlineMeetingInfo) details.onlineMeeting = { type: body.onlineMeetingInfo.type };
  if (body.freeBusyStatus) details.freeBusyStatus = body.freeBusyStatus;
  if (body.richTextDescription) details.richTextDescription = body.richTextDescription.text ?? '';
  const dingtalk: Record<string, unknown> = {};
  for (const key of KEPT) if (body[key] !== undefined) dingtalk[key] = body[key];
  if (body.categories !== undefined) dingtalk.categories = resolveCategories(body.categories);
  if (body.recurrence && recurrence) dingtalk.recurrence = { rule: recurrence, given: body.recurrence };
  if (Object.keys(dingtalk).length > 0) details.dingtalk = dingtalk;
  return details;
}

/**
 * Maps a CreateEvent body to the core's event input.
 * @throws KalendsError INVALID_PARAMETER for a blank summary, bad times or recurrence.
 */
export function parseCreateEvent(body: CreateEventBody): EventInput {
  if (!body.summary.trim()) fail('INVALID_PARAMETER', 'summary is required');
  const start = parseTime(body.start, 'start');
  const recurrence = body.recurrence ? toRrule(body.recurrence as DingTalkRecurrence) : null;
  return {
    summary: body.summary, description: body.description ?? '',
    isAllDay: body.isAllDay ?? 'date' in start,
    start, end: parseTime(body.end, 'end'), recurrence, details: parseDetails(body, recurrence),
  };
}

/** Maps a PatchEvent body to a partial event input (undefined fields stay as they are). */
export function parsePatchEvent(body: PatchEventBody): Partial<EventInput> {
  const recurrence = body.recurrence ? toRrule(body.recurrence as DingTalkRecurrence) : undefined;
  const details = parseDetails(body, recurrence);
  const start = body.start && parseTime(body.start, 'start');
  return {
    summary: body.summary, description: body.description,
    isAllDay: body.isAllDay ?? (start ? 'date' in start : undefined),
    start, end: body.end && parseTime(body.end, 'end'), recurrence, details,
  };
}

/** An attendee as DingTalk lists it. */
export function renderAttendee(a: AttendeeView, viewerId: string) {
  return {
    id: a.user?.unionId ?? a.room?.roomId ?? a.chat?.chatId ?? a.email ?? '',
    displayName: a.displayName,
    responseStatus: RESPONSE_STATUS[a.partstat],
    isOptional: a.isOptional,
    self: a.user?.id === viewerId,
  };
}

function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function renderRecurrence(rule: string | null, details: EventDetails): DingTalkRecurrence | undefined {
  if (!rule) return undefined;
  const kept = details.dingtalk?.recurrence as { rule: string; given: DingTalkRecurrence } | undefined;
  return kept && kept.rule === rule ? kept.given : fromRrule(rule);
}

/**
 * An event as DingTalk's CreateEvent/GetEvent/ListEvents replies render it (SDK response models).
 * Reminder minutes are strings in replies, as the SDK models them.
 */
export function renderEvent(view: EventView) {
  const { event, organizer, viewerId } = view;
  const d = event.details;
  const kept = (d.dingtalk ?? {}) as Record<string, unknown>;
  const users = view.attendees.filter((a) => a.kind === 'user');
  const rooms = view.attendees.filter((a) => a.kind === 'resource');
  return {
    id: renderEventId(event),
    summary: event.summary,
    description: event.description,
    start: renderTime(event.start),
    end: renderTime(event.end),
    isAllDay: event.isAllDay,
    recurrence: renderRecurrence(event.recurrence, d),
    attendees: users.map((a) => renderAttendee(a, viewerId)),
    organizer: { id: organizer.union_id, displayName: organizer.name, responseStatus: 'accepted', self: organizer.id === viewerId },
    location: d.location ? { displayName: d.location.name ?? '', meetingRooms: rooms.map((r) => r.room?.roomId ?? '') } : undefined,
    meetingRooms: rooms.length > 0 ? rooms.map((r) => ({ roomId: r.room?.roomId, displayName: r.displayName, responseStatus: ROOM_STATUS[r.partstat] })) : undefined,
    reminders: d.reminders?.map((r) => ({ method: r.method ?? 'dingtalk', minutes: String(r.minutes) })),
    onlineMeetingInfo: d.onlineMeeting ? { type: d.onlineMeeting.type } : undefined,
    richTextDescription: d.richTextDescription !== undefined ? { text: d.richTextDescription } : undefined,
    categories: kept.categories,
    cardInstances: kept.cardInstances,
    uiConfigs: kept.uiConfigs,
    status: event.deletedAt !== null ? 'cancelled' : event.status,
    // GetEvent/ListEventsView: an instance names its series and its original start, "始终采用 UTC".
    seriesMasterId: event.seriesMasterId !== null ? renderId(event.seriesMasterId) : undefined,
    originStart: event.originalStart !== null ? { dateTime: isoUtc(event.originalStart) } : undefined,
    createTime: isoUtc(event.createdAt),
    updateTime: isoUtc(event.updatedAt),
  };
}
