import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema.ts';
import { cachingDatabase } from './statement-cache.ts';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer } from './sqlite-checkpointer.ts';
import { groupCommitTransactions } from './sqlite-group-commit.ts';
import type { Db, Store } from './store.ts';

/** File name of the embedded store inside the data directory. */
export const SQLITE_FILE = 'kalends.sqlite';

/**
 * Opens the embedded SQLite store in `dataDir` (created if missing).
 *
 * Durability: WAL journal with `synchronous = NORMAL`. A reply sent after a commit survives a
 * crash or kill of the process (the WAL is in the OS page cache and is replayed on open); on
 * power loss or an OS crash the last transactions before the failure may be rolled back, never
 * half-applied. See https://www.sqlite.org/pragma.html#pragma_synchronous. WAL checkpoints run
 * in a background thread (`sqlite-checkpointer.ts`).
 * @param options.checkpoints false for a second connection of a process that has the file open
 *   already (the delivery thread's): the first one's checkpointer serves both.
 */
export function openSqliteStore(dataDir: string, options: { checkpoints?: boolean } = {}): Store {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, SQLITE_FILE);
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // Savepoint and statement journals (the original of every page a group-commit savepoint
  // or a multi-row statement changes) in memory, not a temporary file: a 500-attendee write
  // touches hundreds of pages (https://www.sqlite.org/tempfiles.html, section 2.6).
  sqlite.pragma('temp_store = MEMORY');
  // A second connection of the process (the delivery thread's) leaves checkpoints to the first.
  const background = options.checkpoints === false;
  const checkpointer = background ? undefined : startCheckpointer(sqlite, file);
  if (background) sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingDatabase(sqlite) }) });
  const writes = groupCommitTransactions(sqlite, db);
  return {
    db,
    dialect: 'sqlite',
    transaction: writes.transaction,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    stats: () => ({ dialect: 'sqlite', walBytes: walBytes(file), checkpoints: checkpointer?.checkpoints ?? 0 }),
    close: async () => {
      await writes.settled();
      await checkpointer?.stop();
      await db.destroy();
    },
  };
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

/** Size of the store's WAL file in bytes (0 when there is none: after a clean close). */
function walBytes(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}
