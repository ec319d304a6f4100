import type { Actor } from '../actor.ts';
import type { CalendarRef } from '../acl/access.ts';
import type { Db } from '../../store/store.ts';
import type { ObjectSummary } from './calendar-object.ts';

/**
 * Every object of a collection with its name and ETag (PROPFIND depth 1, RFC 4918 §9.1), with
 * a fixed number of queries. Deleted events are left out.
 * @throws KalendsError CALENDAR_NOT_FOUND, CALENDAR_DELETED, CALENDAR_ACCESS_DENIED.
 */
export async function listCalendarObjects(db: Db, actor: Actor, ref: CalendarRef): Promise<ObjectSummary[]> {
  void db; void actor; void ref;
  throw new Error('listCalendarObjects: not implemented yet');
}

/**
 * What changed in a collection after a change-log position (RFC 6578 sync-collection): objects
 * changed or created (with their new ETags) and names of objects removed (deleted events, and
 * resources deleted by name). `position` is the collection's newest change-log position (its
 * `getctag` / the next sync-token's); 0 for an empty collection. `afterSeq` 0 gives every object.
 * @throws KalendsError CALENDAR_* as listCalendarObjects.
 */
export async function changedCalendarObjects(
  db: Db, actor: Actor, ref: CalendarRef, afterSeq: number,
): Promise<{ changed: ObjectSummary[]; removed: string[]; position: number }> {
  void db; void actor; void ref; void afterSeq;
  throw new Error('changedCalendarObjects: not implemented yet');
}
