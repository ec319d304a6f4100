import type { Actor } from '../actor.ts';
import { canWriteCalendar, resolveCalendar, type CalendarRef } from '../acl/access.ts';
import type { AttendeeSpec } from '../attendees/attendee.ts';
import { addToEvent } from '../attendees/add-attendees.ts';
import { checkBatchSize, MAX_ATTENDEES_PER_CALL } from '../attendees/limits.ts';
import { fail } from '../errors.ts';
import { newId } from '../ids.ts';
import { recordChange, type NotifyChannel } from '../outbox/notify.ts';
import type { Db } from '../../store/store.ts';
import { insertEvent } from '../../store/repositories/events.ts';
import { userAttendeeIds } from '../../store/repositories/attendees.ts';
import { nextChangeSeq } from '../../store/repositories/change-log.ts';
import type { CalendarEvent, EventInput } from './event.ts';
import { viewEvent, viewWithoutAttendees, type EventView } from './event-view.ts';
import { validateEventInput } from './validate-event.ts';

/**
 * Creates an event on a calendar the acting user owns or writes, with the acting user as
 * organizer, and its first attendees (at most 500 in the call; they count toward the event's
 * 5,000). Runs inside the caller's transaction.
 * @throws KalendsError INVALID_PARAMETER (times, recurrence), EVENT_PERMISSION_DENIED (no write
 *   role on the calendar), CALENDAR_*, and those of addAttendees.
 */
export async function createEvent(
  tx: Db, actor: Actor, ref: CalendarRef, input: EventInput,
  attendees: readonly AttendeeSpec[], channels: readonly NotifyChannel[], now: number,
): Promise<EventView> {
  checkBatchSize(attendees.length);
  const range = validateEventInput(input);
  const calendar = await resolveCalendar(tx, actor, ref);
  if (!canWriteCalendar(calendar)) fail('EVENT_PERMISSION_DENIED', 'no permission to create events on this calendar');
  const event: CalendarEvent = {
    ...input, id: newId(), tenantId: actor.tenantId, calendarId: calendar.calendar.id, organizerId: actor.userId,
    status: 'confirmed', range, attendeeCount: 0, changeSeq: await nextChangeSeq(tx, actor.tenantId),
    seriesMasterId: null, originalStart: null,
    createdAt: now, updatedAt: now, deletedAt: null,
  };
  await insertEvent(tx, event);
  if (attendees.length > 0) await addToEvent(tx, actor, event, attendees, [], now, false, false);
  // An event made without attendees has none to tell and none to list: no reads for them.
  await recordChange(tx, actor, {
    topic: 'event.created', eventId: event.id, recipients: attendees.length > 0 ? await userAttendeeIds(tx, event.id) : [], channels, data: {},
  }, now);
  return attendees.length > 0 ? viewEvent(tx, event, actor.userId, MAX_ATTENDEES_PER_CALL) : viewWithoutAttendees(tx, event, actor.userId);
}
