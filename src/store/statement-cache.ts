import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely';

/** Statements kept per connection; Kalends issues a few hundred distinct SQL texts. */
const CAPACITY = 1000;

/**
 * better-sqlite3 behind Kysely, with prepared statements reused by SQL text. Kysely prepares
 * every query anew; preparing costs more than running a small indexed query, and one SQLite
 * connection serves every request, so the cache is the difference on the hot paths.
 * Least recently used statements are dropped beyond CAPACITY.
 */
export function cachingDatabase(db: SqliteDatabase.Database): KyselySqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = db.prepare(sql) as unknown as SqliteStatement;
        if (cache.size >= CAPACITY) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
