import { sql } from 'kysely';
import type { PartStat } from '../../core/events/event.ts';
import type { Database } from '../schema.ts';
import { PreparedQuery } from '../prepared-query.ts';
import { hasRowLocks } from '../row-lock.ts';
import type { Db } from '../store.ts';

export type AttendeeRow = Omit<Database['attendees'], 'seq'> & { seq: number };
export type NewAttendee = Omit<AttendeeRow, 'seq'>;

const userAttendee = new PreparedQuery((db, a: { eventId: string; userId: string }) =>
  db.selectFrom('attendees').selectAll().where('event_id', '=', a.eventId).where('kind', '=', 'user').where('ref', '=', a.userId));

export function findUserAttendee(db: Db, eventId: string, userId: string): Promise<AttendeeRow | undefined> {
  return userAttendee.first(db, { eventId, userId });
}

const roomAttendee = new PreparedQuery((db, a: { eventId: string; roomRef: string }) =>
  db.selectFrom('attendees').selectAll().where('event_id', '=', a.eventId).where('kind', '=', 'resource').where('ref', '=', a.roomRef));

/** The meeting rooms an event holds (its attendees of kind `resource`), in the order added. */
export function roomAttendeesOf(db: Db, eventId: string): Promise<AttendeeRow[]> {
  return db.selectFrom('attendees').selectAll().where('event_id', '=', eventId).where('kind', '=', 'resource').orderBy('seq').execute();
}

/** A meeting room's attendee row on an event (its booking), if the room attends it. */
export function findRoomAttendee(db: Db, eventId: string, roomRef: string): Promise<AttendeeRow | undefined> {
  return roomAttendee.first(db, { eventId, roomRef });
}

/**
 * Inserts attendees in one statement; a row that already exists (unique on event, kind, ref)
 * is skipped, so re-adds and concurrent adds never duplicate.
 * @returns the (kind, ref) of the rows actually inserted.
 */
export async function insertAttendees(db: Db, rows: readonly NewAttendee[]): Promise<Array<{ kind: string; ref: string }>> {
  if (rows.length === 0) return [];
  if (!hasRowLocks(db)) return insertNew.rows(db, { rows });
  return insertNewFromArrays.rows(db, {
    eventIds: rows.map((r) => r.event_id), kinds: rows.map((r) => r.kind), refs: rows.map((r) => r.ref), userSeqs: rows.map((r) => r.user_seq),
    optional: rows.map((r) => r.is_optional), partstats: rows.map((r) => r.partstat), created: rows.map((r) => r.created_at), updated: rows.map((r) => r.updated_at),
  });
}

interface AttendeeColumns {
  eventIds: string[]; kinds: string[]; refs: string[]; userSeqs: Array<number | null>;
  optional: number[]; partstats: string[]; created: number[]; updated: number[];
}

/*
 * PostgreSQL: the rows as one array per column, through `unnest`: one statement text whatever
 * the number of rows (8 parameters, a named statement), where a VALUES list of 500 rows has
 * 4,000 parameters for PostgreSQL to parse and plan on every call. Alone on this machine, 500
 * rows: 10.1–10.6 ms as VALUES, 7.8–7.9 ms through unnest (issue 21). The foreign-key check on
 * events (one lookup per row) is about 1.7 ms of those; it stays: events are deleted for good
 * by CalDAV, and the key keeps attendees from outliving theirs.
 */
const insertNewFromArrays = new PreparedQuery((db, a: AttendeeColumns) => ({
  compile: () => sql<{ kind: string; ref: string }>`insert into attendees (event_id, kind, ref, user_seq, is_optional, partstat, created_at, updated_at)
    select * from unnest(${a.eventIds}::text[], ${a.kinds}::text[], ${a.refs}::text[], ${a.userSeqs}::bigint[], ${a.optional}::int[], ${a.partstats}::text[], ${a.created}::bigint[], ${a.updated}::bigint[])
    on conflict (event_id, kind, ref) do nothing returning kind, ref`.compile(db),
}));

const insertNew = new PreparedQuery((db, a: { rows: readonly NewAttendee[] }) =>
  db.insertInto('attendees').values(a.rows.map((r) => ({
    event_id: r.event_id, kind: r.kind, ref: r.ref, user_seq: r.user_seq, is_optional: r.is_optional, partstat: r.partstat, created_at: r.created_at, updated_at: r.updated_at,
  }))).onConflict((oc) => oc.columns(['event_id', 'kind', 'ref']).doNothing()).returning(['kind', 'ref']), ['rows']);

/** Deletes the named attendees of one kind; @returns how many rows were deleted. */
export async function deleteAttendees(db: Db, eventId: string, kind: string, refs: readonly string[]): Promise<number> {
  if (refs.length === 0) return 0;
  if (kind === 'chat') {
    await db.deleteFrom('attendee_chat_members').where('attendee_seq', 'in', (eb) => eb.selectFrom('attendees').select('seq')
      .where('event_id', '=', eventId).where('kind', '=', 'chat').where('ref', 'in', refs)).execute();
  }
  const result = await deleteByRefs.run(db, { eventId, kind, refs });
  return Number(result.numAffectedRows ?? 0);
}

