import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** A connection or an open transaction; repositories accept either. */
export type Db = Kysely<Database>;

/**
 * The persistent store behind the core: a Kysely instance plus the transaction boundary.
 * Every write path runs in exactly one `transaction`, so a crash leaves all of it or none.
 */
export interface Store {
  readonly db: Db;
  readonly dialect: 'sqlite' | 'postgres';
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Resolves when the store answers a trivial query (for health checks); rejects otherwise. */
  ping(): Promise<void>;
  /** What the store's connections are doing now, for the metrics. */
  stats(): StoreStats;
  close(): Promise<void>;
}

/** A store's gauges: SQLite's WAL, or PostgreSQL's pool (connections of this process). */
export type StoreStats =
  | { dialect: 'sqlite'; walBytes: number; checkpoints: number }
  | { dialect: 'postgres'; total: number; idle: number; waiting: number };

/**
 * An object that stands for the store behind `db`, the same for its transactions and
 * connections: the dialect adapter of the store's Kysely instance (one per store; reached
 * through `getExecutor()`, which Kysely marks internal, as prepared-query.ts and row-lock.ts do:
 * check it on a Kysely upgrade). What a process remembers of a store's rows is kept under it,
 * since two stores in one process (an embedder's, a test's) may name different users by the
 * same tenant and unionId.
 */
export function storeIdentity(db: Db): object {
  return db.getExecutor().adapter;
}
