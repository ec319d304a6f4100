import type { Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import { PreparedQuery } from '../prepared-query.ts';
import { hasRowLocks } from '../row-lock.ts';
import type { Db } from '../store.ts';

export interface OutboxMessage {
  tenant_id: string;
  topic: string;
  channel: string;
  recipient_id: string | null;
  event_id: string | null;
  payload: string;
}

/** Queues messages in the caller's transaction; a dispatcher delivers them after commit. */
export async function enqueue(db: Db, messages: readonly OutboxMessage[], now: number): Promise<void> {
  if (messages.length === 0) return;
  await insertMessages.run(db, { messages, now });
}

const insertMessages = new PreparedQuery((db, a: { messages: readonly OutboxMessage[]; now: number }) =>
  db.insertInto('outbox').values(a.messages.map((m) => ({
    tenant_id: m.tenant_id, topic: m.topic, channel: m.channel, recipient_id: m.recipient_id, event_id: m.event_id,
    payload: m.payload, status: 'pending', attempts: 0, created_at: a.now,
  }))), ['messages'], { deferrable: true });

export type OutboxRow = Selectable<Database['outbox']>;
/** An outbox row without its payload, as a dispatcher claims it (a change's payload can be tens of KB). */
export type OutboxHeader = Omit<OutboxRow, 'payload'>;

/**
 * Up to `limit` pending messages for one dispatcher's pass, oldest first, without their
 * payloads (read with `payloadOf` for those it takes). Nothing is written to claim them: on
 * PostgreSQL they are locked `FOR UPDATE SKIP LOCKED` in the pass's transaction, which must settle
 * the ones it takes (markDone) before it commits, so dispatchers on several nodes never take the
 * same message nor wait on each other; on SQLite they are read outside any transaction, and the
 * pass's write transaction settles those `stillPending` finds. (A claim that rewrote each row
 * would rewrite its payload too: SQLite stores a row whole.)
 */
export async function lockPending(db: Db, limit: number): Promise<OutboxHeader[]> {
  let query = db.selectFrom('outbox').select(['id', 'tenant_id', 'topic', 'channel', 'recipient_id', 'event_id', 'status', 'attempts', 'created_at'])
    .where('status', '=', 'pending').orderBy('id').limit(limit);
  if (hasRowLocks(db)) query = query.forUpdate().skipLocked();
  return query.execute();
}

const payloadById = new PreparedQuery((db, a: { id: number }) => db.selectFrom('outbox').select('payload').where('id', '=', a.id));

/** A message's payload (JSON text); '{}' if the row is gone. */
export async function payloadOf(db: Db, id: number): Promise<string> {
  return (await payloadById.first(db, { id }))?.payload ?? '{}';
}

/**
 * Settles messages the dispatcher's fan-out handled (in its transaction): `change` rows stay as
 * the history of who changed what (status `done`); notice rows, now inbox messages, go.
 */
export async function markDone(db: Db, rows: ReadonlyArray<Pick<OutboxRow, 'id' | 'channel'>>): Promise<void> {
  const changes = rows.filter((r) => r.channel === 'change').map((r) => r.id);
  const notices = rows.filter((r) => r.channel !== 'change').map((r) => r.id);
  if (changes.length > 0) await db.updateTable('outbox').set({ status: 'done' }).where('id', 'in', changes).execute();
  for (let i = 0; i < notices.length; i += 500) await db.deleteFrom('outbox').where('id', 'in', notices.slice(i, i + 500)).execute();
}

/** Which of these messages are still pending (ids; read 500 at a time): those no other dispatcher settled since they were read. */
export async function stillPending(db: Db, ids: readonly number[]): Promise<Set<number>> {
  const pending = new Set<number>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('outbox').select('id').where('status', '=', 'pending').where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) pending.add(r.id);
  }
  return pending;
}

/** Whether any message waits for the dispatcher: a read, so an idle pass never takes the write lock. */
export async function hasPending(db: Db): Promise<boolean> {
  return (await db.selectFrom('outbox').select('id').where('status', '=', 'pending').limit(1).executeTakeFirst()) !== undefined;
}
