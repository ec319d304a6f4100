import type { Db } from '../store.ts';

/** The outbox's backlog: messages not yet delivered, and when the oldest of them was queued (Unix ms). */
export async function outboxBacklog(db: Db): Promise<{ pending: number; oldestCreatedAt: number | null }> {
  const row = await db.selectFrom('outbox').where('status', '=', 'pending')
    .select((eb) => [eb.fn.countAll<string | number>().as('pending'), eb.fn.min('created_at').as('oldest')])
    .executeTakeFirst();
  return { pending: Number(row?.pending ?? 0), oldestCreatedAt: row?.oldest == null ? null : Number(row.oldest) };
}

/** Event callbacks by status (`pending`, `sending`, `delivered`, `dead`) and app platform, with their attempts. */
export async function deliveryTotals(db: Db): Promise<{ status: string; platform: string; count: number; attempts: number }[]> {
  const rows = await db.selectFrom('deliveries').innerJoin('apps', 'apps.id', 'deliveries.app_id')
    .select((eb) => ['deliveries.status', 'apps.platform', eb.fn.countAll<string | number>().as('count'), eb.fn.sum<string | number>('deliveries.attempts').as('attempts')])
    .groupBy(['deliveries.status', 'apps.platform'])
    .execute();
  return rows.map((r) => ({ status: r.status, platform: r.platform, count: Number(r.count), attempts: Number(r.attempts ?? 0) }));
}
