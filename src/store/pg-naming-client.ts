import pg from 'pg';
import { DEFERRED_MARK, nameStatement, renewStatementNames, statementName } from './pg-named-statements.ts';

/** Statements with more parameters (long multi-row inserts, long lists) stay unnamed: each named one is kept by every connection's server process. */
const MAX_PARAMETERS = 256;
const CACHED_PLAN_CHANGED = '0A000';
const IN_FAILED_TRANSACTION = '25P02';

/** Whether an error is PostgreSQL refusing a prepared statement whose result columns changed. */
export function isCachedPlanChanged(error: unknown): boolean {
  return (error as { code?: string }).code === CACHED_PLAN_CHANGED;
}

type QueryResult = pg.QueryResult<Record<string, unknown>>;

/** A write held back (see DEFERRED_MARK), and the table it writes. */
interface Deferred { text: string; values: unknown[]; table: string }

/** What a held-back write answers at once: no rows, no count (its callers read neither). */
const HELD: Pick<QueryResult, 'command' | 'rowCount' | 'rows'> = { command: 'DEFERRED', rowCount: null, rows: [] };

/**
 * pg's Client (the pool's `Client`), with two savings in round trips:
 *
 * - The SQL marked by pg-named-statements.ts runs as named statements. On 0A000 ("cached plan
 *   must not change result type": another process changed a table under a prepared
 *   `select *`) the names are renewed and the query run once more; in a transaction, which that
 *   error aborted, the error is passed on for the transaction's retry (postgres.ts).
 * - Writes marked deferred (PreparedQuery's `deferrable`, only ever sent inside a transaction)
 *   are held on the connection and answered at once; the held ones go to PostgreSQL as one
 *   statement (each a data-modifying `WITH` part, https://www.postgresql.org/docs/15/queries-with.html#QUERIES-WITH-MODIFYING)
 *   just before the transaction's next statement, its COMMIT included, so every later read of
 *   the transaction sees them, and they commit or roll back with it. When that next statement
 *   names none of the tables they write, they go as `WITH` parts in front of it instead (one
 *   round trip for both). Parts of one statement share
 *   one snapshot and run in no set order, so a batch holds at most one write per table: a second
 *   write to a table sends the batch first. A held write that fails makes the next statement
 *   (or the COMMIT) fail with its error, and the transaction rolls back as for any error.
 *   ROLLBACK drops what is held.
 */
export class NamingClient extends pg.Client {
  private held: Deferred[] = [];

  // Kysely calls query(sql, parameters) and awaits the promise; every other form is pg's own.
  override query(...args: unknown[]): never {
    const [text, values, callback] = args;
    if (typeof text !== 'string' || !Array.isArray(values) || callback !== undefined) return this.send(...args) as never;
    if (text.startsWith(DEFERRED_MARK)) return this.hold(text.slice(DEFERRED_MARK.length), values) as never;
    if (this.held.length === 0) return this.run(text, values) as never;
    if (/^rollback$/i.test(text)) {
      this.held = [];
      return this.run(text, values) as never;
    }
    return this.flushWith(text, values) as never;
  }

  private send(...args: unknown[]): unknown {
    return (super.query as (...a: unknown[]) => unknown).apply(this, args);
  }

  /** Runs one statement, named when it is marked and has few parameters. */
  private run(text: string, values: unknown[]): Promise<QueryResult> {
    if (values.length === 0 || values.length > MAX_PARAMETERS || statementName(text) === undefined) {
      return this.send(text, values) as Promise<QueryResult>;
    }
    const named = (): Promise<QueryResult> => this.send({ name: statementName(text), text, values }) as Promise<QueryResult>;
    return named().catch(async (error: unknown) => {
      if (!isCachedPlanChanged(error)) throw error;
      renewStatementNames();
      try {
        return await named();
      } catch (again) {
        throw (again as { code?: string }).code === IN_FAILED_TRANSACTION ? error : again;
      }
    });
  }

  private async hold(text: string, values: unknown[]): Promise<typeof HELD> {
    const table = /^(?:update|insert into|delete from)\s+"?(\w+)"?/i.exec(text)?.[1] ?? text;
    if (this.held.some((h) => h.table === table)) await this.flush();
    this.held.push({ text, values, table });
    return HELD;
  }

  /** Sends the held writes as one statement (taken at once: a query issued meanwhile does not send them again). */
  private async flush(): Promise<void> {
    const batch = this.held;
    this.held = [];
    if (batch.length === 0) return;
    if (batch.length === 1) {
      await this.run(batch[0]!.text, batch[0]!.values);
      return;
    }
    const last = batch.pop()!;
    await this.runCombined(batch, last.text, last.values);
  }

  /**
   * Sends the held writes, then the statement `text`. When that statement names none of the
   * tables written (so that it cannot tell whether they ran before it), the writes go in its own
   * round trip, as `WITH` parts in front of it, and its result is the statement's own.
   */
  private async flushWith(text: string, values: unknown[]): Promise<QueryResult> {
    const combinable = /^(select|insert|update|delete)\s/i.test(text)
      && this.held.every((h) => !text.includes(h.table));
    if (!combinable) {
      await this.flush();
      return this.run(text, values);
    }
    const batch = this.held;
    this.held = [];
    return this.runCombined(batch, text, values);
  }

  /** Runs `text` with the writes of `batch` as `WITH` parts in front of it (parameters renumbered after theirs). */
  private runCombined(batch: readonly Deferred[], text: string, values: unknown[]): Promise<QueryResult> {
    const all: unknown[] = [];
    const renumbered = (part: string, partValues: unknown[]): string => {
      const offset = all.length;
      all.push(...partValues);
      return offset === 0 ? part : part.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    };
    const parts = batch.map((h, i) => `held_${i} as (${renumbered(h.text, h.values)})`);
    const combined = `with ${parts.join(', ')} ${renumbered(text, values)}`;
    // The batches a server sends are few (the same writes in the same order): prepared as well.
    if (statementName(text) !== undefined && batch.every((h) => statementName(h.text) !== undefined)) nameStatement(combined);
    return this.run(combined, all);
  }
}
