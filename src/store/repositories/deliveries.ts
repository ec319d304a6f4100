import type { Insertable, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import { hasRowLocks } from '../row-lock.ts';
import type { Db } from '../store.ts';

export type DeliveryRow = Selectable<Database['deliveries']>;
export type NewDelivery = Insertable<Database['deliveries']>;

export async function insertDeliveries(db: Db, rows: readonly NewDelivery[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('deliveries').values(rows.slice(i, i + 200)).execute();
}

/**
 * Claims up to `limit` deliveries that are due (pending, or `sending` whose lease ran out
 * because the dispatcher that held them stopped): marks them `sending` until `now + leaseMs`
 * and counts the attempt. On PostgreSQL the candidates are picked `FOR UPDATE SKIP LOCKED`,
 * so two dispatchers never claim the same delivery.
 */
export async function claimDueDeliveries(db: Db, now: number, limit: number, leaseMs: number): Promise<DeliveryRow[]> {
  // A read first, so an idle pass never takes SQLite's write lock.
  const due = await db.selectFrom('deliveries').select('id').where('status', 'in', ['pending', 'sending'])
    .where('next_attempt_at', '<=', now).limit(1).executeTakeFirst();
  if (!due) return [];
  const rows = await db.updateTable('deliveries')
    .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), next_attempt_at: now + leaseMs }))
    .where('id', 'in', (eb) => {
      let pick = eb.selectFrom('deliveries').select('id')
        .where('status', 'in', ['pending', 'sending']).where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at').limit(limit);
      if (hasRowLocks(db)) pick = pick.forUpdate().skipLocked();
      return pick;
    })
    .returningAll().execute();
  return rows.sort((a, b) => a.id - b.id);
}

/** Records one attempt's outcome; `status` `pending` schedules the next try at `next_attempt_at`. */
export async function recordAttempt(
  db: Db,
  id: number,
  attempt: number,
  fields: Pick<DeliveryRow, 'status' | 'next_attempt_at' | 'sent_body' | 'sent_headers' | 'last_status' | 'last_reply' | 'last_error' | 'finished_at'>,
): Promise<void> {
  // Only the claim that made this attempt may record it: a dispatcher whose lease ran out and
  // whose delivery was claimed again by another must not overwrite the newer attempt.
  await db.updateTable('deliveries').set(fields).where('id', '=', id).where('attempts', '=', attempt).execute();
}

/** Deliveries, newest first, optionally of one app and one status, at most `limit`. */
export function listDeliveries(db: Db, filter: { appId?: string; status?: string; limit: number }): Promise<DeliveryRow[]> {
  let query = db.selectFrom('deliveries').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.appId) query = query.where('app_id', '=', filter.appId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.execute();
}
