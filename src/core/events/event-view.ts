import type { Db } from '../../store/store.ts';
import { pageAttendees } from '../../store/repositories/attendees.ts';
import { findUsersByIds, type UserRow } from '../../store/repositories/directory.ts';
import type { AttendeeView } from '../attendees/attendee.ts';
import { renderAttendees } from '../attendees/render-attendees.ts';
import type { CalendarEvent } from './event.ts';

/** An event as one user sees it, with its organizer and the first attendees. */
export interface EventView {
  event: CalendarEvent;
  organizer: UserRow;
  attendees: AttendeeView[];
  hasMoreAttendees: boolean;
  /** Internal id of the user looking (renders DingTalk `self`). */
  viewerId: string;
}

/** Default number of attendees embedded in an event reply. */
export const DEFAULT_EMBEDDED_ATTENDEES = 100;

/**
 * Builds views of events for a viewer, with up to `maxAttendees` attendees each (0 = none).
 */
export async function viewEvents(db: Db, events: readonly CalendarEvent[], viewerId: string, maxAttendees: number): Promise<EventView[]> {
  const organizers = new Map((await findUsersByIds(db, [...new Set(events.map((e) => e.organizerId))])).map((u) => [u.id, u]));
  const views: EventView[] = [];
  for (const event of events) {
    const rows = maxAttendees > 0 ? await pageAttendees(db, event.id, 0, maxAttendees + 1) : [];
    const attendees = await renderAttendees(db, rows.slice(0, maxAttendees), event.organizerId);
    const organizer = organizers.get(event.organizerId);
    if (!organizer) throw new Error(`organizer ${event.organizerId} of event ${event.id} is missing`);
    views.push({ event, organizer, attendees, hasMoreAttendees: rows.length > maxAttendees || (maxAttendees === 0 && event.attendeeCount > 0), viewerId });
  }
  return views;
}

export async function viewEvent(db: Db, event: CalendarEvent, viewerId: string, maxAttendees = DEFAULT_EMBEDDED_ATTENDEES): Promise<EventView> {
  const [view] = await viewEvents(db, [event], viewerId, maxAttendees);
  return view!;
}
