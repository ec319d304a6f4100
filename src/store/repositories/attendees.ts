import type { PartStat } from '../../core/events/event.ts';
import type { Database } from '../schema.ts';
import type { Db } from '../store.ts';

export type AttendeeRow = Omit<Database['attendees'], 'seq'> & { seq: number };
export type NewAttendee = Omit<AttendeeRow, 'seq'>;

export function findUserAttendee(db: Db, eventId: string, userId: string): Promise<AttendeeRow | undefined> {
  return db.selectFrom('attendees').selectAll()
    .where('event_id', '=', eventId).where('kind', '=', 'user').where('ref', '=', userId)
    .executeTakeFirst();
}

/** Of `refs` (all of one kind), those already attendees of the event. */
export async function existingRefs(db: Db, eventId: string, kind: string, refs: readonly string[]): Promise<Set<string>> {
  if (refs.length === 0) return new Set();
  const rows = await db.selectFrom('attendees').select('ref')
    .where('event_id', '=', eventId).where('kind', '=', kind).where('ref', 'in', refs).execute();
  return new Set(rows.map((r) => r.ref));
}

/**
 * Inserts attendees in one statement; a row that already exists (unique on event, kind, ref)
 * is skipped, so concurrent adds never duplicate.
 * @returns how many rows were inserted.
 */
export async function insertAttendees(db: Db, rows: readonly NewAttendee[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db.insertInto('attendees').values([...rows])
    .onConflict((oc) => oc.columns(['event_id', 'kind', 'ref']).doNothing())
    .returning('seq').execute();
  return inserted.length;
}

/** Deletes the named attendees of one kind; @returns how many rows were deleted. */
export async function deleteAttendees(db: Db, eventId: string, kind: string, refs: readonly string[]): Promise<number> {
  if (refs.length === 0) return 0;
  const result = await db.deleteFrom('attendees')
    .where('event_id', '=', eventId).where('kind', '=', kind).where('ref', 'in', refs).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** One page of an event's attendees in the order they were added (keyset on seq). */
export function pageAttendees(db: Db, eventId: string, afterSeq: number, limit: number): Promise<AttendeeRow[]> {
  return db.selectFrom('attendees').selectAll()
    .where('event_id', '=', eventId).where('seq', '>', afterSeq)
    .orderBy('seq').limit(limit).execute();
}

export async function setPartstat(db: Db, seq: number, partstat: PartStat, now: number): Promise<void> {
  await db.updateTable('attendees').set({ partstat, updated_at: now }).where('seq', '=', seq).execute();
}

/** Every user attendee's internal id, for notifying everyone invited. */
export async function userAttendeeIds(db: Db, eventId: string): Promise<string[]> {
  const rows = await db.selectFrom('attendees').select('ref').where('event_id', '=', eventId).where('kind', '=', 'user').execute();
  return rows.map((r) => r.ref);
}

/** The attendee rows of an event for the given (kind, ref) pairs, in seq order. */
export async function findAttendeesByRefs(db: Db, eventId: string, refs: ReadonlyArray<{ kind: string; ref: string }>): Promise<AttendeeRow[]> {
  if (refs.length === 0) return [];
  const rows = await db.selectFrom('attendees').selectAll().where('event_id', '=', eventId)
    .where('ref', 'in', refs.map((r) => r.ref)).orderBy('seq').execute();
  const wanted = new Set(refs.map((r) => `${r.kind}:${r.ref}`));
  return rows.filter((r) => wanted.has(`${r.kind}:${r.ref}`));
}
