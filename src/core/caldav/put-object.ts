import type { Actor } from '../actor.ts';
import type { CalendarRef } from '../acl/access.ts';
import type { Db } from '../../store/store.ts';
import type { PutResult, WritePreconditions } from './calendar-object.ts';

/**
 * Stores a calendar object a client PUTs under `name` in a collection (RFC 4791 §5.3.2): creates
 * the event (series master, overrides, EXDATEs as cancelled occurrences) or changes the one the
 * name holds, through the same core operations as the APIs (createEvent, patchEvent,
 * deleteEvent of an occurrence, respondToEvent), so the change log, the outbox notices and the
 * HTTP callbacks fire as for an API call. ATTENDEEs of an organizer's PUT are invited (RFC 6638
 * §3.2.1: the invitation appears on their calendars); on an invitation (an event of another
 * organizer shown on the user's primary calendar) only the user's own PARTSTAT counts: a change
 * of it is an RSVP (RFC 6638 §3.2.2). What Kalends does not model (X- properties, VALARM
 * details, ATTACH, CATEGORIES…) is kept per collection and resource and given back on GET.
 * Runs in the caller's transaction; a refusal changes nothing.
 * @param ics the request body (text/calendar).
 * @param now ms since the epoch.
 * @throws KalendsError CALENDAR_DATA_INVALID (detail.precondition), UID_CONFLICT (detail.name),
 *   ETAG_MISMATCH, EVENT_PERMISSION_DENIED, CALENDAR_*, and those of createEvent/patchEvent
 *   (INVALID_PARAMETER, ATTENDEE_LIMIT_EXCEEDED, MEETING_ROOM_UNAVAILABLE).
 */
export async function putCalendarObject(
  tx: Db, actor: Actor, ref: CalendarRef, name: string, ics: string, pre: WritePreconditions, now: number,
): Promise<PutResult> {
  void tx; void actor; void ref; void name; void ics; void pre; void now;
  throw new Error('putCalendarObject: not implemented yet');
}
