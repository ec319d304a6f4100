import { sql } from 'kysely';
import type { CalendarEvent } from '../../core/events/event.ts';
import { PreparedQuery } from '../prepared-query.ts';
import { hasRowLocks } from '../row-lock.ts';
import type { Db } from '../store.ts';
import { findCalendar, findPrimaryCalendar, type CalendarRow } from './calendars.ts';
import { rememberPosition, transactionPositionSql } from './change-log.ts';
import { findEvent, findEventForWrite, toEvent } from './events.ts';

/** A calendar as a request names it: a user's primary, or a calendar id within a tenant. */
export type CalendarKey = { primaryOf: string } | { tenantId: string; id: string };

export interface EventAndCalendar {
  event: CalendarEvent | undefined;
  calendar: CalendarRow | undefined;
}

/**
 * An event (as findEvent, or with `forWrite` as findEventForWrite: locked, its transaction's
 * change position remembered) and the calendar a request reaches it through, which every
 * event request reads first (core/acl/access.ts). On PostgreSQL both come in one statement
 * (the calendar as a JSON column of the event's row; when there is no such event, a second
 * statement reads the calendar): one round trip less on every event request (issue 21). On
 * SQLite, whose statements cost no round trip, the two reads as before.
 */
export async function findEventAndCalendar(db: Db, tenantId: string, eventId: string, calendar: CalendarKey, forWrite: boolean): Promise<EventAndCalendar> {
  if (!hasRowLocks(db)) {
    const row = await calendarOf(db, calendar);
    return { calendar: row, event: forWrite ? await findEventForWrite(db, tenantId, eventId) : await findEvent(db, tenantId, eventId) };
  }
  const query = 'primaryOf' in calendar ? (forWrite ? withPrimaryLocked : withPrimary) : (forWrite ? withCalendarLocked : withCalendar);
  const found = await query.first(db, { tenantId, eventId, userId: 'primaryOf' in calendar ? calendar.primaryOf : '', calendarTenantId: 'id' in calendar ? calendar.tenantId : '', calendarId: 'id' in calendar ? calendar.id : '' });
  if (!found) return { event: undefined, calendar: await calendarOf(db, calendar) };
  const { calendar_json: json, change_position: position, ...event } = found;
  if (forWrite) rememberPosition(db, Number(position));
  return { event: toEvent(event), calendar: json ?? undefined };
}

function calendarOf(db: Db, calendar: CalendarKey): Promise<CalendarRow | undefined> {
  return 'primaryOf' in calendar ? findPrimaryCalendar(db, calendar.primaryOf) : findCalendar(db, calendar.tenantId, calendar.id);
}

interface Args { tenantId: string; eventId: string; userId: string; calendarTenantId: string; calendarId: string }

// The calendar row as JSON: its columns are text and integers (bigints below 2^53), which JSON
// gives back with the same values and types as the row read alone (CalendarRow).
function eventWithCalendar(primary: boolean, locked: boolean) {
  return new PreparedQuery((db, a: Args) => {
    let query = db.selectFrom('events').selectAll('events')
      .select((eb) => {
        const calendars = eb.selectFrom('calendars').select(sql<CalendarRow>`row_to_json(calendars)`.as('j'));
        return (primary
          ? calendars.where('calendars.owner_user_id', '=', a.userId).where('calendars.type', '=', sql.lit('primary'))
          : calendars.where('calendars.tenant_id', '=', a.calendarTenantId).where('calendars.id', '=', a.calendarId)).as('calendar_json');
      })
      .select(locked ? transactionPositionSql.as('change_position') : sql<number>`0`.as('change_position'))
      .where('events.tenant_id', '=', a.tenantId).where('events.id', '=', a.eventId);
    if (locked) query = query.forUpdate(['events']);
    return query;
  });
}

const withPrimary = eventWithCalendar(true, false);
const withPrimaryLocked = eventWithCalendar(true, true);
const withCalendar = eventWithCalendar(false, false);
const withCalendarLocked = eventWithCalendar(false, true);
