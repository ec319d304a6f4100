import type { Actor } from '../actor.ts';
import { canSeeAttendees, resolveEvent, type CalendarRef } from '../acl/access.ts';
import { fail } from '../errors.ts';
import type { Db } from '../../store/store.ts';
import { pageListedAttendees } from '../../store/repositories/attendees.ts';
import type { AttendeeView } from './attendee.ts';
import { renderAttendees } from './render-attendees.ts';
import type { EventKey } from '../events/event.ts';

export interface AttendeePage {
  items: AttendeeView[];
  /** Cursor of the next page (the last seq returned), or null on the last page. */
  next: number | null;
}

/**
 * One page of an event's attendees, in the order they were added (keyset paging on the
 * attendee's sequence number, so a page costs the same on any page of a 5,000-attendee event).
 * The organizer and writers may list them, and attendees unless the event hides attendees from
 * each other (Feishu `attendee_ability` none).
 * @param after cursor from the previous page (0 for the first); @param limit page size.
 * @throws KalendsError ATTENDEE_LIST_DENIED, those of resolveEvent.
 */
export async function listAttendees(db: Db, actor: Actor, ref: CalendarRef, key: EventKey, after: number, limit: number): Promise<AttendeePage> {
  // The page is read ahead with the event where the store can (one statement on PostgreSQL),
  // and shown only once the access is checked.
  const access = await resolveEvent(db, actor, ref, key, false, false, 0, { afterSeq: after, limit: limit + 1 });
  if (!canSeeAttendees(access)) fail('ATTENDEE_LIST_DENIED', 'no permission to list event attendees');
  const { event } = access;
  const rows = access.attendeePage ?? await pageListedAttendees(db, event.id, after, limit + 1);
  const page = rows.slice(0, limit);
  const items = await renderAttendees(db, page, event.organizerId);
  return { items, next: rows.length > limit ? page[page.length - 1]!.seq : null };
}
