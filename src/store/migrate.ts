import { Migrator } from 'kysely';
import { migrationProvider } from './migrations/index.ts';
import type { Store } from './store.ts';

/**
 * Applies every pending numbered migration, in order.
 * @returns the names of the migrations applied by this call.
 * @throws the migration's error, after Kysely rolled that migration back.
 */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
