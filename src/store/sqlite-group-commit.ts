import type SqliteDatabase from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { Db } from './store.ts';

/** Transactions taken into one commit at most: bounds how long readers wait for the connection. */
const MAX_BATCH = 64;
/** No further transaction joins a batch that has run this long (ms), so readers wait little. */
const MAX_BATCH_MS = 4;

/** The pause before a batch tries again for a write lock another connection holds (ms). */
const LOCK_RETRY_MS = 1;

interface Job {
  fn: (tx: Db) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Done {
  job: Job;
  value: unknown;
}

/**
 * Group commit: the write transactions that wait at the same time share one SQLite
 * transaction and one COMMIT, each inside its own savepoint
 * (https://www.sqlite.org/lang_savepoint.html), so a failing one is rolled back alone
 * (`ROLLBACK TO` + `RELEASE`) and rejects with its own error while the others go on.
 *
 * Why: the COMMIT (writing the WAL frames) is the largest cost of a small write, and with one
 * connection the writes are serialised anyway. Durability is unchanged: every caller's promise
 * resolves only after the COMMIT that holds its writes returned (WAL, `synchronous = NORMAL`), so
 * no reply is sent for data that is not committed; if the COMMIT fails, every transaction of the
 * batch rejects. A lone write is one transaction, as before.
 *
 * The batch holds Kysely's connection lock (`db.connection()`) from BEGIN to COMMIT, so reads
 * through `db` wait and never see a batch's uncommitted writes. The batch starts from
 * `setImmediate`, after the requests whose data arrived in the same turn of the event loop have
 * queued their writes (they would otherwise each run to completion in their own turn).
 *
 * Transactions take SQLite's write lock at BEGIN (`BEGIN IMMEDIATE`), so several connections to
 * one file (the delivery thread's, other processes' with `--workers`) queue for it instead of
 * failing when a read inside the transaction would have to be upgraded to a write; they queue
 * without blocking their event loop (`takeLock`). The control statements are prepared once:
 * going through the query builder cost compilations and promise hops for a few fixed words.
 *
 * A transaction must not open another one (it would wait for itself); none does.
 */
export function groupCommitTransactions(sqlite: SqliteDatabase.Database, db: Kysely<Database>) {
  const begin = sqlite.prepare('BEGIN IMMEDIATE');
  const busyTimeout = Number(sqlite.pragma('busy_timeout', { simple: true }));
  const noWait = sqlite.prepare('PRAGMA busy_timeout = 0');
  const wait = sqlite.prepare(`PRAGMA busy_timeout = ${busyTimeout}`);
  /** Since when (performance.now()) the first transaction in the queue finds the write lock taken. */
  let busySince: number | undefined;
  const commit = sqlite.prepare('COMMIT');
  const rollback = sqlite.prepare('ROLLBACK');
  const savepoint = sqlite.prepare('SAVEPOINT kalends_write');
  const release = sqlite.prepare('RELEASE kalends_write');
  const rollbackTo = sqlite.prepare('ROLLBACK TO kalends_write');
  const queue: Job[] = [];
  let scheduled = false;
  let idle: Promise<void> = Promise.resolve();

  /**
   * Takes the write lock without waiting in SQLite's busy handler, which sleeps on the thread
   * (1, 2, 5 … 100 ms at a time) and would stop its event loop: while another connection (the
   * delivery thread's, the serving thread's, another process's) holds the lock, it reports `busy`,
   * and the batch is tried again after LOCK_RETRY_MS, so that two connections of one process
   * take turns at the same pace. After the busy timeout (`busy_timeout`, ms) without the lock it
   * reports `timeout`, with SQLite's error.
   */
  function takeLock(): 'taken' | 'busy' | { timeout: unknown } {
    noWait.get();
    try {
      begin.run();
      busySince = undefined;
      return 'taken';
    } catch (error) {
      if (!String((error as { code?: string }).code).startsWith('SQLITE_BUSY')) throw error;
      busySince ??= performance.now();
      if (performance.now() - busySince < busyTimeout) return 'busy';
      busySince = undefined;
      return { timeout: error };
    } finally {
      wait.get();
    }
  }

  /** Runs one batch: BEGIN, queued jobs in savepoints, COMMIT; settles every job it took. */
  async function runBatch(conn: Db): Promise<'busy' | void> {
    const done: Done[] = [];
    const started = performance.now();
    let taken = 0;
    try {
      const lock = takeLock();
      if (lock === 'busy') return 'busy';
      if (lock !== 'taken') {
        // No lock for the whole busy timeout: every write waiting for it fails, as each would.
        for (const job of queue.splice(0)) job.reject(lock.timeout);
        return;
      }
    } catch (error) {
      queue.shift()?.reject(error); // as one transaction's BEGIN failing rejected that one
      return;
    }
    while (queue.length > 0 && taken < MAX_BATCH && (taken === 0 || performance.now() - started < MAX_BATCH_MS)) {
      const job = queue.shift()!;
      taken++;
      let value: unknown;
      let failed = false;
      let failure: unknown;
      try {
        savepoint.run();
        value = await job.fn(conn);
      } catch (error) {
        failed = true;
        failure = error;
      }
      if (!sqlite.inTransaction) {
        // SQLite rolled the whole transaction back on its own (SQLITE_FULL, SQLITE_IOERR, …;
        // https://www.sqlite.org/lang_transaction.html, "Response To Errors Within A
        // Transaction"): the writes of the jobs before this one are gone too.
        const cause = failed ? failure : new Error('the transaction was rolled back by SQLite');
        job.reject(cause);
        for (const d of done) d.job.reject(rolledBack(cause));
        return; // the jobs left in the queue start a new transaction
      }
      try {
        if (failed) rollbackTo.run();
        release.run();
      } catch (error) {
        abort(done, error);
        job.reject(failed ? failure : error);
        return;
      }
      if (failed) job.reject(failure);
      else done.push({ job, value });
    }
    try {
      commit.run();
    } catch (error) {
      abort(done, error);
      return;
    }
    for (const d of done) d.job.resolve(d.value);
  }

  /** Rolls back what is left of the transaction and rejects every job kept in it. */
  function abort(done: Done[], error: unknown): void {
    if (sqlite.inTransaction) {
      try {
        rollback.run();
      } catch {
        /* the transaction is gone either way; the error below is the one to report */
      }
    }
    for (const d of done) d.job.reject(rolledBack(error));
  }

  async function drain(): Promise<void> {
    scheduled = false;
    while (queue.length > 0) {
      let busy = false;
      try {
        busy = (await db.connection().execute(runBatch)) === 'busy';
      } catch (error) {
        // The connection could not be had (the store is closed): nothing queued can run.
        for (const job of queue.splice(0)) job.reject(error);
      }
      if (busy) {
        // Reads go on meanwhile (the connection is free), and writes arriving join the batch.
        await new Promise<void>((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
        continue;
      }
      // Let the event loop read sockets between batches: run back to back, the batches of a
      // long queue held up the requests still arriving, which then queued behind the next
      // burst (bench/README.md: add-500 at 50 connections had a p99 of 4 s for a p50 of 0.5 s).
      // The price: under a flood of large writes more of them are parsed and waiting at once.
      if (queue.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    idle = idle.then(() => new Promise<void>((resolve) => setImmediate(() => void drain().then(resolve))));
  }

  return {
    transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
    /** Resolves once every transaction queued so far has settled. */
    settled: (): Promise<void> => idle,
  };
}

function rolledBack(cause: unknown): Error {
  return new Error(`the transaction was rolled back with another write of its batch: ${String(cause)}`, { cause });
}
