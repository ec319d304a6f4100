import type { Actor } from '../actor.ts';
import type { CalendarRef } from '../acl/access.ts';
import type { Db } from '../../store/store.ts';
import type { CalendarObject } from './calendar-object.ts';
import type { CalendarDataOptions } from './query-filter.ts';

/**
 * One calendar object of a collection, rendered from the store as the acting user sees it
 * (RFC 4791 §4.1; GET of a resource, and each response of calendar-multiget §7.9).
 * @param name the resource name in the collection (`abc.ics`).
 * @param data expand / limit-recurrence-set (RFC 4791 §9.6.5, §9.6.6); none for a plain GET.
 * @throws KalendsError EVENT_NOT_FOUND (no such resource, or deleted), CALENDAR_NOT_FOUND,
 *   CALENDAR_DELETED, CALENDAR_ACCESS_DENIED (no reader role).
 */
export async function getCalendarObject(db: Db, actor: Actor, ref: CalendarRef, name: string, data: CalendarDataOptions = {}): Promise<CalendarObject> {
  void db; void actor; void ref; void name; void data;
  throw new Error('getCalendarObject: not implemented yet');
}

/**
 * Several objects of one collection by resource name (calendar-multiget, RFC 4791 §7.9), in the
 * order named; a name with no resource is answered `{ name, missing: true }` (a 404 response).
 * Reads every found object with a fixed number of queries, not one per name.
 * @throws KalendsError CALENDAR_* as getCalendarObject.
 */
export async function getCalendarObjects(
  db: Db, actor: Actor, ref: CalendarRef, names: readonly string[], data: CalendarDataOptions = {},
): Promise<Array<CalendarObject | { name: string; missing: true }>> {
  void db; void actor; void ref; void names; void data;
  throw new Error('getCalendarObjects: not implemented yet');
}
