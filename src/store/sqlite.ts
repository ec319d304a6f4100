import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.ts';
import type { Db, Store } from './store.ts';

/** File name of the embedded store inside the data directory. */
export const SQLITE_FILE = 'kalends.sqlite';

/**
 * Opens the embedded SQLite store in `dataDir` (created if missing).
 *
 * Durability: WAL journal with `synchronous = NORMAL`. A reply sent after a commit survives a
 * crash or kill of the process (the WAL is in the OS page cache and is replayed on open); on
 * power loss or an OS crash the last transactions before the failure may be rolled back, never
 * half-applied. See https://www.sqlite.org/pragma.html#pragma_synchronous.
 */
export function openSqliteStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, SQLITE_FILE);
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: 'sqlite',
    transaction: <T>(fn: (tx: Db) => Promise<T>) => db.transaction().execute(fn),
    close: () => db.destroy(),
  };
}
