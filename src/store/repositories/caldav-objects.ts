import { sql } from 'kysely';
import { hasRowLocks } from '../row-lock.ts';
import type { CalendarEvent } from '../../core/events/event.ts';
import { toEvent } from './events.ts';
import type { Database } from '../schema.ts';
import { PreparedQuery } from '../prepared-query.ts';
import type { Db } from '../store.ts';

/** A CalDAV resource row (migration 010-caldav-objects). */
export type CaldavObjectRow = Database['caldav_objects'];

const byName = new PreparedQuery((db, a: { calendarId: string; name: string }) =>
  db.selectFrom('caldav_objects').selectAll().where('calendar_id', '=', a.calendarId).where('name', '=', a.name));

/** The resource row of a collection by name (tombstones too), if any. */
export async function findObjectRow(db: Db, calendarId: string, name: string): Promise<CaldavObjectRow | undefined> {
  const row = await byName.first(db, { calendarId, name });
  return row && normalize(row);
}

/** The rows of a collection by names (tombstones too). */
export async function findObjectRowsByNames(db: Db, calendarId: string, names: readonly string[]): Promise<CaldavObjectRow[]> {
  if (names.length === 0) return [];
  const rows = await db.selectFrom('caldav_objects').selectAll().where('calendar_id', '=', calendarId).where('name', 'in', names).execute();
  return rows.map(normalize);
}

/** Every row of a collection (tombstones too). */
export async function objectRowsOfCalendar(db: Db, calendarId: string): Promise<CaldavObjectRow[]> {
  const rows = await db.selectFrom('caldav_objects').selectAll().where('calendar_id', '=', calendarId).execute();
  return rows.map(normalize);
}

/** The rows of a collection written after a change-log position (tombstones too). */
export async function objectRowsChangedAfter(db: Db, calendarId: string, afterSeq: number): Promise<CaldavObjectRow[]> {
  const rows = await db.selectFrom('caldav_objects').selectAll().where('calendar_id', '=', calendarId).where('version', '>', afterSeq).execute();
  return rows.map(normalize);
}

/** The resource rows (any collection) that hold one of these events (tombstones too). */
export async function objectRowsOfEvents(db: Db, eventIds: readonly string[]): Promise<CaldavObjectRow[]> {
  if (eventIds.length === 0) return [];
  // Dismissed schedule-inbox messages (calendar_id `inbox:…`, schedule-inbox.ts) are not resources.
  const rows = await db.selectFrom('caldav_objects').selectAll().where('event_id', 'in', eventIds).where('calendar_id', 'not like', 'inbox:%').execute();
  return rows.map(normalize);
}

/** The rows of a tenant (any collection) with this UID: the events a client named by it. */
export async function findObjectRowsByUidInTenant(db: Db, tenantId: string, uid: string): Promise<CaldavObjectRow[]> {
  return (await byUid.rows(db, { tenantId, uid })).map(normalize);
}

const byUid = new PreparedQuery((db, a: { tenantId: string; uid: string }) =>
  db.selectFrom('caldav_objects').selectAll().where('tenant_id', '=', a.tenantId).where('uid', '=', a.uid));

/** Writes a resource row (insert, or replace the one of the same collection and name). */
export async function saveObjectRow(db: Db, row: CaldavObjectRow): Promise<void> {
  await upsertRow.run(db, { rows: [row] });
}

const upsertRow = new PreparedQuery((db, a: { rows: readonly CaldavObjectRow[] }) => {
  const fields = (r: CaldavObjectRow) => ({
    tenant_id: r.tenant_id, event_id: r.event_id, uid: r.uid, kept: r.kept, version: r.version,
    created_at: r.created_at, updated_at: r.updated_at, deleted_at: r.deleted_at,
  });
  const row = a.rows[0]!;
  return db.insertInto('caldav_objects').values([{ calendar_id: row.calendar_id, name: row.name, ...fields(row) }])
    .onConflict((oc) => oc.columns(['calendar_id', 'name']).doUpdateSet(fields(row)));
}, ['rows']);

/** Removes a resource row (the event it held is gone or now named otherwise). */
export async function deleteObjectRow(db: Db, calendarId: string, name: string): Promise<void> {
  await db.deleteFrom('caldav_objects').where('calendar_id', '=', calendarId).where('name', '=', name).execute();
}

/** The active users of a tenant with these e-mail addresses (case as stored; callers lower-case). */
export async function findUsersByEmails(db: Db, tenantId: string, emails: readonly string[]): Promise<Array<{ id: string; union_id: string; email: string }>> {
  if (emails.length === 0) return [];
  const rows = await db.selectFrom('users').select(['id', 'union_id', 'email'])
    .where('tenant_id', '=', tenantId).where('active', '=', 1).where('bot_app_id', 'is', null)
    .where((eb) => eb(eb.fn('lower', ['email']), 'in', emails)).execute();
  return rows.map((r) => ({ id: r.id, union_id: r.union_id, email: (r.email ?? '').toLowerCase() }));
}

/** The change-log positions of each series' exceptions (cancelled ones too), by master id. */
export async function exceptionSeqsOf(db: Db, masterIds: readonly string[]): Promise<Map<string, number[]>> {
  const found = new Map<string, number[]>();
  if (masterIds.length === 0) return found;
  const rows = await db.selectFrom('events').select(['series_master_id', 'change_seq']).where('series_master_id', 'in', masterIds).execute();
  for (const r of rows) {
    let list = found.get(r.series_master_id!);
    if (!list) found.set(r.series_master_id!, (list = []));
    list.push(Number(r.change_seq));
  }
  return found;
}

