import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from './schema.ts';
import { isCachedPlanChanged, NamingClient } from './pg-naming-client.ts';
import type { Store } from './store.ts';

// int8 (bigint) columns hold epoch milliseconds and counters, all far below 2^53: read them as numbers.
pg.types.setTypeParser(20, (value) => Number(value));

/**
 * Opens the PostgreSQL store: a connection pool of `poolSize` connections to `url`.
 * Several Kalends processes may share one database; invariants hold through row locks and
 * unique indexes, never process memory.
 */
export function openPostgresStore(url: string, poolSize: number): Store {
  // NamingClient: the hot queries as named statements (pg-named-statements.ts).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, Client: NamingClient });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    transaction: (fn) => withRetries(() => db.transaction().execute(fn)),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    stats: () => ({ dialect: 'postgres', total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => db.destroy(),
  };
}

/** PostgreSQL's "try again" errors: serialization failure and deadlock detected. */
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Runs a whole transaction again when PostgreSQL aborted it as a deadlock victim or for a
 * serialization failure, or because a named statement's result columns changed under it
 * (pg-naming-client.ts; nothing of it was applied), up to three tries.
 */
async function withRetries<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 3 || !code || !(RETRYABLE.has(code) || isCachedPlanChanged(error))) throw error;
    }
  }
}
