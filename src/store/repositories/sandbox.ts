import type { Insertable, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { Db } from '../store.ts';

export type FaultRow = Selectable<Database['faults']>;

export async function getSetting(db: Db, key: string): Promise<string | undefined> {
  return (await db.selectFrom('sandbox_settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

export async function putSetting(db: Db, key: string, value: string): Promise<void> {
  await db.insertInto('sandbox_settings').values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}

export async function insertFault(db: Db, fault: Insertable<Database['faults']>): Promise<FaultRow> {
  return db.insertInto('faults').values(fault).returningAll().executeTakeFirstOrThrow();
}

/** Faults that still have calls to spoil, oldest first. */
export function listArmedFaults(db: Db): Promise<FaultRow[]> {
  return db.selectFrom('faults').selectAll().where('remaining', '>', 0).orderBy('id').execute();
}

export async function deleteFault(db: Db, id: number): Promise<boolean> {
  const result = await db.deleteFrom('faults').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Uses up one call of the oldest armed fault of `appId` matching one of `operations`:
 * one statement, so concurrent requests (on any node) never spend the same call twice.
 * @returns the fault as it was taken, or undefined when none is armed.
 */
export function takeFault(db: Db, appId: string, operations: readonly string[]): Promise<FaultRow | undefined> {
  return db.updateTable('faults').set((eb) => ({ remaining: eb('remaining', '-', 1) }))
    .where('remaining', '>', 0)
    .where('id', '=', (eb) => eb.selectFrom('faults').select('id').where('app_id', '=', appId)
      .where('operation', 'in', operations).where('remaining', '>', 0).orderBy('id').limit(1))
    .returningAll().executeTakeFirst();
}