function normalize(row: CaldavObjectRow): CaldavObjectRow {
  return {
    ...row, version: Number(row.version), created_at: Number(row.created_at), updated_at: Number(row.updated_at),
    deleted_at: row.deleted_at === null ? null : Number(row.deleted_at),
  };
}

/** The stored exceptions (cancelled ones too) of several series, in one query. */
export async function exceptionsOfMany(db: Db, masterIds: readonly string[]): Promise<CalendarEvent[]> {
  if (masterIds.length === 0) return [];
  const rows = await db.selectFrom('events').selectAll().where('series_master_id', 'in', masterIds).orderBy('original_start').execute();
  return rows.map(toEvent);
}

/**
 * Removes a cancelled exception of a series with its attendee rows, so that the rule's
 * occurrence at its original start is expanded again (a client dropped an EXDATE).
 * @returns whether a cancelled exception was removed.
 */
export async function removeCancelledException(db: Db, masterId: string, originalStart: number): Promise<boolean> {
  const row = await db.selectFrom('events').select('id').where('series_master_id', '=', masterId)
    .where('original_start', '=', originalStart).where('deleted_at', 'is not', null).executeTakeFirst();
  if (!row) return false;
  // By the attendee rows' numbers (the key's first column): attendee_chat_members has no index on event_id.
  await db.deleteFrom('attendee_chat_members').where('attendee_seq', 'in', (eb) => eb.selectFrom('attendees').select('seq').where('event_id', '=', row.id)).execute();
  await db.deleteFrom('attendees').where('event_id', '=', row.id).execute();
  await db.deleteFrom('events').where('id', '=', row.id).execute();
  return true;
}

/** An invitation a user has not answered, or an answer to an event a user organizes (schedule inbox). */
export interface InboxRow {
  eventId: string;
  attendeeSeq: number;
  attendeeRef: string;
  partstat: string;
  changeSeq: number;
  answeredAt: number;
}

/**
 * The series masters and single events (live, not over) that invite a user who has not
 * answered, newest change first. A user's attendances are found by their number (the index of
 * "events I am invited to").
 */
export async function unansweredInvitations(db: Db, userId: string, now: number, limit: number): Promise<InboxRow[]> {
  const rows = await db.selectFrom('attendees').innerJoin('events', 'events.id', 'attendees.event_id')
    .select(['events.id as eventId', 'attendees.seq as attendeeSeq', 'attendees.ref as attendeeRef', 'attendees.partstat', 'events.change_seq as changeSeq', 'attendees.updated_at as answeredAt'])
    .where('attendees.user_seq', '=', (eb) => eb.selectFrom('users').select('seq').where('id', '=', userId))
    .where('attendees.partstat', '=', 'NEEDS-ACTION').where('events.deleted_at', 'is', null)
    .where('events.series_master_id', 'is', null).where('events.organizer_id', '!=', userId).where('events.range_end', '>', now)
    .orderBy('events.change_seq', 'desc').limit(limit).execute();
  return rows.map(inboxRow);
}

/**
 * The answers (accepted, declined, tentative) of user attendees to the live events a user
 * organizes, newest first. The organizer's events are found by `events_by_organizer`
 * (migration 012); a user is one tenant's, so the tenant is not asked again (with
 * `tenant_id = ?` SQLite read every event of the tenant by events_by_tenant_change).
 */
export async function answersToOrganizer(db: Db, userId: string, limit: number): Promise<InboxRow[]> {
  const rows = await db.selectFrom('attendees').innerJoin('events', 'events.id', 'attendees.event_id')
    .select(['events.id as eventId', 'attendees.seq as attendeeSeq', 'attendees.ref as attendeeRef', 'attendees.partstat', 'events.change_seq as changeSeq', 'attendees.updated_at as answeredAt'])
    .where('events.organizer_id', '=', userId).where('events.deleted_at', 'is', null)
    .where('events.series_master_id', 'is', null).where('attendees.kind', '=', 'user').where('attendees.ref', '!=', userId)
    .where('attendees.partstat', '!=', 'NEEDS-ACTION')
    .orderBy('attendees.updated_at', 'desc').limit(limit).execute();
  return rows.map(inboxRow);
}

function inboxRow(r: { eventId: string; attendeeSeq: number; attendeeRef: string; partstat: string; changeSeq: number; answeredAt: number }): InboxRow {
  return { ...r, attendeeSeq: Number(r.attendeeSeq), changeSeq: Number(r.changeSeq), answeredAt: Number(r.answeredAt) };
}

/**
 * Serializes writers of one resource name, or one UID, of a collection until the transaction
 * ends: on PostgreSQL a transaction-scoped advisory lock on a hash of the key (two concurrent
 * PUTs of a new name would otherwise both find it free and both create an event); SQLite's write
 * transactions are serial already. Callers take the name's lock before the UID's.
 */
export async function lockObjectKey(db: Db, calendarId: string, key: string): Promise<void> {
  if (!hasRowLocks(db)) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${calendarId}/${key}`}, 0))`.execute(db);
}

/** Sets whether attendees (by row number) are optional. */
export async function setAttendeesOptional(db: Db, seqs: readonly number[], isOptional: boolean, now: number): Promise<void> {
  if (seqs.length === 0) return;
  await db.updateTable('attendees').set({ is_optional: isOptional ? 1 : 0, updated_at: now }).where('seq', 'in', seqs).execute();
}
