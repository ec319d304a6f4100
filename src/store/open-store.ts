import type { Config } from '../config/schema.ts';
import { openPostgresStore } from './postgres.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Store } from './store.ts';

/** The store the configuration names: PostgreSQL when a database URL is set, else the SQLite file in the data directory. */
export function openStore(config: Pick<Config, 'databaseUrl' | 'poolSize' | 'data'>): Store {
  return config.databaseUrl ? openPostgresStore(config.databaseUrl, config.poolSize) : openSqliteStore(config.data);
}
