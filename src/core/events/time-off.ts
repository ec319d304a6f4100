import type { AppIdentity } from '../actor.ts';
import { fail } from '../errors.ts';
import type { Db } from '../../store/store.ts';
import { findEvent } from '../../store/repositories/events.ts';
import type { UserRow } from '../../store/repositories/directory.ts';
import { deleteEvent } from './change-event.ts';
import { createEvent } from './create-event.ts';
import type { CalendarEvent, EventTime } from './event.ts';

/** What a time-off keeps of its request, to answer as given (Feishu timeoff_event). */
export interface TimeOffRecord {
  appId: string;
  timezone: string;
  start: string;
  end: string;
}

export interface TimeOffInput {
  /** Unix seconds or dates `YYYY-MM-DD` (both of one kind); all-day dates are inclusive. */
  start: EventTime;
  end: EventTime;
  title: string;
  description: string;
  record: Omit<TimeOffRecord, 'appId'>;
}

const DAY = 86_400_000;

/**
 * Puts a time-off on a user's primary calendar (Feishu timeoffEvent.create): an event the user
 * organizes, busy, so it shows on their calendar and in free/busy. By dates it is an all-day
 * event through the end date (stored with the exclusive end, as iCalendar's DTEND); by times a
 * timed one. No one is notified.
 * @throws KalendsError INVALID_PARAMETER (times), those of createEvent.
 */
export async function createTimeOff(tx: Db, app: AppIdentity, user: UserRow, input: TimeOffInput, now: number): Promise<CalendarEvent> {
  const end: EventTime = 'date' in input.end ? { date: new Date(Date.parse(`${input.end.date}T00:00:00Z`) + DAY).toISOString().slice(0, 10) } : input.end;
  const record: TimeOffRecord = { appId: app.appId, ...input.record };
  const view = await createEvent(tx, { ...app, userId: user.id }, { primary: true }, {
    summary: input.title, description: input.description, isAllDay: 'date' in input.start, start: input.start, end,
    recurrence: null, details: { freeBusyStatus: 'busy', feishu: { timeOff: record } },
  }, [], [], now);
  return view.event;
}

/** The time-off record of an event made by createTimeOff, if it is one. */
export function timeOffOf(event: CalendarEvent): TimeOffRecord | undefined {
  return (event.details.feishu as { timeOff?: TimeOffRecord } | undefined)?.timeOff;
}

/**
 * Removes a time-off (Feishu timeoffEvent.delete): "当前应用身份只能删除自己创建的请假日程" — an
 * app deletes only the time-offs it created.
 * @throws KalendsError EVENT_NOT_FOUND for any other id.
 */
export async function deleteTimeOff(tx: Db, app: AppIdentity, eventId: string, now: number): Promise<void> {
  const event = eventId ? await findEvent(tx, app.tenantId, eventId) : undefined;
  if (!event || event.deletedAt !== null || timeOffOf(event)?.appId !== app.appId) fail('EVENT_NOT_FOUND', 'timeoff event not found');
  await deleteEvent(tx, { ...app, userId: event.organizerId }, { id: event.calendarId }, { id: event.id, originalStart: null }, [], now);
}
