import { sql } from 'kysely';
import { PreparedQuery } from '../prepared-query.ts';
import { hasRowLocks } from '../row-lock.ts';
import type { Db } from '../store.ts';

/*
 * Change-log positions: where each change of a tenant sits for sync tokens (DingTalk ListEvents
 * `syncToken`, Feishu `sync_token`). A changed event row carries its position in
 * `events.change_seq`; a token is a position P with one promise: every change at a position ≤ P
 * was committed and visible when the token was issued, so the next sync, `change_seq > P`,
 * returns every change committed since (it may return one again; a sync reply is the event's
 * current state, so a repeat is harmless, a gap is not).
 *
 * SQLite: one writer at a time (BEGIN IMMEDIATE). A per-tenant counter row in `change_log`,
 * bumped inside the write transaction, gives dense positions in commit order at the cost of one
 * cached statement; it serializes nothing that the single writer does not already serialize.
 *
 * PostgreSQL: that counter row would be a tenant-wide lock held from the bump to COMMIT, so every
 * write of a tenant, on every node, would run one at a time (issue 21: 27 ms mean wait on the
 * upsert under load, 98% of statement time). Instead a change's position is its transaction's id
 * (`pg_current_xact_id()`: 64 bits, epoch included, never wraps), and a token is the current
 * snapshot's xmin − 1 (`pg_snapshot_xmin(pg_current_snapshot())`). PostgreSQL documents xmin
 * (System Information Functions, "Snapshot Components") as the "lowest transaction ID that was
 * still active. All transaction IDs less than xmin are either committed and visible, or rolled
 * back and dead": visible also to every later statement, such as the sync's own query, which runs
 * after the token is taken. A transaction still running when the token is taken, or not
 * yet begun, has an id ≥ xmin, so it is above the token and the next sync returns its change.
 * Positions are no longer dense, nor unique (one transaction's changes share its id), nor in
 * commit order; the promise needs none of that, and no write waits for another on any lock here.
 * The price: while any transaction of the cluster is open, tokens stay behind it, and a sync may
 * repeat changes the previous one returned. (PgQ's batches rest on the same snapshot functions.)
 *
 * PostgreSQL positions are the transaction id plus 2^40, above anything the former per-tenant
 * counter reached, so a token issued by an older Kalends (a counter value) still returns every
 * change made since the upgrade. 2^40 + a 64-bit xid8 stays below 2^53 until its epoch passes 2^20
 * (a million wraparounds of 32-bit ids), so positions remain exact JavaScript numbers.
 */

/** Added to PostgreSQL transaction ids (see above): above every position of the old counter. */
const XID_BASE = 2 ** 40;

/** The position a transaction's changes take, remembered per transaction (one query per write). */
const positions = new WeakMap<Db, number>();

/**
 * The change-log position of a change written by the transaction `tx` (a number; larger than
 * every position already visible). On SQLite, the tenant's next counter value; on PostgreSQL, the
 * transaction's id (the same for all its changes) plus 2^40, taking no lock.
 */
export async function nextChangeSeq(tx: Db, tenantId: string): Promise<number> {
  if (!hasRowLocks(tx)) return Number((await takeSeq.first(tx, { tenantId }))!.seq);
  const known = positions.get(tx);
  if (known !== undefined) return known;
  const seq = Number((await transactionPosition.first(tx, {}))!.seq);
  // Outside a transaction each statement is its own transaction: nothing is remembered.
  rememberPosition(tx, seq);
  return seq;
}

const takeSeq = new PreparedQuery((db, a: { tenantId: string }) =>
  db.insertInto('change_log').values({ tenant_id: a.tenantId, seq: 1 })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet((eb) => ({ seq: eb('change_log.seq', '+', 1) })))
    .returning('seq'));

/**
 * PostgreSQL: the position of the running transaction's changes, as a column a statement the
 * write runs anyway can select (events.ts selects it with the event's row lock), saving
 * nextChangeSeq its own round trip; the value goes to rememberPosition.
 */
export const transactionPositionSql = sql<number>`pg_current_xact_id()::text::bigint + ${sql.lit(XID_BASE)}`;

/** Remembers the position a statement of the transaction `tx` selected (transactionPositionSql). */
export function rememberPosition(tx: Db, seq: number): void {
  if (tx.isTransaction) positions.set(tx, seq);
}

const transactionPosition = new PreparedQuery((db) => db.selectNoFrom(transactionPositionSql.as('seq')));

/**
 * The position to hand out as a sync token: every change at or below it is committed and visible
 * to queries that start after this one (see above). SQLite: the tenant's counter (0 before any
 * change); PostgreSQL: the oldest running transaction's id − 1, plus 2^40 (the same for every
 * tenant).
 */
export async function currentChangeSeq(db: Db, tenantId: string): Promise<number> {
  if (hasRowLocks(db)) return Number((await visiblePosition.first(db, {}))!.seq);
  const row = await db.selectFrom('change_log').select('seq').where('tenant_id', '=', tenantId).executeTakeFirst();
  return row ? Number(row.seq) : 0;
}

const visiblePosition = new PreparedQuery((db) =>
  db.selectNoFrom(sql<number>`pg_snapshot_xmin(pg_current_snapshot())::text::bigint - 1 + ${sql.lit(XID_BASE)}`.as('seq')));
