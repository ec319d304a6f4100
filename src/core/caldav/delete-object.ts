import type { Actor } from '../actor.ts';
import type { CalendarRef } from '../acl/access.ts';
import type { Db } from '../../store/store.ts';
import type { WritePreconditions } from './calendar-object.ts';

/**
 * Deletes a calendar object (RFC 4791 §5.3; DELETE of a resource): the organizer (or a writer of
 * the calendar) deletes the event with its series (deleteEvent: attendees are told, as through
 * the APIs); an attendee deleting an invitation from their calendar declines it (RFC 6638
 * §3.2.2.2). The resource then reads 404 and a sync-collection reports it removed.
 * @throws KalendsError EVENT_NOT_FOUND, ETAG_MISMATCH (If-Match), EVENT_PERMISSION_DENIED, CALENDAR_*.
 */
export async function deleteCalendarObject(tx: Db, actor: Actor, ref: CalendarRef, name: string, pre: WritePreconditions, now: number): Promise<void> {
  void tx; void actor; void ref; void name; void pre; void now;
  throw new Error('deleteCalendarObject: not implemented yet');
}
