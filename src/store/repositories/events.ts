import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { CalendarEvent, EventTime } from '../../core/events/event.ts';
import type { Database } from '../schema.ts';
import { PreparedQuery } from '../prepared-query.ts';
import { hasRowLocks } from '../row-lock.ts';
import { rememberPosition, transactionPositionSql } from './change-log.ts';
import type { Db } from '../store.ts';

type EventRow = Database['events'];

export function toEvent(row: EventRow): CalendarEvent {
  return {
    id: row.id, tenantId: row.tenant_id, calendarId: row.calendar_id, organizerId: row.organizer_id,
    summary: row.summary, description: row.description, isAllDay: row.is_all_day === 1,
    start: toTime(row.start_date, row.start_at, row.start_tz), end: toTime(row.end_date, row.end_at, row.end_tz),
    recurrence: row.recurrence, range: { start: Number(row.range_start), end: Number(row.range_end) }, status: row.status, details: JSON.parse(row.details),
    attendeeCount: Number(row.attendee_count), changeSeq: Number(row.change_seq),
    seriesMasterId: row.series_master_id, originalStart: row.original_start === null ? null : Number(row.original_start),
    createdAt: Number(row.created_at), updatedAt: Number(row.updated_at),
    deletedAt: row.deleted_at === null ? null : Number(row.deleted_at),
  };
}

function toTime(date: string | null, at: number | null, tz: string | null): EventTime {
  return date !== null ? { date } : { instant: Number(at), timeZone: tz ?? 'UTC' };
}

function timeColumns(prefix: 'start' | 'end', t: EventTime) {
  return 'date' in t
    ? { [`${prefix}_date`]: t.date, [`${prefix}_at`]: null, [`${prefix}_tz`]: null }
    : { [`${prefix}_date`]: null, [`${prefix}_at`]: t.instant, [`${prefix}_tz`]: t.timeZone };
}

export function toRow(e: CalendarEvent): EventRow {
  return {
    id: e.id, tenant_id: e.tenantId, calendar_id: e.calendarId, organizer_id: e.organizerId,
    summary: e.summary, description: e.description, is_all_day: e.isAllDay ? 1 : 0,
    ...(timeColumns('start', e.start) as Pick<EventRow, 'start_date' | 'start_at' | 'start_tz'>),
    ...(timeColumns('end', e.end) as Pick<EventRow, 'end_date' | 'end_at' | 'end_tz'>),
    recurrence: e.recurrence, range_start: e.range.start, range_end: e.range.end, status: e.status, details: JSON.stringify(e.details),
    attendee_count: e.attendeeCount, change_seq: e.changeSeq,
    series_master_id: e.seriesMasterId, original_start: e.originalStart,
    created_at: e.createdAt, updated_at: e.updatedAt, deleted_at: e.deletedAt,
  };
}

// Every column, named (a prepared query's stand-ins have no keys to read the columns from).
const insertRow = new PreparedQuery((db, a: { rows: readonly EventRow[] }) =>
  db.insertInto('events').values(a.rows.map((r) => ({
    id: r.id, tenant_id: r.tenant_id, calendar_id: r.calendar_id, organizer_id: r.organizer_id, summary: r.summary, description: r.description,
    is_all_day: r.is_all_day, start_date: r.start_date, start_at: r.start_at, start_tz: r.start_tz, end_date: r.end_date, end_at: r.end_at, end_tz: r.end_tz,
    recurrence: r.recurrence, range_start: r.range_start, range_end: r.range_end, status: r.status, details: r.details, attendee_count: r.attendee_count,
    change_seq: r.change_seq, series_master_id: r.series_master_id, original_start: r.original_start, created_at: r.created_at, updated_at: r.updated_at,
    deleted_at: r.deleted_at,
  }))), ['rows']);

export async function insertEvent(db: Db, e: CalendarEvent): Promise<void> {
  await insertRow.run(db, { rows: [toRow(e)] });
}

