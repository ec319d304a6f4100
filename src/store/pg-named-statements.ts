/**
 * Named (server-side prepared) statements for PostgreSQL, for the SQL of the hot repository
 * queries (PreparedQuery's templates: marked with `nameStatement`).
 *
 * pg sends a query with parameters as an unnamed statement: PostgreSQL parses and plans it again
 * on every call. A named statement is parsed once per connection (`Parse` once, then only
 * `Bind`/`Execute`), and after five runs PostgreSQL may keep a generic plan
 * (https://www.postgresql.org/docs/15/sql-prepare.html, "Notes"). On this machine the three
 * statements of a listAttendees page took 657–921 µs unnamed and 317–478 µs named, one
 * connection, and a third less of Node's CPU (bench/README.md, issue 21).
 *
 * Only marked SQL is named: those texts are few (one per query and list length, at most
 * MAX_NAMES in all), and migrations, which change tables between two runs of one text, never
 * run them. A schema change made by another process (a newer Kalends migrating while this one
 * serves) can still change the columns a prepared `select *` returns; PostgreSQL then refuses
 * the statement ("cached plan must not change result type", 0A000). Every name then gets a new
 * generation (the next run of each text prepares it afresh), and the query is run once more;
 * inside a transaction, which that error aborted, the error is passed on and the store's
 * transaction retry (postgres.ts) runs the whole transaction again.
 */

/**
 * Prefix of a PostgreSQL write that the connection may hold back and send with the next
 * statement of its transaction (pg-naming-client.ts); PreparedQuery's `deferrable` adds it.
 */
export const DEFERRED_MARK = '/* deferred */ ';

/** Distinct SQL texts named in a process; texts marked beyond this run unnamed. */
const MAX_NAMES = 2000;

const names = new Map<string, string>();
let generation = 0;

/** Marks `sql` (a compiled PostgreSQL query with parameters) to run as a named statement. */
export function nameStatement(sql: string): void {
  if (names.size < MAX_NAMES && !names.has(sql)) names.set(sql, `k${names.size}`);
}

/** The name `sql` runs under now, or undefined to run it unnamed. */
export function statementName(sql: string): string | undefined {
  const name = names.get(sql);
  return name === undefined ? undefined : `${name}g${generation}`;
}

/** Gives every name a new generation: each text is prepared afresh on its next run on any connection. */
export function renewStatementNames(): void {
  generation++;
}
