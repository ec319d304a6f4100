import { PreparedQuery } from '../prepared-query.ts';
import type { Db } from '../store.ts';

/** The calendar a user's client made at path segment `name`, if any. */
export async function findCollectionCalendar(db: Db, userId: string, name: string): Promise<string | undefined> {
  return (await collectionByName.first(db, { userId, name }))?.calendar_id;
}

const collectionByName = new PreparedQuery((db, a: { userId: string; name: string }) =>
  db.selectFrom('caldav_collections').select('calendar_id').where('user_id', '=', a.userId).where('name', '=', a.name));

/** The segment names a user's client gave calendars, by calendar id. */
export async function collectionNames(db: Db, userId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('caldav_collections').select(['name', 'calendar_id']).where('user_id', '=', userId).execute();
  return new Map(rows.map((r) => [r.calendar_id, r.name]));
}

export async function insertCollectionName(db: Db, userId: string, name: string, calendarId: string): Promise<void> {
  await db.insertInto('caldav_collections').values({ user_id: userId, name, calendar_id: calendarId }).execute();
}

export async function deleteCollectionNames(db: Db, calendarId: string): Promise<void> {
  await db.deleteFrom('caldav_collections').where('calendar_id', '=', calendarId).execute();
}
