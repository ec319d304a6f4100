import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './001-initial.ts';

/**
 * The numbered migrations, in order. A migration never changes after it has landed; a new
 * schema change is a new numbered entry here.
 */
const migrations: Record<string, Migration> = {
  '001-initial': initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
