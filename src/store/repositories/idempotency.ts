import type { Database } from '../schema.ts';
import { PreparedQuery } from '../prepared-query.ts';
import { hasRowLocks } from '../row-lock.ts';
import type { Db } from '../store.ts';

export type IdempotencyRow = Database['idempotency_keys'];
type Claim = Pick<IdempotencyRow, 'app_id' | 'key' | 'request_hash' | 'created_at'>;

/** Claims a fresh key; @returns false when the key already has a row (nothing written). */
export async function insertClaim(db: Db, claim: Claim): Promise<boolean> {
  return (await claimKey.rows(db, claim)).length === 1;
}

/**
 * Claims a fresh key, or makes the transaction fail. On PostgreSQL in a transaction, the insert
 * is held on the connection (PreparedQuery's `deferrable`) and goes with the transaction's next
 * statement, saving the claim its own round trip: @returns true at once, and a key that already
 * has a row makes that statement fail with the error `isClaimTaken` recognises (the transaction
 * is then rolled back whole: the caller decides again in a new one). Elsewhere as insertClaim:
 * @returns false when the key already has a row, nothing written.
 */
export async function claimOrFailLater(db: Db, claim: Claim): Promise<boolean> {
  if (!hasRowLocks(db) || !db.isTransaction) return insertClaim(db, claim);
  await heldClaim.run(db, claim);
  return true;
}

/** Whether `error` is claimOrFailLater's held claim meeting a key that already had a row (unique_violation). */
export function isClaimTaken(error: unknown): boolean {
  const e = error as { code?: string; table?: string };
  return e.code === '23505' && e.table === 'idempotency_keys';
}

const heldClaim = new PreparedQuery((db, c: Claim) =>
  db.insertInto('idempotency_keys')
    .values({ app_id: c.app_id, key: c.key, request_hash: c.request_hash, created_at: c.created_at, state: 'processing', reply_status: null, reply_body: null }),
[], { deferrable: true });

const claimKey = new PreparedQuery((db, c: Claim) =>
  db.insertInto('idempotency_keys')
    .values({ app_id: c.app_id, key: c.key, request_hash: c.request_hash, created_at: c.created_at, state: 'processing', reply_status: null, reply_body: null })
    .onConflict((oc) => oc.columns(['app_id', 'key']).doNothing()).returning('key'));

/** The key's row, locked until the transaction ends where the store has row locks. */
export function findKeyLocked(db: Db, appId: string, key: string): Promise<IdempotencyRow | undefined> {
  let query = db.selectFrom('idempotency_keys').selectAll().where('app_id', '=', appId).where('key', '=', key);
  if (hasRowLocks(db)) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Takes over an expired or abandoned claim for a new request. */
export async function reclaimKey(db: Db, claim: Claim): Promise<void> {
  await db.updateTable('idempotency_keys')
    .set({ request_hash: claim.request_hash, state: 'processing', reply_status: null, reply_body: null, created_at: claim.created_at })
    .where('app_id', '=', claim.app_id).where('key', '=', claim.key).execute();
}

export async function completeKey(db: Db, appId: string, key: string, status: number, body: string): Promise<void> {
  await complete.run(db, { appId, key, status, body });
}

const complete = new PreparedQuery((db, a: { appId: string; key: string; status: number; body: string }) =>
  db.updateTable('idempotency_keys').set({ state: 'done', reply_status: a.status, reply_body: a.body })
    .where('app_id', '=', a.appId).where('key', '=', a.key), [], { deferrable: true });
