import type { Config } from '../config/schema.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Store } from './store.ts';

/**
 * The store the configuration names: PostgreSQL when a database URL is set, else the SQLite file
 * in the data directory. The PostgreSQL driver is loaded only when named (a server on SQLite
 * does not keep its modules in memory).
 */
export async function openStore(config: Pick<Config, 'databaseUrl' | 'poolSize' | 'data'>): Promise<Store> {
  if (!config.databaseUrl) return openSqliteStore(config.data);
  const { openPostgresStore } = await import('./postgres.ts');
  return openPostgresStore(config.databaseUrl, config.poolSize);
}
