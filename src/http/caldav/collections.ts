import type { Actor } from '../../core/actor.ts';
import type { CalendarRef } from '../../core/acl/access.ts';
import { fail } from '../../core/errors.ts';
import { listCalendarViews, viewCalendar, type CalendarView } from '../../core/calendars/manage-calendars.ts';
import { collectionPosition } from '../../core/caldav/list-objects.ts';
import type { Db } from '../../store/store.ts';
import { calendarAt, calendarNames } from '../../core/calendars/collection-names.ts';

/** A calendar collection of the signed-in user's home: the calendar, their role, its path segment. */
export interface Collection {
  view: CalendarView;
  segment: string;
  ref: CalendarRef;
}

/**
 * Only the signed-in user's own tree is theirs to read: another user's calendars reach them
 * through the ACLs, as collections of their own home.
 * @throws KalendsError CALENDAR_ACCESS_DENIED (403 DAV:need-privileges) for another user's tree.
 */
export function requireOwnTree(actor: Actor, user: string): void {
  if (user !== actor.userId) fail('CALENDAR_ACCESS_DENIED', 'one user never reads another user\'s calendar home: shared calendars are in your own home');
}

/** The calendar a path segment of the user's home names: the one a client made there (MKCALENDAR), else the calendar of that id. */
export async function calendarRefOf(db: Db, actor: Actor, segment: string): Promise<CalendarRef> {
  return calendarAt(db, actor, segment);
}

/**
 * A collection the user can read (role reader or more: free/busy alone shows no events).
 * @throws KalendsError CALENDAR_NOT_FOUND, CALENDAR_DELETED, CALENDAR_ACCESS_DENIED.
 */
export async function findCollection(db: Db, actor: Actor, segment: string): Promise<Collection> {
  const ref = await calendarRefOf(db, actor, segment);
  const view = await viewCalendar(db, actor, ref);
  if (view.role === 'free_busy_reader') fail('CALENDAR_ACCESS_DENIED', 'only free/busy of this calendar is shared with you');
  return { view, segment, ref: { id: view.row.id } };
}

/** Every calendar on the user's list they can read (own primary, shared through ACLs, subscribed), as collections. */
export async function listCollections(db: Db, actor: Actor): Promise<Collection[]> {
  const names = await calendarNames(db, actor);
  return (await listCalendarViews(db, actor, null))
    .filter((view) => view.role !== null && view.role !== 'free_busy_reader' && view.row.deleted_at === null)
    .map((view) => ({ view, segment: names.get(view.row.id) ?? view.row.id, ref: { id: view.row.id } }));
}

/** The collection's newest change-log position: its getctag and the position of its sync-token. */
export async function positionOf(db: Db, actor: Actor, collection: Collection): Promise<number> {
  return collectionPosition(db, actor, collection.ref);
}

/** True when the user may change the collection's events (owner or writer). */
export function canWrite(collection: Collection): boolean {
  return collection.view.role === 'owner' || collection.view.role === 'writer';
}