const deleteByRefs = new PreparedQuery((db, a: { eventId: string; kind: string; refs: readonly string[] }) =>
  db.deleteFrom('attendees').where('event_id', '=', a.eventId).where('kind', '=', a.kind).where('ref', 'in', a.refs), ['refs']);

/** One page of an event's attendees in the order they were added (keyset on seq). */
export function pageAttendees(db: Db, eventId: string, afterSeq: number, limit: number): Promise<AttendeeRow[]> {
  return attendeePage.rows(db, { eventId, afterSeq, limit });
}

const attendeePage = new PreparedQuery((db, a: { eventId: string; afterSeq: number; limit: number }) =>
  db.selectFrom('attendees').selectAll().where('event_id', '=', a.eventId).where('seq', '>', a.afterSeq).orderBy('seq').limit(a.limit));

/** What rendering a user attendee shows of the user (absent when the directory has no such user). */
export interface AttendeeUser { name: string; union_id: string; open_id: string | null; user_id: string | null; email: string | null }

/** An attendee as listed: the columns a view shows. */
export type ListedAttendee = Pick<AttendeeRow, 'seq' | 'kind' | 'ref' | 'is_optional' | 'partstat'>;

/**
 * One page of an event's attendees (keyset on seq, as pageAttendees), only the columns a view
 * shows; their users' names and ids come from core/attendees/attendee-users.ts.
 */
export function pageListedAttendees(db: Db, eventId: string, afterSeq: number, limit: number): Promise<ListedAttendee[]> {
  return listedPage.rows(db, { eventId, afterSeq, limit });
}

const listedPage = new PreparedQuery((db, a: { eventId: string; afterSeq: number; limit: number }) =>
  db.selectFrom('attendees').select(['seq', 'kind', 'ref', 'is_optional', 'partstat'])
    .where('event_id', '=', a.eventId).where('seq', '>', a.afterSeq).orderBy('seq').limit(a.limit));

export async function setPartstat(db: Db, seq: number, partstat: PartStat, now: number): Promise<void> {
  await partstatUpdate.run(db, { seq, partstat, now });
}

const partstatUpdate = new PreparedQuery((db, a: { seq: number; partstat: PartStat; now: number }) =>
  db.updateTable('attendees').set({ partstat: a.partstat, updated_at: a.now }).where('seq', '=', a.seq), [], { deferrable: true });

/** Every user attendee's internal id, for notifying everyone invited. */
export async function userAttendeeIds(db: Db, eventId: string): Promise<string[]> {
  const rows = await db.selectFrom('attendees').select('ref').where('event_id', '=', eventId).where('kind', '=', 'user').execute();
  return rows.map((r) => r.ref);
}

/** The attendee rows of an event for the given (kind, ref) pairs, in seq order. */
export async function findAttendeesByRefs(db: Db, eventId: string, refs: ReadonlyArray<{ kind: string; ref: string }>): Promise<AttendeeRow[]> {
  if (refs.length === 0) return [];
  const rows = await attendeesByRefs.rows(db, { eventId, refs: refs.map((r) => r.ref) });
  const wanted = new Set(refs.map((r) => `${r.kind}:${r.ref}`));
  return rows.filter((r) => wanted.has(`${r.kind}:${r.ref}`));
}

const attendeesByRefs = new PreparedQuery((db, a: { eventId: string; refs: readonly string[] }) =>
  db.selectFrom('attendees').selectAll().where('event_id', '=', a.eventId).where('ref', 'in', a.refs).orderBy('seq'), ['refs']);

export type ChatMemberRow = Database['attendee_chat_members'];

/** Records the members of a chat attendee, each with their own answer. */
export async function insertChatMembers(db: Db, rows: readonly ChatMemberRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('attendee_chat_members').values([...rows])
    .onConflict((oc) => oc.columns(['attendee_seq', 'user_id']).doNothing()).execute();
}

/** The members of the given chat attendees, in user order. */
export async function chatMembersOf(db: Db, attendeeSeqs: readonly number[]): Promise<ChatMemberRow[]> {
  if (attendeeSeqs.length === 0) return [];
  return db.selectFrom('attendee_chat_members').selectAll().where('attendee_seq', 'in', attendeeSeqs).orderBy('attendee_seq').orderBy('user_id').execute();
}

/** One page of a chat attendee's members, keyset on the member's user id. */
export function pageChatMembers(db: Db, attendeeSeq: number, afterUserId: string, limit: number): Promise<ChatMemberRow[]> {
  return db.selectFrom('attendee_chat_members').selectAll()
    .where('attendee_seq', '=', attendeeSeq).where('user_id', '>', afterUserId)
    .orderBy('user_id').limit(limit).execute();
}

const chatMembership = new PreparedQuery((db, a: { eventId: string; userId: string }) =>
  db.selectFrom('attendee_chat_members').select('attendee_seq').where('user_id', '=', a.userId).where('event_id', '=', a.eventId));

