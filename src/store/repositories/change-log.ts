import { PreparedQuery } from '../prepared-query.ts';
import type { Db } from '../store.ts';

/**
 * Takes the tenant's next change-log position in one upsert. The row stays locked until the
 * transaction ends, so positions are handed out in commit order (sync tokens never skip a change).
 */
export async function nextChangeSeq(db: Db, tenantId: string): Promise<number> {
  const row = await takeSeq.first(db, { tenantId });
  return Number(row!.seq);
}

const takeSeq = new PreparedQuery((db, a: { tenantId: string }) =>
  db.insertInto('change_log').values({ tenant_id: a.tenantId, seq: 1 })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet((eb) => ({ seq: eb('change_log.seq', '+', 1) })))
    .returning('seq'));

/** The tenant's current change-log position (0 before any change). */
export async function currentChangeSeq(db: Db, tenantId: string): Promise<number> {
  const row = await db.selectFrom('change_log').select('seq').where('tenant_id', '=', tenantId).executeTakeFirst();
  return row ? Number(row.seq) : 0;
}
