import type { Db } from '../store.ts';
import type { RoomRow } from './directory.ts';

/** The console's reads of meeting rooms (the directory's `rooms`); bounded like its other lists. */

/** Every tenant's rooms, by tenant then name. */
export function listRooms(db: Db, limit: number): Promise<RoomRow[]> {
  return db.selectFrom('rooms').selectAll().orderBy('tenant_id').orderBy('name').orderBy('id').limit(limit).execute();
}

/** A room by its internal id. */
export function findRoomById(db: Db, id: string): Promise<RoomRow | undefined> {
  return db.selectFrom('rooms').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The room whose resource calendar this is, if any. */
export function roomOfCalendar(db: Db, calendarId: string): Promise<RoomRow | undefined> {
  return db.selectFrom('rooms').selectAll().where('calendar_id', '=', calendarId).executeTakeFirst();
}
