import type { Actor } from '../actor.ts';
import type { CalendarRef } from '../acl/access.ts';
import type { Db } from '../../store/store.ts';
import { findCalendar } from '../../store/repositories/calendars.ts';
import { collectionNames, deleteCollectionNames, findCollectionCalendar, insertCollectionName } from '../../store/repositories/caldav-collections.ts';
import { createCalendar, deleteCalendar, type CalendarInput, type CalendarView } from './manage-calendars.ts';

/**
 * Calendars at the names CalDAV clients chose for them (MKCALENDAR / extended MKCOL at
 * `/caldav/<user>/<name>/`, RFC 4791 §5.3.1): a client keeps using the URL it made a calendar
 * at, so the name is kept per user; every other calendar is at its id.
 */

/** The calendar at `name` in the user's home: the one their client made there, else the calendar of that id. */
export async function calendarAt(db: Db, actor: Actor, name: string): Promise<CalendarRef> {
  return { id: (await findCollectionCalendar(db, actor.userId, name)) ?? name };
}

/** The names the user's clients gave calendars, by calendar id. */
export function calendarNames(db: Db, actor: Actor): Promise<Map<string, string>> {
  return collectionNames(db, actor.userId);
}

/**
 * Makes a calendar owned by the acting user at `name` (createCalendar, as Feishu calendar.create).
 * @returns its view, or null when the name is taken (a calendar made there, or a calendar's id).
 */
export async function createCalendarAt(tx: Db, actor: Actor, name: string, input: CalendarInput, now: number): Promise<CalendarView | null> {
  if ((await findCollectionCalendar(tx, actor.userId, name)) || (await findCalendar(tx, actor.tenantId, name))) return null;
  const view = await createCalendar(tx, actor, input, now);
  await insertCollectionName(tx, actor.userId, name, view.row.id);
  return view;
}

/**
 * Deletes a calendar (deleteCalendar: its owner, not a primary calendar) and the names clients gave it.
 * @throws KalendsError as deleteCalendar.
 */
export async function deleteCalendarAt(tx: Db, actor: Actor, ref: CalendarRef, now: number): Promise<void> {
  await deleteCalendar(tx, actor, ref, now);
  if ('id' in ref) await deleteCollectionNames(tx, ref.id);
}
