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

/** What a BEGIN held back (or a COMMIT or ROLLBACK of a transaction never sent) answers. */
const NOTHING: Pick<QueryResult, 'command' | 'rowCount' | 'rows'> = { command: '', rowCount: null, rows: [] };

/** Transaction control sent in one message with a statement (see NamingClient's `framed`). */
interface Framing { before?: string; after?: string }

/**
 * A parameter as an SQL literal in the text PostgreSQL's `Bind` would have carried
 * (pg's prepareValue, then quoted), or undefined for a value that must go by `Bind` (a Buffer,
 * sent in binary; a text holding NUL). Like a `Bind` parameter, a quoted literal has no type of its own: `EXECUTE`
 * takes it as the prepared statement's parameter type.
 */
function literal(value: unknown): string | undefined {
  const text = (pg as unknown as { utils: { prepareValue(v: unknown): unknown } }).utils.prepareValue(value);
  if (text === null) return 'null';
  // A NUL would end the message's text early (a query message is a C string): such a value goes
  // by Bind, where PostgreSQL refuses it as it always did.
  return typeof text === 'string' && !text.includes('\0') ? pg.escapeLiteral(text) : undefined;
}

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
 * - BEGIN is held back too, and goes with the transaction's first statement; COMMIT goes with
 *   the held writes' statement. pg sends one statement per round trip and waits (no pipelining
 *   in its API), so the two go in one simple-protocol message, `BEGIN; EXECUTE name(…)` and
 *   `EXECUTE name(…); COMMIT`, when the statement is named and already prepared on this
 *   connection: SQL's EXECUTE runs the protocol-level prepared statement
 *   (https://www.postgresql.org/docs/15/sql-execute.html) with its parameters as literals, the
 *   same text `Bind` would carry. Otherwise (its first run on the connection, an unnamed text)
 *   BEGIN and COMMIT go on their own. A statement that fails there fails the transaction as
 *   before: PostgreSQL skips the rest of the message and the caller's ROLLBACK follows. A
 *   transaction that sent nothing sends neither BEGIN nor COMMIT.
 */
export class NamingClient extends pg.Client {
  private held: Deferred[] = [];
  /** The BEGIN of the transaction under way, while not yet sent. */
  private begin: string | undefined;

  // Kysely calls query(sql, parameters) and awaits the promise; every other form is pg's own.
  override query(...args: unknown[]): never {
    const [text, values, callback] = args;
    if (typeof text !== 'string' || !Array.isArray(values) || callback !== undefined) return this.send(...args) as never;
    if (text.startsWith(DEFERRED_MARK)) return this.hold(text.slice(DEFERRED_MARK.length), values) as never;
    if (/^(begin|start transaction)\b/i.test(text) && values.length === 0) {
      this.begin = text;
      return Promise.resolve(NOTHING) as never;
    }
    if (/^rollback$/i.test(text)) {
      this.held = [];
      if (this.begin !== undefined) {
        this.begin = undefined;
        return Promise.resolve(NOTHING) as never;
      }
      return this.run(text, values) as never;
    }
    if (/^commit$/i.test(text)) return this.commit(text) as never;
    if (this.held.length === 0) return this.run(text, values, this.takeBegin()) as never;
    return this.flushWith(text, values) as never;
  }

  /** The held BEGIN, to go with the next statement sent (now no longer held). */
  private takeBegin(): Framing {
    const before = this.begin;
    this.begin = undefined;
    return before === undefined ? {} : { before };
  }

  /** COMMIT: with the held writes' statement when there are some, nothing when nothing was sent. */
  private async commit(text: string): Promise<QueryResult | typeof NOTHING> {
    if (this.held.length > 0) {
      await this.flush({ ...this.takeBegin(), after: text });
      return NOTHING;
    }
    if (this.begin !== undefined) {
      this.begin = undefined;
      return NOTHING;
    }
    return this.run(text, []);
  }

  private send(...args: unknown[]): unknown {
    return (super.query as (...a: unknown[]) => unknown).apply(this, args);
  }

  /**
   * Runs one statement, named when it is marked and has few parameters, with `framing`'s BEGIN
   * before it and COMMIT after it: in the same message when it can (see the class), else each
   * in a round trip of its own.
   */
  private run(text: string, values: unknown[], framing: Framing = {}): Promise<QueryResult> {
    const name = values.length === 0 || values.length > MAX_PARAMETERS ? undefined : statementName(text);
    if (framing.before !== undefined || framing.after !== undefined) return this.framed(text, values, name, framing);
    if (name === undefined) return this.send(text, values) as Promise<QueryResult>;
    // The name is read again on the retry: renewStatementNames gives the text a new one.
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

  private async framed(text: string, values: unknown[], name: string | undefined, framing: Framing): Promise<QueryResult> {
    const literals = name !== undefined && this.isPrepared(name) ? values.map(literal) : undefined;
    if (literals === undefined || literals.includes(undefined)) {
      if (framing.before !== undefined) await this.send(framing.before);
      const result = await this.run(text, values);
      if (framing.after !== undefined) await this.send(framing.after);
      return result;
    }
    const message = [framing.before, `execute ${name}(${literals.join(', ')})`, framing.after].filter((part) => part !== undefined);
    try {
      const results = await (this.send(message.join('; ')) as Promise<QueryResult[]>);
      return results[framing.before === undefined ? 0 : 1]!;
    } catch (error) {
      if (isCachedPlanChanged(error)) renewStatementNames();
      throw error;
    }
  }

  /** Whether statement `name` was prepared on this connection (pg keeps that per connection). */
  private isPrepared(name: string): boolean {
    const connection = (this as unknown as { connection: { parsedStatements: Record<string, string> } }).connection;
    return connection.parsedStatements[name] !== undefined;
  }

  private async hold(text: string, values: unknown[]): Promise<typeof HELD> {
    const table = /^(?:update|insert into|delete from)\s+"?(\w+)"?/i.exec(text)?.[1] ?? text;
    if (this.held.some((h) => h.table === table)) await this.flush(this.takeBegin());
    this.held.push({ text, values, table });
    return HELD;
  }

  /** Sends the held writes as one statement (taken at once: a query issued meanwhile does not send them again). */
  private async flush(framing: Framing = {}): Promise<void> {
    const batch = this.held;
    this.held = [];
    if (batch.length === 0) return;
    if (batch.length === 1) {
      await this.run(batch[0]!.text, batch[0]!.values, framing);
      return;
    }
    const last = batch.pop()!;
    await this.runCombined(batch, last.text, last.values, framing);
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
      await this.flush(this.takeBegin());
      return this.run(text, values);
    }
    const batch = this.held;
    this.held = [];
    return this.runCombined(batch, text, values, this.takeBegin());
  }

  /** Runs `text` with the writes of `batch` as `WITH` parts in front of it (parameters renumbered after theirs). */
  private runCombined(batch: readonly Deferred[], text: string, values: unknown[], framing: Framing = {}): Promise<QueryResult> {
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
    return this.run(combined, all, framing);
  }
}
