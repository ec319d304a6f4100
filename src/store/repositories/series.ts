import { sql } from 'kysely';
import type { CalendarEvent } from '../../core/events/event.ts';
import { PreparedQuery } from '../prepared-query.ts';
import type { Db } from '../store.ts';
import { toEvent } from './events.ts';

const exceptionAt = new PreparedQuery((db, a: { masterId: string; originalStart: number }) =>
  db.selectFrom('events').selectAll().where('series_master_id', '=', a.masterId).where('original_start', '=', a.originalStart));

/** The stored exception of a series at one original start (cancelled ones too), if any. */
export async function findException(db: Db, masterId: string, originalStart: number): Promise<CalendarEvent | undefined> {
  const row = await exceptionAt.first(db, { masterId, originalStart });
  return row && toEvent(row);
}

/** Every stored exception of a series (cancelled ones too), in original-start order. */
export async function exceptionsOf(db: Db, masterId: string): Promise<CalendarEvent[]> {
  const rows = await db.selectFrom('events').selectAll().where('series_master_id', '=', masterId).orderBy('original_start').execute();
  return rows.map(toEvent);
}

/**
 * The original starts (ms) at which the given series have stored exceptions, changed or
 * cancelled, within [from, to): the occurrences an expansion must not produce itself.
 * @returns a set per master id.
 */
export async function exceptionStarts(db: Db, masterIds: readonly string[], from: number, to: number): Promise<Map<string, Set<number>>> {
  const found = new Map<string, Set<number>>();
  if (masterIds.length === 0) return found;
  const rows = await db.selectFrom('events').select(['series_master_id', 'original_start'])
    .where('series_master_id', 'in', masterIds).where('original_start', '>=', from).where('original_start', '<', to).execute();
  for (const r of rows) {
    const key = r.series_master_id!;
    let set = found.get(key);
    if (!set) found.set(key, (set = new Set()));
    set.add(Number(r.original_start));
  }
  return found;
}

/**
 * Copies an event's attendees (and its chat attendees' members, with their answers) to another
 * event: a new exception starts with the attendees of its series (RFC 5545 §3.8.4.4: an
 * overridden instance carries its own ATTENDEE list from then on).
 */
export async function copyAttendees(db: Db, fromEventId: string, toEventId: string): Promise<void> {
  await sql`insert into attendees (event_id, kind, ref, user_seq, is_optional, partstat, created_at, updated_at)
    select ${toEventId}, kind, ref, user_seq, is_optional, partstat, created_at, updated_at
    from attendees where event_id = ${fromEventId} order by seq`.execute(db);
  await sql`insert into attendee_chat_members (attendee_seq, event_id, user_id, partstat, updated_at)
    select target.seq, ${toEventId}, m.user_id, m.partstat, m.updated_at
    from attendee_chat_members m
    join attendees source on source.seq = m.attendee_seq
    join attendees target on target.event_id = ${toEventId} and target.kind = 'chat' and target.ref = source.ref
    where m.event_id = ${fromEventId}`.execute(db);
}

/**
 * `kind = 'resource'` written into the SQL, not bound: SQLite uses the partial index
 * `attendees_by_room` (… WHERE kind = 'resource') for a bound value only by re-preparing the
 * statement on every run (as calendars.ts' PRIMARY; 0.038 → 0.003 ms per read at 5,000,000
 * attendee rows).
 */
export const RESOURCE = sql.lit('resource');

/**
 * The events (single events, masters, exceptions; not deleted) that a meeting room attends
 * with one of the given answers and whose stored range overlaps [from, to): the bookings of
 * the room (attendees of kind `resource`).
 */
export async function eventsWithRoom(db: Db, tenantId: string, roomRef: string, partstats: readonly string[], from: number, to: number): Promise<CalendarEvent[]> {
  // The room's attendee rows lead (its internal id is its tenant's): with `tenant_id = ?` in the
  // statement SQLite read every event of the tenant by events_by_tenant_change instead. The
  // tenant is checked on the rows found.
  const rows = await db.selectFrom('events').selectAll()
    .where('id', 'in', (eb) => eb.selectFrom('attendees').select('event_id')
      .where('kind', '=', RESOURCE).where('ref', '=', roomRef).where('partstat', 'in', partstats))
    .where('range_end', '>', from).where('range_start', '<', to).where('deleted_at', 'is', null)
    .orderBy('range_start').orderBy('id').execute();
  return rows.filter((row) => row.tenant_id === tenantId).map(toEvent);
}
