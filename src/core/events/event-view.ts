import type { Db } from '../../store/store.ts';
import { chatMemberPartstat, findUserAttendee, pageListedAttendees } from '../../store/repositories/attendees.ts';
import { findUsersByIds, type UserRow } from '../../store/repositories/directory.ts';
import type { AttendeeView } from '../attendees/attendee.ts';
import { renderAttendees } from '../attendees/render-attendees.ts';
import type { CalendarEvent, PartStat } from './event.ts';

/** An event as one user sees it, with its organizer and the first attendees. */
export interface EventView {
  event: CalendarEvent;
  organizer: UserRow;
  attendees: AttendeeView[];
  hasMoreAttendees: boolean;
  /** Internal id of the user looking (renders DingTalk `self`). */
  viewerId: string;
  /** The viewer's own answer when invited (as a user, or within a chat), else null. */
  viewerPartstat: PartStat | null;
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
    const rows = maxAttendees > 0 ? await pageListedAttendees(db, event.id, 0, maxAttendees + 1) : [];
    const attendees = await renderAttendees(db, rows.slice(0, maxAttendees), event.organizerId);
    const organizer = organizers.get(event.organizerId);
    if (!organizer) throw new Error(`organizer ${event.organizerId} of event ${event.id} is missing`);
    const own = await findUserAttendee(db, event.id, viewerId);
    const viewerPartstat = (own?.partstat ?? (await chatMemberPartstat(db, event.id, viewerId)) ?? null) as PartStat | null;
    views.push({ event, organizer, attendees, hasMoreAttendees: rows.length > maxAttendees || (maxAttendees === 0 && event.attendeeCount > 0), viewerId, viewerPartstat });
  }
  return views;
}

export async function viewEvent(db: Db, event: CalendarEvent, viewerId: string, maxAttendees = DEFAULT_EMBEDDED_ATTENDEES): Promise<EventView> {
  const [view] = await viewEvents(db, [event], viewerId, maxAttendees);
  return view!;
}
