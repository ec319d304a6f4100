import { sql } from 'kysely';
import type { CalendarEvent } from '../../core/events/event.ts';
import { PreparedQuery } from '../prepared-query.ts';
import { hasRowLocks } from '../row-lock.ts';
import type { Db } from '../store.ts';
import type { ListedAttendee } from './attendees.ts';
import { findCalendar, findPrimaryCalendar, type CalendarRow } from './calendars.ts';
import { rememberPosition, transactionPositionSql } from './change-log.ts';
import { findEvent, findEventForWrite, toEvent } from './events.ts';

/** A calendar as a request names it: a user's primary, or a calendar id within a tenant. */
export type CalendarKey = { primaryOf: string } | { tenantId: string; id: string };

export interface EventAndCalendar {
  event: CalendarEvent | undefined;
  calendar: CalendarRow | undefined;
  /** The page of the event's attendees asked for (`page`), when read with it (PostgreSQL only). */
  attendees?: ListedAttendee[];
}

/** A page of an event's attendees to read with it, as pageListedAttendees (keyset on seq). */
export interface AttendeePageKey { afterSeq: number; limit: number }

/**
 * An event (as findEvent, or with `forWrite` as findEventForWrite: locked, its transaction's
 * change position remembered) and the calendar a request reaches it through, which every
 * event request reads first (core/acl/access.ts). On PostgreSQL both come in one statement
 * (the calendar as a JSON column of the event's row; when there is no such event, a second
 * statement reads the calendar): one round trip less on every event request (issue 21). On
 * SQLite, whose statements cost no round trip, the two reads as before.
 * With `page` (not with `forWrite`), PostgreSQL reads that page of the event's attendees in the
 * same statement too, for a caller that lists them once it has checked the access (a listAttendees
 * page is then one statement, as the PostgreSQL ceiling's); SQLite leaves it to the caller.
 */
export async function findEventAndCalendar(db: Db, tenantId: string, eventId: string, calendar: CalendarKey, forWrite: boolean, page?: AttendeePageKey): Promise<EventAndCalendar> {
  if (!hasRowLocks(db)) {
    const row = await calendarOf(db, calendar);
    return { calendar: row, event: forWrite ? await findEventForWrite(db, tenantId, eventId) : await findEvent(db, tenantId, eventId) };
  }
  const primary = 'primaryOf' in calendar;
  const query = forWrite ? (primary ? withPrimaryLocked : withCalendarLocked)
    : page ? (primary ? withPrimaryAndPage : withCalendarAndPage) : (primary ? withPrimary : withCalendar);
  const found = await query.first(db, {
    tenantId, eventId, userId: primary ? calendar.primaryOf : '', calendarTenantId: primary ? '' : calendar.tenantId, calendarId: primary ? '' : calendar.id,
    afterSeq: page?.afterSeq ?? 0, limit: page?.limit ?? 0,
  });
  if (!found) return { event: undefined, calendar: await calendarOf(db, calendar) };
  const { calendar_json: json, change_position: position, attendees_json: attendees, ...event } = found;
  if (forWrite) rememberPosition(db, Number(position));
  return { event: toEvent(event), calendar: json ?? undefined, ...(page && !forWrite ? { attendees: attendees ?? [] } : {}) };
}

function calendarOf(db: Db, calendar: CalendarKey): Promise<CalendarRow | undefined> {
  return 'primaryOf' in calendar ? findPrimaryCalendar(db, calendar.primaryOf) : findCalendar(db, calendar.tenantId, calendar.id);
}

interface Args { tenantId: string; eventId: string; userId: string; calendarTenantId: string; calendarId: string; afterSeq: number; limit: number }

// The calendar row as JSON: its columns are text and integers (bigints below 2^53), which JSON
// gives back with the same values and types as the row read alone (CalendarRow).
// The attendee page as a JSON array of ListedAttendee objects (seq, kind, ref, is_optional,
// partstat: text and integers, as those rows read alone), in seq order.
function eventWithCalendar(primary: boolean, locked: boolean, page = false) {
  return new PreparedQuery((db, a: Args) => {
    let query = db.selectFrom('events').selectAll('events')
      .select((eb) => {
        const calendars = eb.selectFrom('calendars').select(sql<CalendarRow>`row_to_json(calendars)`.as('j'));
        return (primary
          ? calendars.where('calendars.owner_user_id', '=', a.userId).where('calendars.type', '=', sql.lit('primary'))
          : calendars.where('calendars.tenant_id', '=', a.calendarTenantId).where('calendars.id', '=', a.calendarId)).as('calendar_json');
      })
      .select(locked ? transactionPositionSql.as('change_position') : sql<number>`0`.as('change_position'))
      .select(page
        ? sql<ListedAttendee[]>`(select json_agg(p order by p.seq) from (select seq, kind, ref, is_optional, partstat from attendees
            where attendees.event_id = events.id and attendees.seq > ${a.afterSeq} order by seq limit ${a.limit}) p)`.as('attendees_json')
        : sql<ListedAttendee[] | null>`null`.as('attendees_json'))
      .where('events.tenant_id', '=', a.tenantId).where('events.id', '=', a.eventId);
    if (locked) query = query.forUpdate(['events']);
    return query;
  });
}

const withPrimary = eventWithCalendar(true, false);
const withPrimaryLocked = eventWithCalendar(true, true);
const withCalendar = eventWithCalendar(false, false);
const withCalendarLocked = eventWithCalendar(false, true);
const withPrimaryAndPage = eventWithCalendar(true, false, true);
const withCalendarAndPage = eventWithCalendar(false, false, true);
