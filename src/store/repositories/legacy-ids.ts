import type { Db } from '../store.ts';

/** The legacy numeric ids of some events of a tenant (those that have one), by event id. */
export async function legacyIdsOf(db: Db, eventIds: readonly string[]): Promise<Map<string, number>> {
  if (eventIds.length === 0) return new Map();
  const rows = await db.selectFrom('event_legacy_ids').select(['event_id', 'legacy_id']).where('event_id', 'in', eventIds).execute();
  return new Map(rows.map((r) => [r.event_id, Number(r.legacy_id)]));
}

/** The events of a tenant behind some legacy ids: legacy id → event id (unknown ids absent). */
export async function eventsByLegacyIds(db: Db, tenantId: string, legacyIds: readonly number[]): Promise<Map<number, string>> {
  if (legacyIds.length === 0) return new Map();
  const rows = await db.selectFrom('event_legacy_ids').select(['event_id', 'legacy_id'])
    .where('tenant_id', '=', tenantId).where('legacy_id', 'in', legacyIds).execute();
  return new Map(rows.map((r) => [Number(r.legacy_id), r.event_id]));
}
