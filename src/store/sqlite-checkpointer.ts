import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

/**
 * WAL pages (4 KiB each) after which the serving connection checkpoints by itself, on the
 * thread that serves requests, when the background checkpointer has not kept up (SQLite's
 * default is 1,000).
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 16_000;
/** What the WAL file is cut back to when it starts over (SQLite keeps it whole otherwise). */
const WAL_FILE_KEPT_BYTES = 16 * 1024 * 1024;
/** How often (ms) the background thread offers a checkpoint. */
const CHECKPOINT_INTERVAL_MS = 100;

/**
 * The background thread's code, plain JavaScript (it runs as given, not through the TypeScript
 * build): its own connection to the store's file runs `PRAGMA wal_checkpoint(PASSIVE)` every
 * CHECKPOINT_INTERVAL_MS until told to stop. A PASSIVE checkpoint neither waits for nor blocks
 * readers and writers (https://www.sqlite.org/c3ref/wal_checkpoint_v2.html); when it has copied
 * every frame back, the next write transaction starts the WAL file over.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const checkpoints = new Int32Array(workerData.checkpoints);
db.pragma('busy_timeout = 0');
const checkpoint = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result && result.checkpointed > 0) Atomics.add(checkpoints, 0, 1);
  } catch { /* busy: try again next time */ }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/** A background checkpointer; `stop` checkpoints once more and ends the thread. */
export interface Checkpointer {
  stop(): Promise<void>;
  /** Background checkpoints that copied at least one frame back, since start. */
  readonly checkpoints: number;
}

/**
 * Moves WAL checkpoints off the thread that serves requests. With SQLite's default automatic
 * checkpoint, the COMMIT that takes the WAL past 1,000 pages copies them into the database file
 * and syncs it before it returns: bench/README.md measured a 500-attendee write's COMMIT at
 * ~12 ms, of which over half was those checkpoints, paid by whichever request came next.
 * Here a worker thread with its own connection checkpoints passively; the serving connection
 * keeps an automatic checkpoint only at FALLBACK_AUTOCHECKPOINT_PAGES, so the WAL stays bounded
 * if the thread falls behind. Durability is unchanged: a committed transaction is in the WAL,
 * which SQLite replays on open; the checkpoint only moves it into the main file.
 */
export function startCheckpointer(sqlite: SqliteDatabase.Database, file: string): Checkpointer {
  sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  // When the WAL starts over after a burst, its file is cut back to this size (bytes).
  sqlite.pragma(`journal_size_limit = ${WAL_FILE_KEPT_BYTES}`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  // Counted in shared memory: a message per checkpoint would wake the serving thread's event loop.
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, file, intervalMs: CHECKPOINT_INTERVAL_MS, checkpoints: counter.buffer },
    // The thread needs little: a connection and a timer.
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
  });
  worker.unref();
  // A failing checkpointer costs only speed: the serving connection checkpoints itself again.
  worker.on('error', (error) => {
    process.emitWarning(`SQLite background checkpoints stopped (${error.message}); the serving connection checkpoints again`);
    if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    get checkpoints() {
      return Atomics.load(counter, 0);
    },
    async stop() {
      worker.ref(); // keeps the process up until the thread has finished
      worker.postMessage('stop');
      await exited;
    },
  };
}
