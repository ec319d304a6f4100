import type { Database } from '../schema.ts';
import type { Db } from '../store.ts';

export type IdempotencyRow = Database['idempotency_keys'];

export function findKey(db: Db, appId: string, key: string): Promise<IdempotencyRow | undefined> {
  return db.selectFrom('idempotency_keys').selectAll().where('app_id', '=', appId).where('key', '=', key).executeTakeFirst();
}

/** Claims a key for a request in progress, replacing an expired or abandoned claim. */
export async function claimKey(db: Db, row: Pick<IdempotencyRow, 'app_id' | 'key' | 'request_hash' | 'created_at'>): Promise<void> {
  await db.insertInto('idempotency_keys').values({ ...row, state: 'processing', reply_status: null, reply_body: null })
    .onConflict((oc) => oc.columns(['app_id', 'key']).doUpdateSet({
      request_hash: row.request_hash, state: 'processing', reply_status: null, reply_body: null, created_at: row.created_at,
    })).execute();
}

export async function completeKey(db: Db, appId: string, key: string, status: number, body: string): Promise<void> {
  await db.updateTable('idempotency_keys').set({ state: 'done', reply_status: status, reply_body: body })
    .where('app_id', '=', appId).where('key', '=', key).execute();
}

export async function releaseKey(db: Db, appId: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('app_id', '=', appId).where('key', '=', key).where('state', '=', 'processing').execute();
}
