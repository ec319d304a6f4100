import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Batcher, type FromDeliveryThread, type PushAnswer, type PushRequest, type ToDeliveryThread } from './delivery-messages.ts';
import type { DeliverySettings } from './dispatcher.ts';
import { notPushed, type StreamConnection, type StreamHub } from './stream-hub.ts';

/** What the delivery thread is started with. */
export interface DeliveryThreadData {
  /** The data directory of the SQLite store: the thread opens its own connection to the file. */
  data: string;
  settings: DeliverySettings;
  /** Whether the thread runs the outbox dispatcher too (`--dispatch on`). */
  dispatch: boolean;
}

/** The first wait before a thread that died is started again (ms); doubled after each failure, at most RESTART_MAX_MS. */
const RESTART_MS = 500;
const RESTART_MAX_MS = 30_000;

/**
 * Event delivery off the serving thread, on SQLite. A worker thread (`delivery-thread-entry.ts`)
 * with its own connection to the store's file runs the stream sender (claims, retries and the
 * record of every push) and, with `--dispatch on`, the outbox dispatcher (fan-out and HTTP
 * callbacks). The serving thread keeps the sockets of the long connections (they are on the
 * API's port; Node cannot hand a socket to a worker thread): it writes the frames the delivery
 * thread asks for and hands back the acknowledgements. So the API's event loop spends on a push
 * what its socket needs, and the planning, the statements and their garbage run on another core
 * (bench/README.md, issue 19, "delivery in a thread of its own").
 *
 * The thread learns of every connection `hub` adds and removes, and of every shift of the
 * sandbox clock (`shiftClock`). A push asked of a connection that closed meanwhile goes to
 * another connection of the app, or answers with an error and is pushed again later. A thread
 * that dies is started again (after RESTART_MS, doubling while it keeps failing); the claims it
 * held run out and its successor pushes them again.
 */
export class DeliveryThread {
  private worker: Worker | undefined;
  private stopping = false;
  private exited: Promise<void> = Promise.resolve();
  private restartMs = RESTART_MS;

  constructor(private readonly hub: StreamHub, private readonly data: DeliveryThreadData, private readonly log: (message: string) => void) {}

  /**
   * Starts the thread; resolves once it runs (its store open, its sender started).
   * @throws the thread's error when it fails or exits before it runs.
   */
  async start(): Promise<void> {
    const { script, eval: isCode } = threadScript();
    const worker = new Worker(script, { workerData: this.data, eval: isCode ?? false });
    this.worker = worker;
    // Bound to this thread: the answers of a thread that died must not reach its successor.
    const answers = new Batcher<PushAnswer>((batch) => worker.postMessage({ type: 'answers', answers: batch } satisfies ToDeliveryThread));
    let running = false;
    let ready!: () => void;
    let failed!: (error: Error) => void;
    const started = new Promise<void>((resolve, reject) => {
      ready = resolve;
      failed = reject;
    });
    let exited!: () => void;
    this.exited = new Promise<void>((resolve) => { exited = resolve; });
    worker.on('message', (message: FromDeliveryThread) => {
      switch (message.type) {
        case 'ready':
          running = true;
          this.restartMs = RESTART_MS;
          this.hub.watch({ opened: (c) => this.opened(c), closed: (c) => this.tell({ type: 'closed', id: c.id }) });
          return ready();
        case 'pushes': return this.push(message.pushes, answers);
        case 'log': return this.log(message.message);
        case 'stopped': return void worker.terminate();
      }
    });
    worker.on('error', (error) => {
      this.log(`delivery thread failed: ${error.message}`);
      failed(error);
    });
    worker.on('exit', (code) => {
      exited();
      if (this.worker === worker) this.hub.watch(undefined);
      failed(new Error(`the delivery thread exited (code ${code}) before it ran`));
      if (this.stopping || !running) return;
      this.restartLater();
    });
    await started;
  }

  /**
   * Stops the thread after it has let the attempts and pushes under way finish and recorded them.
   * The connections are closed first (`StreamHub.stop`), so their pushes are settled by then.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.tell({ type: 'stop' });
    await this.exited;
  }

  /** Applies a shift of the sandbox clock (ms) in the thread at once, as in this thread. */
  shiftClock(offsetMs: number): void {
    this.tell({ type: 'clock', offsetMs });
  }

  /** Starts a thread again after the current wait, doubling the wait while starts fail. */
  private restartLater(): void {
    const wait = this.restartMs;
    this.restartMs = Math.min(this.restartMs * 2, RESTART_MAX_MS);
    this.log(`delivery thread exited; starting another in ${wait} ms`);
    setTimeout(() => {
      if (this.stopping) return;
      this.start().catch((error: unknown) => {
        this.log(`delivery thread could not start: ${(error as Error).message}`);
        if (!this.stopping) this.restartLater();
      });
    }, wait).unref();
  }

  private tell(message: ToDeliveryThread): void {
    this.worker?.postMessage(message);
  }

  private opened(connection: StreamConnection): void {
    const { id, platform, appId, tenantId } = connection;
    this.tell({ type: 'opened', connection: { id, platform, appId, tenantId } });
  }

  /** Makes the pushes the thread asked for, answering each when it is acknowledged (or not). */
  private push(pushes: readonly PushRequest[], answers: Batcher<PushAnswer>): void {
    for (const { ticket, connectionId, delivery, timeoutMs } of pushes) {
      // The thread's mirror may lag: a connection that closed gives way to another of the app's.
      const asked = this.hub.connection(connectionId);
      const connection = asked && !asked.closed ? asked : this.hub.pick(delivery.app_id);
      if (!connection || connection.closed) {
        answers.add({ ticket, result: notPushed('the connection closed before the push') });
        continue;
      }
      void connection.push(delivery, timeoutMs).then((result) => answers.add({ ticket, result }));
    }
  }
}

/**
 * The thread's module and how to start it: the build's JavaScript; or, running from the
 * TypeScript sources (a checkout being edited, `bin/kalends.mjs`), a bootstrap that registers
 * tsx in the thread first (a worker does not inherit the process's module hooks in Node 20).
 */
function threadScript(): { script: string | URL; eval?: true } {
  if (!import.meta.url.endsWith('.ts')) return { script: new URL('./delivery-thread-entry.js', import.meta.url) };
  const entry = new URL('./delivery-thread-entry.ts', import.meta.url).href;
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
  return {
    script: `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`,
    eval: true,
  };
}
