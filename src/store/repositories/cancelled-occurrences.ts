import type { CalendarEvent } from '../../core/events/event.ts';
import type { Db } from '../store.ts';
import { toEvent } from './events.ts';
import { RESOURCE } from './series.ts';

/**
 * The cancelled occurrences of the series a meeting room is booked on, within [from, to) (ms):
 * stored exceptions that were deleted (RFC 5545 EXDATE) and carry the room as a `resource`
 * attendee with a booking not declined, whose series itself still stands (a deleted series
 * cancels every exception with it; those are not "one cancelled occurrence"). In start order.
 */
export async function cancelledOccurrencesOfRoom(db: Db, tenantId: string, roomRef: string, from: number, to: number): Promise<CalendarEvent[]> {
  // Led by the room's attendee rows, the tenant checked on the rows found (see eventsWithRoom).
  const rows = await db.selectFrom('events').selectAll()
    .where('series_master_id', 'is not', null)
    .where('deleted_at', 'is not', null)
    .where('id', 'in', (eb) => eb.selectFrom('attendees').select('event_id')
      .where('kind', '=', RESOURCE).where('ref', '=', roomRef).where('partstat', '!=', 'DECLINED'))
    .where((eb) => eb.exists(eb.selectFrom('events as masters').select('masters.id')
      .whereRef('masters.id', '=', 'events.series_master_id').where('masters.deleted_at', 'is', null)))
    .where('range_end', '>', from).where('range_start', '<', to)
    .orderBy('range_start').orderBy('id').limit(1000).execute();
  return rows.filter((row) => row.tenant_id === tenantId).map(toEvent);
}
