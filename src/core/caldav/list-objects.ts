import type { Actor } from '../actor.ts';
import type { CalendarRef } from '../acl/access.ts';
import type { CalendarEvent } from '../events/event.ts';
import type { Db } from '../../store/store.ts';
import { findEventsByIds, queryEvents } from '../../store/repositories/events.ts';
import { currentChangeSeq } from '../../store/repositories/change-log.ts';
import { objectRowsChangedAfter, objectRowsOfEvents } from '../../store/repositories/caldav-objects.ts';
import type { ObjectSummary } from './calendar-object.ts';
import { allEntries, defaultName, entriesOf, etagsOf, openCollection } from './collection.ts';

/**
 * Every object of a collection with its name and ETag (PROPFIND depth 1, RFC 4918 §9.1), with
 * a fixed number of queries. Deleted events are left out.
 * @throws KalendsError CALENDAR_NOT_FOUND, CALENDAR_DELETED, CALENDAR_ACCESS_DENIED.
 */
export async function listCalendarObjects(db: Db, actor: Actor, ref: CalendarRef): Promise<ObjectSummary[]> {
  const cal = await openCollection(db, actor, ref);
  const entries = await allEntries(db, actor, cal);
  const etags = await etagsOf(db, entries);
  return entries.map((e) => ({ name: e.name, eventId: e.master.id, ...etags.get(e)! }));
}

/**
 * What changed in a collection after a change-log position (RFC 6578 sync-collection): objects
 * changed or created (with their new ETags) and names of objects removed (deleted events, and
 * resources deleted by name). `position` is the tenant's change-log position now
 * (currentChangeSeq: every change at or below it is visible), the next sync-token's. `afterSeq`
 * 0 gives every object. Reads the changed events only, not the whole collection.
 * Not reported as removed: an invitation the user was taken off (its event did not change on
 * the user's calendar); a full listing (afterSeq 0) no longer has it.
 * @throws KalendsError CALENDAR_* as listCalendarObjects.
 */
export async function changedCalendarObjects(
  db: Db, actor: Actor, ref: CalendarRef, afterSeq: number,
): Promise<{ changed: ObjectSummary[]; removed: string[]; position: number }> {
  const position = await currentChangeSeq(db, actor.tenantId);
  if (afterSeq <= 0) return { changed: await listCalendarObjects(db, actor, ref), removed: [], position };
  const cal = await openCollection(db, actor, ref);
  const changedEvents = await queryEvents(db, {
    tenantId: actor.tenantId, calendarId: cal.calendar.id, attendeeUserId: cal.isOwnPrimary ? actor.userId : null,
    from: null, to: null, includeDeleted: true, changedAfter: afterSeq, after: null, limit: 50_000,
  });
  const rows = await objectRowsChangedAfter(db, cal.calendar.id, afterSeq);
  const removed = new Set<string>();
  for (const r of rows) if (r.deleted_at !== null) removed.add(r.name);
  const masterIds = new Set<string>();
  for (const e of changedEvents) masterIds.add(e.seriesMasterId ?? e.id);
  for (const r of rows) if (r.deleted_at === null) masterIds.add(r.event_id);
  const masters: CalendarEvent[] = await findEventsByIds(db, actor.tenantId, [...masterIds]);
  const deleted = masters.filter((m) => m.deletedAt !== null);
  const deletedRows = (await objectRowsOfEvents(db, deleted.map((m) => m.id))).filter((r) => r.calendar_id === cal.calendar.id);
  for (const m of deleted) {
    const named = deletedRows.filter((r) => r.event_id === m.id);
    if (named.length === 0) removed.add(defaultName(m.id));
    for (const r of named) removed.add(r.name);
  }
  const entries = await entriesOf(db, actor, cal, masters.filter((m) => m.deletedAt === null));
  const etags = await etagsOf(db, entries);
  const changed = entries.map((e) => ({ name: e.name, eventId: e.master.id, ...etags.get(e)! }));
  for (const c of changed) removed.delete(c.name);
  return { changed, removed: [...removed], position };
}

/**
 * The position a collection's `getctag` and next sync-token carry (RFC 6578 §4): the tenant's
 * change-log position now (currentChangeSeq), one query after the access check. It is the same
 * number changedCalendarObjects answers as `position`. It moves with any change of the tenant,
 * so a client may sync once for nothing, never miss a change. The change log has no horizon:
 * deleted events stay as rows (deleted_at), so every position ever handed out can be answered.
 * @throws KalendsError CALENDAR_* as listCalendarObjects.
 */
export async function collectionPosition(db: Db, actor: Actor, ref: CalendarRef): Promise<number> {
  await openCollection(db, actor, ref);
  return currentChangeSeq(db, actor.tenantId);
}
