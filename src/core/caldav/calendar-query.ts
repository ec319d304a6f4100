import ICAL from 'ical.js';
import type { Actor } from '../actor.ts';
import type { CalendarRef } from '../acl/access.ts';
import { fail } from '../errors.ts';
import { occurrencesIn } from '../recurrence/window.ts';
import { END_OF_TIME } from '../recurrence/rrule.ts';
import type { Db } from '../../store/store.ts';
import type { CalendarObject } from './calendar-object.ts';
import { allEntries, entriesOf, openCollection } from './collection.ts';
import { matchesComponent } from './filter-match.ts';
import { renderEntries } from './get-object.ts';
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
  if (filter.name.toUpperCase() !== 'VCALENDAR') fail('INVALID_PARAMETER', 'the filter must start with comp-filter VCALENDAR (RFC 4791 §9.7.1)');
  const cal = await openCollection(db, actor, ref);
  if (filter.isNotDefined) return [];
  const children = filter.compFilters ?? [];
  const events = children.filter((c) => c.name.toUpperCase() === 'VEVENT');
  // Kalends holds VEVENTs only: a filter asking for another component matches nothing, one excluding it everything.
  for (const c of children) if (c.name.toUpperCase() !== 'VEVENT' && !c.isNotDefined) return [];
  if (events.some((e) => e.isNotDefined)) return [];
  const range = events.find((e) => e.timeRange)?.timeRange;
  const entries = range
    ? await entriesOf(db, actor, cal, await occurrencesIn(db, {
      tenantId: actor.tenantId, calendarId: cal.calendar.id, attendeeUserId: cal.isOwnPrimary ? actor.userId : null,
    }, range.start ?? -END_OF_TIME, range.end ?? END_OF_TIME, false))
    : await allEntries(db, actor, cal);
  const objects = await renderEntries(db, entries, data);
  const deep = (filter.propFilters?.length ?? 0) > 0 || events.some((e) => (e.propFilters?.length ?? 0) > 0 || (e.compFilters?.length ?? 0) > 0);
  if (!deep) return objects;
  // Property tests read the object as rendered without expansion (what a plain GET returns).
  const plain = data.expand || data.limitRecurrenceSet ? await renderEntries(db, entries) : objects;
  return objects.filter((_, i) => {
    const vcalendar = ICAL.Component.fromString(plain[i]!.ics);
    if (!matchesComponent(vcalendar, { ...filter, compFilters: [] })) return false;
    return events.every((e) => vcalendar.getAllSubcomponents('vevent').some((v) => matchesComponent(v, e)));
  });
}
