import type { Db } from '../../store/store.ts';
import {
  chatMemberPartstat, findUserAttendee, listedAttendeesOf, pageListedAttendees, viewerPartstatsOf, type ListedAttendee,
} from '../../store/repositories/attendees.ts';
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
 * One event is read with its own (prepared) queries; several (a page of a view, where an
 * expanded series repeats its master's id) with one query per kind of read for all of them.
 */
export async function viewEvents(db: Db, events: readonly CalendarEvent[], viewerId: string, maxAttendees: number): Promise<EventView[]> {
  const organizers = new Map((await findUsersByIds(db, [...new Set(events.map((e) => e.organizerId))])).map((u) => [u.id, u]));
  const ids = [...new Set(events.map((e) => e.id))];
  const reads = ids.length === 1 ? await readOne(db, ids[0]!, viewerId, maxAttendees) : await readMany(db, ids, viewerId, maxAttendees);
  const rendered = new Map<string, Promise<AttendeeView[]>>();
  const views: EventView[] = [];
  for (const event of events) {
    const rows = reads.attendees.get(event.id) ?? [];
    let attendees = rendered.get(event.id);
    if (!attendees) rendered.set(event.id, (attendees = renderAttendees(db, rows.slice(0, maxAttendees), event.organizerId)));
    const organizer = organizers.get(event.organizerId);
    if (!organizer) throw new Error(`organizer ${event.organizerId} of event ${event.id} is missing`);
    const viewerPartstat = (reads.partstats.get(event.id) ?? null) as PartStat | null;
    views.push({ event, organizer, attendees: await attendees, hasMoreAttendees: rows.length > maxAttendees || (maxAttendees === 0 && event.attendeeCount > 0), viewerId, viewerPartstat });
  }
  return views;
}

interface Reads {
  attendees: Map<string, ListedAttendee[]>;
  partstats: Map<string, string>;
}

async function readOne(db: Db, id: string, viewerId: string, maxAttendees: number): Promise<Reads> {
  const rows = maxAttendees > 0 ? await pageListedAttendees(db, id, 0, maxAttendees + 1) : [];
  const own = (await findUserAttendee(db, id, viewerId))?.partstat ?? (await chatMemberPartstat(db, id, viewerId));
  return { attendees: new Map([[id, rows]]), partstats: own ? new Map([[id, own]]) : new Map() };
}

async function readMany(db: Db, ids: readonly string[], viewerId: string, maxAttendees: number): Promise<Reads> {
  return {
    attendees: maxAttendees > 0 ? await listedAttendeesOf(db, ids, maxAttendees + 1) : new Map(),
    partstats: await viewerPartstatsOf(db, ids, viewerId),
  };
}

export async function viewEvent(db: Db, event: CalendarEvent, viewerId: string, maxAttendees = DEFAULT_EMBEDDED_ATTENDEES): Promise<EventView> {
  const [view] = await viewEvents(db, [event], viewerId, maxAttendees);
  return view!;
}

/**
 * The view of an event known to have no attendees (one just made without any): its organizer,
 * and neither attendees nor a viewer's answer to read.
 */
export async function viewWithoutAttendees(db: Db, event: CalendarEvent, viewerId: string): Promise<EventView> {
  const [organizer] = await findUsersByIds(db, [event.organizerId]);
  if (!organizer) throw new Error(`organizer ${event.organizerId} of event ${event.id} is missing`);
  return { event, organizer, attendees: [], hasMoreAttendees: false, viewerId, viewerPartstat: null };
}