/** Rewrites an event's row (all columns but id and tenant). */
export async function saveEvent(db: Db, e: CalendarEvent): Promise<void> {
  const { id, tenant_id, ...fields } = toRow(e);
  await db.updateTable('events').set(fields).where('id', '=', id).where('tenant_id', '=', tenant_id).execute();
}

const eventById = new PreparedQuery((db, a: { tenantId: string; id: string }) =>
  db.selectFrom('events').selectAll().where('tenant_id', '=', a.tenantId).where('id', '=', a.id));

export async function findEvent(db: Db, tenantId: string, id: string): Promise<CalendarEvent | undefined> {
  const row = await eventById.first(db, { tenantId, id });
  return row && toEvent(row);
}

// With the lock, the transaction's change-log position (the write will need it): one round trip less.
const eventByIdLocked = new PreparedQuery((db, a: { tenantId: string; id: string }) =>
  db.selectFrom('events').selectAll().select(transactionPositionSql.as('change_position'))
    .where('tenant_id', '=', a.tenantId).where('id', '=', a.id).forUpdate());

/**
 * An event read for a write: on PostgreSQL with its row locked until the transaction ends
 * (`FOR UPDATE`, in the same statement as the read, so the fields written back are the ones
 * read under the lock); on SQLite, whose write transactions are already serial, a plain read.
 * Every write to an event reads it this way (or through lockEvent) first, so concurrent writes
 * to one event queue in one order (no deadlock) and two adds cannot both pass the cap on the
 * same count.
 */
export async function findEventForWrite(db: Db, tenantId: string, id: string): Promise<CalendarEvent | undefined> {
  if (!hasRowLocks(db)) return findEvent(db, tenantId, id);
  const row = await eventByIdLocked.first(db, { tenantId, id });
  if (!row) return undefined;
  rememberPosition(db, Number(row.change_position));
  return toEvent(row);
}

const bumpCount = new PreparedQuery((db, a: { id: string; delta: number; changeSeq: number; now: number }) =>
  db.updateTable('events')
    .set((eb) => ({ attendee_count: eb('attendee_count', '+', a.delta), change_seq: a.changeSeq, updated_at: a.now }))
    .where('id', '=', a.id), [], { deferrable: true });

/** Adds `delta` to an event's attendee count and moves it to `changeSeq` in the change log. */
export async function bumpAttendeeCount(db: Db, id: string, delta: number, changeSeq: number, now: number): Promise<void> {
  await bumpCount.run(db, { id, delta, changeSeq, now });
}

export async function touchEvent(db: Db, id: string, changeSeq: number, now: number): Promise<void> {
  await touch.run(db, { id, changeSeq, now });
}

const touch = new PreparedQuery((db, a: { id: string; changeSeq: number; now: number }) =>
  db.updateTable('events').set({ change_seq: a.changeSeq, updated_at: a.now }).where('id', '=', a.id), [], { deferrable: true });

export interface EventQuery {
  tenantId: string;
  calendarId: string;
  /** When set, also the events this user attends (the calendar is that user's primary). */
  attendeeUserId: string | null;
  /** Window (ms): an event matches when its range overlaps [from, to). */
  from: number | null;
  to: number | null;
  includeDeleted: boolean;
  /** Only events changed after this change-log position (sync tokens). */
  changedAfter: number | null;
  /** Keyset cursor: events ordered by (range_start, id), after this one. */
  after: { rangeStart: number; id: string } | null;
  limit: number;
  /** Only the masters of recurring series (no single events, no exceptions). */
  seriesMastersOnly?: boolean;
}

/** One page of events of a calendar, in start order, by keyset. */
export async function queryEvents(db: Db, q: EventQuery): Promise<CalendarEvent[]> {
  const rows = await filtered(db.selectFrom('events').selectAll(), q).orderBy('range_start').orderBy('id').limit(q.limit).execute();
  return rows.map(toEvent);
}

