import type { Actor } from '../actor.ts';
import type { CalendarRef } from '../acl/access.ts';
import type { Db } from '../../store/store.ts';
import type { CalendarObject } from './calendar-object.ts';
import type { CalendarDataOptions, CompFilter } from './query-filter.ts';

/**
 * The objects of a collection that match a CALDAV:filter (calendar-query REPORT, RFC 4791 §7.8,
 * §9.7). A VEVENT time-range is answered from the stored series expansion (occurrencesIn), so a
 * month over a large calendar reads only the events whose span overlaps it; an object matches
 * when one of its instances does (§9.9). Text-match applies to SUMMARY, DESCRIPTION, LOCATION,
 * CATEGORIES and any property of the rendered object. Objects are rendered with `data`
 * (expand: instances in the range as separate VEVENTs, §9.6.5).
 * @param filter the top comp-filter (name VCALENDAR).
 * @throws KalendsError INVALID_PARAMETER for a filter Kalends cannot evaluate (the HTTP side
 *   answers CALDAV:supported-filter, 403), CALENDAR_* as listCalendarObjects.
 */
export async function queryCalendarObjects(
  db: Db, actor: Actor, ref: CalendarRef, filter: CompFilter, data: CalendarDataOptions = {},
): Promise<CalendarObject[]> {
  void db; void actor; void ref; void filter; void data;
  throw new Error('queryCalendarObjects: not implemented yet');
}
