import type { Config } from '../config/schema.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Store } from './store.ts';

/**
 * The store the configuration names: PostgreSQL when a database URL is set, else the SQLite file
 * in the data directory. The PostgreSQL driver is loaded only when named (a server on SQLite
 * does not keep its modules in memory).
 */
export async function openStore(config: Pick<Config, 'databaseUrl' | 'poolSize' | 'data'>, options: OpenOptions = {}): Promise<Store> {
  if (!config.databaseUrl) return openSqliteStore(config.data, { checkpoints: !options.background });
  const { openPostgresStore } = await import('./postgres.ts');
  return openPostgresStore(config.databaseUrl, options.background ? Math.min(config.poolSize, BACKGROUND_POOL_SIZE) : config.poolSize);
}

export interface OpenOptions {
  /**
   * A second connection of a process that already has the store open (the delivery thread):
   * on SQLite it leaves WAL checkpoints to the first; on PostgreSQL its pool is at most
   * BACKGROUND_POOL_SIZE connections.
   */
  background?: boolean;
}

/** Connections of a background pool: a dispatcher's pass and the records of its attempts. */
const BACKGROUND_POOL_SIZE = 4;