/** What placing an event in time needs: its times, rule, range and series. */
export type EventSpan = Pick<CalendarEvent, 'id' | 'start' | 'end' | 'recurrence' | 'range' | 'seriesMasterId' | 'originalStart'>;

/**
 * queryEvents' events with only the columns that place them in time (no attributes, no JSON),
 * for windows that read many events to show a few (views).
 */
export async function queryEventSpans(db: Db, q: EventQuery): Promise<EventSpan[]> {
  const rows = await filtered(db.selectFrom('events').select(SPAN_COLUMNS), q).orderBy('range_start').orderBy('id').limit(q.limit).execute();
  return rows.map(toSpan);
}

const SPAN_COLUMNS = [
  'id', 'start_at', 'start_date', 'start_tz', 'end_at', 'end_date', 'end_tz', 'recurrence', 'range_start', 'range_end', 'series_master_id', 'original_start',
] as const;

function toSpan(row: Pick<EventRow, (typeof SPAN_COLUMNS)[number]>): EventSpan {
  return {
    id: row.id, start: toTime(row.start_date, row.start_at, row.start_tz), end: toTime(row.end_date, row.end_at, row.end_tz),
    recurrence: row.recurrence, range: { start: Number(row.range_start), end: Number(row.range_end) },
    seriesMasterId: row.series_master_id, originalStart: row.original_start === null ? null : Number(row.original_start),
  };
}/** What free/busy needs of an event: its place in time, its state, its organizer and its details (`freeBusyStatus`). */
export type BusySpan = EventSpan & Pick<CalendarEvent, 'status' | 'organizerId' | 'details'>;

/** A BusySpan with the calendar it is on. */
export type PlacedBusySpan = BusySpan & Pick<CalendarEvent, 'calendarId'>;

/**
 * What free/busy reads of several people's events (no summary, description or counts): the
 * events in [from, to) (ms) that are on one of `calendarIds` (their primaries) or that one of
 * `userIds` attends, in person or through a chat, deleted ones left out, each once, in no
 * particular order, at most `limit`. Which person each is for is the caller's to tell (the
 * calendar's owner, or the person's attendance).
 */
export async function queryBusySpansOfUsers(db: Db, calendarIds: readonly string[], userIds: readonly string[], from: number, to: number, limit: number): Promise<PlacedBusySpan[]> {
  if (calendarIds.length === 0 && userIds.length === 0) return [];
  const calendars = calendarIds.length > 0 ? [...calendarIds] : [''];
  const users = userIds.length > 0 ? [...userIds] : [''];
  const rows = await db.selectFrom('events').select([...SPAN_COLUMNS, 'status', 'organizer_id', 'details', 'calendar_id'])
    .where('id', 'in', (eb) => visibleEventIds(eb, calendars, users, to))
    .where('range_end', '>', from).where('range_start', '<', to).where('deleted_at', 'is', null)
    .limit(limit).execute();
  return rows.map((row) => ({ ...toSpan(row), status: row.status, organizerId: row.organizer_id, details: JSON.parse(row.details), calendarId: row.calendar_id }));
}

/**
 * Events by id within a tenant (any order; unknown ids, and ids of other tenants, are left out).
 * The rows are found by primary key alone and their tenant checked here: with `tenant_id = ?`
 * in the statement, SQLite (no statistics) preferred `events_by_tenant_change (tenant_id, …)`
 * over a list of ids and read every event of the tenant — 51 of a 64 ms month view in a store of
 * 200,000 events (issue 21, `npm run bench -- --scale`).
 */
export async function findEventsByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<CalendarEvent[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('events').selectAll().where('id', 'in', ids).execute();
  return rows.filter((row) => row.tenant_id === tenantId).map(toEvent);
}

/**
 * The ids of the events some people see on their primary calendars, as a subquery: the union of
 * three indexed sets (the calendars' events, the people's attendances, their chats'). An OR of
 * the three read every event of the tenant (SQLite's plan: SEARCH events USING INDEX
 * events_by_tenant_change). All three are the tenant's (its calendars, its users), so the tenant
 * is not asked again here, which would lead the planner back to that index.
 * @param startsBefore when given (ms), the calendars' part reads only events starting before it
 *   (events_by_calendar_range is keyed by calendar, then start).
 */
