import { PostgresAdapter } from 'kysely';
import type { Db } from './store.ts';

/**
 * True where `SELECT … FOR UPDATE` exists (PostgreSQL). SQLite has no row locks; its write
 * transactions take the database's write lock at BEGIN, which serializes them instead.
 */
export function hasRowLocks(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