export async function isChatMember(db: Db, eventId: string, userId: string): Promise<boolean> {
  return (await chatMembership.first(db, { eventId, userId })) !== undefined;
}

/** Sets a user's answer in every chat attendee of the event they belong to; @returns rows changed. */
export async function setChatMemberPartstat(db: Db, eventId: string, userId: string, partstat: PartStat, now: number): Promise<number> {
  const result = await db.updateTable('attendee_chat_members').set({ partstat, updated_at: now })
    .where('event_id', '=', eventId).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function findAttendeeBySeq(db: Db, eventId: string, seq: number): Promise<AttendeeRow | undefined> {
  return db.selectFrom('attendees').selectAll().where('event_id', '=', eventId).where('seq', '=', seq).executeTakeFirst();
}

/** Deletes attendees by sequence number; @returns how many were deleted. */
export async function deleteAttendeesBySeq(db: Db, eventId: string, seqs: readonly number[]): Promise<number> {
  if (seqs.length === 0) return 0;
  await db.deleteFrom('attendee_chat_members').where('attendee_seq', 'in', seqs).execute();
  const result = await db.deleteFrom('attendees').where('event_id', '=', eventId).where('seq', 'in', seqs).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** A user's answer as a member of one of the event's chat attendees, if they are one. */
export async function chatMemberPartstat(db: Db, eventId: string, userId: string): Promise<string | undefined> {
  const row = await db.selectFrom('attendee_chat_members').select('partstat')
    .where('user_id', '=', userId).where('event_id', '=', eventId).executeTakeFirst();
  return row?.partstat;
}

/**
 * The first `limit` attendees (in the order added, as pageListedAttendees) of each of several
 * events, in one query (a window function per event), for views listing many events.
 * @returns the rows by event id (events without attendees are absent).
 */
export async function listedAttendeesOf(db: Db, eventIds: readonly string[], limit: number): Promise<Map<string, ListedAttendee[]>> {
  const found = new Map<string, ListedAttendee[]>();
  if (eventIds.length === 0) return found;
  const rows = await db.selectFrom((eb) => eb.selectFrom('attendees')
    .select(['event_id', 'seq', 'kind', 'ref', 'is_optional', 'partstat'])
    .select((e) => sql<number>`row_number() over (partition by ${e.ref('event_id')} order by ${e.ref('seq')})`.as('n'))
    .where('event_id', 'in', eventIds).as('ranked'))
    .selectAll().where('n', '<=', limit).orderBy('event_id').orderBy('seq').execute();
  for (const r of rows) {
    let list = found.get(r.event_id);
    if (!list) found.set(r.event_id, (list = []));
    list.push({ seq: Number(r.seq), kind: r.kind, ref: r.ref, is_optional: Number(r.is_optional), partstat: r.partstat });
  }
  return found;
}

/**
 * One user's answer on each of several events, as a user attendee or else as a member of a
 * chat attendee (as findUserAttendee then chatMemberPartstat), in two queries.
 * @returns the answers by event id (events the user is not invited to are absent).
 */
export async function viewerPartstatsOf(db: Db, eventIds: readonly string[], userId: string): Promise<Map<string, string>> {
  return (await partstatsOfUsers(db, eventIds, [userId])).get(userId)!;
}

/**
 * viewerPartstatsOf for several people at once: each one's answer on each of the events, by
 * user id, then event id (a user's own attendee row over their chats' answers).
 */
export async function partstatsOfUsers(db: Db, eventIds: readonly string[], userIds: readonly string[]): Promise<Map<string, Map<string, string>>> {
  const found = new Map<string, Map<string, string>>(userIds.map((u) => [u, new Map()]));
  if (eventIds.length === 0 || userIds.length === 0) return found;
  const inChats = await db.selectFrom('attendee_chat_members').select(['user_id', 'event_id', 'partstat'])
    .where('user_id', 'in', userIds).where('event_id', 'in', eventIds).execute();
  for (const r of inChats) {
    const answers = found.get(r.user_id)!;
    if (!answers.has(r.event_id)) answers.set(r.event_id, r.partstat);
  }
  const own = await db.selectFrom('attendees').select(['ref', 'event_id', 'partstat'])
    .where('event_id', 'in', eventIds).where('kind', '=', 'user').where('ref', 'in', userIds).execute();
  for (const r of own) found.get(r.ref)!.set(r.event_id, r.partstat);
  return found;
}

/** A meeting room's booking answer on each of several events, by event id (absent: not booked there). */
export async function roomPartstatsOf(db: Db, eventIds: readonly string[], roomRef: string): Promise<Map<string, string>> {
  if (eventIds.length === 0) return new Map();
  const rows = await db.selectFrom('attendees').select(['event_id', 'partstat'])
    .where('event_id', 'in', eventIds).where('kind', '=', 'resource').where('ref', '=', roomRef).execute();
  return new Map(rows.map((r) => [r.event_id, r.partstat]));
}