function visibleEventIds(eb: ExpressionBuilder<Database, 'events'>, calendarIds: string[], userIds: string[], startsBefore: number | null) {
  const onCalendars = eb.selectFrom('events').select('id').where('calendar_id', 'in', calendarIds);
  return (startsBefore === null ? onCalendars : onCalendars.where('range_start', '<', startsBefore))
    .union(eb.selectFrom('attendees').select('event_id as id')
      .where('user_seq', 'in', eb.selectFrom('users').select('seq').where('id', 'in', userIds)))
    .union(eb.selectFrom('attendee_chat_members').select('event_id as id').where('user_id', 'in', userIds));
}

function filtered<O>(base: SelectQueryBuilder<Database, 'events', O>, q: EventQuery): SelectQueryBuilder<Database, 'events', O> {
  const userId = q.attendeeUserId;
  // With invitations, the events are those the user sees (visibleEventIds), looked up by id.
  let query = userId
    ? base.where('id', 'in', (eb) => visibleEventIds(eb, [q.calendarId], [userId], null))
    : base.where('tenant_id', '=', q.tenantId).where('calendar_id', '=', q.calendarId);
  if (q.from !== null) query = query.where('range_end', '>', q.from);
  if (q.to !== null) query = query.where('range_start', '<', q.to);
  if (!q.includeDeleted) query = query.where('deleted_at', 'is', null);
  if (q.changedAfter !== null) query = query.where('change_seq', '>', q.changedAfter);
  if (q.seriesMastersOnly) query = query.where('recurrence', 'is not', null).where('series_master_id', 'is', null);
  const after = q.after;
  if (after) {
    query = query.where((eb) => eb.or([
      eb('range_start', '>', after.rangeStart),
      eb.and([eb('range_start', '=', after.rangeStart), eb('id', '>', after.id)]),
    ]));
  }
  return query;
}

export interface EventSearchQuery extends EventQuery {
  /** Lower-cased text found in the summary or the description (LIKE, `\\` escapes). */
  text: string;
  /** Each non-null list: the event has at least one attendee of that kind among these refs. */
  userIds: readonly string[] | null;
  roomIds: readonly string[] | null;
  chatIds: readonly string[] | null;
}

/**
 * One page of a calendar's events (as queryEvents finds them) whose summary or description
 * contains `text` (case-insensitive: `lower()` folds ASCII on SQLite, Unicode on PostgreSQL)
 * and that have an attendee of each given list, in start order, by keyset.
 */
export async function searchEventRows(db: Db, q: EventSearchQuery): Promise<CalendarEvent[]> {
  let query = filtered(db.selectFrom('events').selectAll(), q);
  if (q.text !== '') {
    const pattern = `%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([
      eb(sql`lower(summary)`, 'like', sql`${pattern} escape '\\'`),
      eb(sql`lower(description)`, 'like', sql`${pattern} escape '\\'`),
    ]));
  }
  // Each filter asks, per event found, whether it has such an attendee (the unique index on
  // event, kind, ref): as `id IN (attendees of those refs)` SQLite read the whole attendees index
  // to list them (1,044 → 1.3 ms in a store of 5,000,000 attendee rows, issue 21).
  for (const [kind, refs] of [['user', q.userIds], ['resource', q.roomIds], ['chat', q.chatIds]] as const) {
    if (refs === null) continue;
    query = query.where((eb) => eb.exists(eb.selectFrom('attendees').select('attendees.seq').whereRef('attendees.event_id', '=', 'events.id')
      .where('attendees.kind', '=', kind).where('attendees.ref', 'in', refs.length > 0 ? [...refs] : [''])));
  }
  const rows = await query.orderBy('range_start').orderBy('id').limit(q.limit).execute();
  return rows.map(toEvent);
}
