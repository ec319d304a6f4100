import type { QueryResult, SqliteDatabase } from 'kysely';
import type { Db } from './store.ts';

/**
 * Runs compiled SQL at once on the connection behind a handle, or answers undefined when it may
 * not now (the caller then goes through Kysely, which waits for the connection).
 */
type Executor = (sql: string, parameters: readonly unknown[]) => QueryResult<unknown> | undefined;

const executors = new WeakMap<Db, Executor>();

/**
 * Runs a compiled query directly on SQLite when `db` allows it, with the result Kysely's SQLite
 * driver would give (rows; or affected rows and insert id as bigints); undefined otherwise.
 *
 * Why: each statement through Kysely's executor took a connection from its provider, a chain
 * of promises and a result transformation: ~25 of the 93 KB an add-1 request allocated
 * (`bench/micro.ts --alloc --only add-1`), for a dozen statements that SQLite runs in
 * microseconds. Only SQLite handles register (sqlite.ts, sqlite-group-commit.ts); PostgreSQL
 * queries always go through Kysely.
 */
export function executeDirectly<R>(db: Db, sql: string, parameters: readonly unknown[]): QueryResult<R> | undefined {
  return executors.get(db)?.(sql, parameters) as QueryResult<R> | undefined;
}

/**
 * Lets queries through `db` run directly on `sqlite` while `allowed()` says so: the store's own
 * handle when no transaction is open on the connection (a read then sees only committed data,
 * as through Kysely, which would wait for the batch holding the connection), a group-commit
 * batch's handle while the batch runs.
 */
export function runDirectlyOn(db: Db, sqlite: SqliteDatabase, allowed: () => boolean): void {
  executors.set(db, (sql, parameters) => {
    if (!allowed()) return undefined;
    const stmt = sqlite.prepare(sql);
    if (stmt.reader) return { rows: stmt.all(parameters) as unknown[] };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  });
}

/** Stops direct execution through `db` (a batch's handle, once its batch is over). */
export function stopDirectly(db: Db): void {
  executors.delete(db);
}
