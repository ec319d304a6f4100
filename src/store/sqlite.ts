import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema.ts';
import { cachingDatabase } from './statement-cache.ts';
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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingDatabase(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    transaction: immediateTransactions(sqlite, db),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/**
 * Write transactions that take SQLite's write lock at BEGIN (`BEGIN IMMEDIATE`), so several
 * processes on one file (`--workers`) queue on the busy timeout instead of failing when a read
 * inside the transaction would have to be upgraded to a write. BEGIN, COMMIT and ROLLBACK run
 * as statements prepared once on the connection, while Kysely holds it for the transaction
 * (its driver's connection lock): going through the query builder cost two compilations and
 * several promise hops per write for three fixed words.
 */
function immediateTransactions(sqlite: SqliteDatabase.Database, db: Kysely<Database>) {
  const begin = sqlite.prepare('BEGIN IMMEDIATE');
  const commit = sqlite.prepare('COMMIT');
  const rollback = sqlite.prepare('ROLLBACK');
  return <T>(fn: (tx: Db) => Promise<T>): Promise<T> => db.connection().execute(async (conn) => {
    begin.run();
    try {
      const result = await fn(conn);
      commit.run();
      return result;
    } catch (error) {
      // SQLite may have rolled back already (https://www.sqlite.org/lang_transaction.html,
      // "Response To Errors Within A Transaction"); a second ROLLBACK would hide the error.
      if (sqlite.inTransaction) rollback.run();
      throw error;
    }
  });
}

/**
 * Writes a consistent copy of a live SQLite store to `out` with SQLite's online backup API
 * (https://www.sqlite.org/backup.html); the server may keep running.
 */
export async function backupSqlite(dataDir: string, out: string): Promise<void> {
  const source = new SqliteDatabase(path.join(dataDir, SQLITE_FILE), { readonly: true, fileMustExist: true });
  try {
    await source.backup(out);
  } finally {
    source.close();
  }
}
