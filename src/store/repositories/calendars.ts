import { sql } from 'kysely';
import { PreparedQuery } from '../prepared-query.ts';
import type { Db } from '../store.ts';
import type { UserRow } from './directory.ts';

export interface CalendarRow {
  id: string; tenant_id: string; type: string; owner_user_id: string | null;
  summary: string; description: string; time_zone: string; attributes: string;
  created_at: number; updated_at: number; deleted_at: number | null;
}

export async function insertCalendar(db: Db, row: CalendarRow): Promise<void> {
  await db.insertInto('calendars').values(row).execute();
}

const calendarById = new PreparedQuery((db, a: { tenantId: string; id: string }) =>
  db.selectFrom('calendars').selectAll().where('tenant_id', '=', a.tenantId).where('id', '=', a.id));

export function findCalendar(db: Db, tenantId: string, id: string): Promise<CalendarRow | undefined> {
  return calendarById.first(db, { tenantId, id });
}

const PRIMARY = sql.lit('primary');

/**
 * The user's primary calendar. `'primary'` is written into the SQL, not bound: SQLite uses the
 * partial index `calendars_one_primary_per_user` (… WHERE type = 'primary') for a bound value
 * only by re-preparing the statement on every run (https://www.sqlite.org/partialindex.html,
 * "Queries Using Partial Indexes"; sqlite3_prepare_v2 re-prepares when a binding can change the
 * plan), which cost more than the query itself.
 */
export function findPrimaryCalendar(db: Db, userId: string): Promise<CalendarRow | undefined> {
  return primaryOf.first(db, { userId });
}

const primaryOf = new PreparedQuery((db, a: { userId: string }) =>
  db.selectFrom('calendars').selectAll().where('owner_user_id', '=', a.userId).where('type', '=', PRIMARY));

export async function updateCalendar(db: Db, id: string, fields: Partial<Omit<CalendarRow, 'id' | 'tenant_id'>>): Promise<void> {
  await db.updateTable('calendars').set(fields).where('id', '=', id).execute();
}

const memberRole = new PreparedQuery((db, a: { calendarId: string; userId: string }) =>
  db.selectFrom('calendar_members').select('role').where('calendar_id', '=', a.calendarId).where('user_id', '=', a.userId));

export function findMemberRole(db: Db, calendarId: string, userId: string): Promise<string | undefined> {
  return memberRole.first(db, { calendarId, userId }).then((r) => r?.role);
}

export async function upsertMember(db: Db, calendarId: string, userId: string, role: string, now: number): Promise<void> {
  await db.insertInto('calendar_members').values({ calendar_id: calendarId, user_id: userId, role, created_at: now })
    .onConflict((oc) => oc.columns(['calendar_id', 'user_id']).doUpdateSet({ role })).execute();
}

export async function deleteMember(db: Db, calendarId: string, userId: string): Promise<void> {
  await db.deleteFrom('calendar_members').where('calendar_id', '=', calendarId).where('user_id', '=', userId).execute();
}

/** The primary calendars of some users: `[calendar id, owner id]` pairs. */
export async function primaryCalendarIdsOf(db: Db, userIds: readonly string[]): Promise<Array<{ id: string; owner_user_id: string | null }>> {
  if (userIds.length === 0) return [];
  return db.selectFrom('calendars').select(['id', 'owner_user_id']).where('type', '=', PRIMARY)
    .where('owner_user_id', 'in', userIds).where('deleted_at', 'is', null).execute();
}

/** A page of a calendar's members with their user rows, by user id after `afterUserId`. */
export async function pageMembers(db: Db, calendarId: string, afterUserId: string, limit: number): Promise<Array<{ user: UserRow; role: string }>> {
  const rows = await db.selectFrom('calendar_members as m').innerJoin('users as u', 'u.id', 'm.user_id')
    .selectAll('u').select('m.role').where('m.calendar_id', '=', calendarId).where('m.user_id', '>', afterUserId)
    .orderBy('m.user_id').limit(limit).execute();
  return rows.map(({ role, ...user }) => ({ user, role }));
}

/** Users who have the calendar on their list (any role). */
export async function memberIds(db: Db, calendarId: string): Promise<string[]> {
  const rows = await db.selectFrom('calendar_members').select('user_id').where('calendar_id', '=', calendarId).execute();
  return rows.map((r) => r.user_id);
}

export async function deleteMembers(db: Db, calendarId: string): Promise<void> {
  await db.deleteFrom('calendar_members').where('calendar_id', '=', calendarId).execute();
}

/** The live calendars a user belongs to, with the user's role, oldest first. */
export function listUserCalendars(db: Db, userId: string): Promise<Array<CalendarRow & { role: string }>> {
  return db.selectFrom('calendar_members')
    .innerJoin('calendars', 'calendars.id', 'calendar_members.calendar_id')
    .selectAll('calendars').select('calendar_members.role')
    .where('calendar_members.user_id', '=', userId)
    .where('calendars.deleted_at', 'is', null)
    .orderBy('calendars.created_at').orderBy('calendars.id')
    .execute();
}

/** Live calendars of a tenant whose summary contains `query` (case-insensitive), oldest first. */
export function searchCalendars(db: Db, tenantId: string, query: string, limit: number): Promise<CalendarRow[]> {
  const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db.selectFrom('calendars').selectAll().where('tenant_id', '=', tenantId).where('deleted_at', 'is', null)
    .where(sql<boolean>`lower(summary) like ${pattern.toLowerCase()} escape '\\'`)
    .orderBy('created_at').orderBy('id').limit(limit).execute();
}

/** Internal ids of the users of a tenant who have a primary calendar. */
export async function primaryCalendarOwners(db: Db, tenantId: string): Promise<string[]> {
  const rows = await db.selectFrom('calendars').select('owner_user_id').where('tenant_id', '=', tenantId).where('type', '=', 'primary').execute();
  return rows.flatMap((r) => (r.owner_user_id ? [r.owner_user_id] : []));
}

/** Inserts calendars and memberships in chunks of 500 rows per statement. */
export async function insertCalendarsWithOwners(db: Db, rows: readonly CalendarRow[], now: number): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await db.insertInto('calendars').values(chunk).execute();
    await db.insertInto('calendar_members')
      .values(chunk.map((c) => ({ calendar_id: c.id, user_id: c.owner_user_id!, role: 'owner', created_at: now }))).execute();
  }
}
