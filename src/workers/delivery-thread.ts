import { Worker } from 'node:worker_threads';
import { Batcher, type FromDeliveryThread, type PushAnswer, type PushRequest, type ToDeliveryThread } from './delivery-messages.ts';
import type { DeliverySettings } from './dispatcher.ts';
import type { PushResult, StreamConnection, StreamHub } from './stream-hub.ts';

/** What the delivery thread is started with. */
export interface DeliveryThreadData {
  /** The data directory of the SQLite store: the thread opens its own connection to the file. */
  data: string;
  settings: DeliverySettings;
  /** Whether the thread runs the outbox dispatcher too (`--dispatch on`). */
  dispatch: boolean;
}

/** What a push the serving thread cannot make gives. */
const NO_CONNECTION: PushResult = { sent: { body: '', headers: '{}' }, outcome: { error: 'the connection closed before the push' } };

/**
 * Event delivery off the serving thread, on SQLite. A worker thread (`delivery-thread-entry.ts`)
 * with its own connection to the store's file runs the outbox dispatcher (fan-out and HTTP callbacks) and the
 * stream sender (claims, retries and the record of every push); the serving thread keeps the
 * sockets of the long connections (they are on the API's port) and only writes the frames the
 * delivery thread asks for and hands back the acknowledgements. So the API's event loop spends
 * on a push what its socket needs, and the planning, the statements and their garbage run on
 * another core (bench/README.md, issue 19: on one thread delivery cost the API a fifth of its
 * respondEvent throughput).
 *
 * The thread learns of every connection `hub` adds and removes. A push asked for a connection
 * that closed meanwhile answers with an error and is pushed again later, like one whose
 * connection closes under it.
 */
export class DeliveryThread {
  private worker: Worker | undefined;
  private stopping = false;
  private stopped: Promise<void> = Promise.resolve();

  constructor(private readonly hub: StreamHub, private readonly data: DeliveryThreadData, private readonly log: (message: string) => void) {}

  /** Starts the thread; resolves once it runs (its store open, its sender started). */
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
    let stopped!: () => void;
    this.stopped = new Promise<void>((resolve) => { stopped = resolve; });
    worker.on('message', (message: FromDeliveryThread) => {
      switch (message.type) {
        case 'ready':
          running = true;
          this.hub.watch({ opened: (c) => this.opened(c), closed: (c) => this.tell({ type: 'closed', id: c.id }) });
          return ready();
        case 'pushes': return this.push(message.pushes, answers);
        case 'log': return this.log(message.message);
        case 'stopped': return stopped();
      }
    });
    worker.on('error', (error) => {
      this.log(`delivery thread failed: ${error.message}`);
      failed(error);
    });
    worker.on('exit', () => {
      stopped();
      this.hub.watch(undefined);
      if (this.stopping || !running) return;
      // A thread that died: the claims it held run out and its successor pushes them again.
      this.log('delivery thread exited; starting another');
      void this.start().catch((error: unknown) => this.log(`delivery thread could not start again: ${(error as Error).message}`));
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
    await this.stopped;
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
      const connection = this.hub.connection(connectionId);
      if (!connection || connection.closed) {
        answers.add({ ticket, result: NO_CONNECTION });
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
  const tsx = import.meta.resolve('tsx/esm/api');
  return {
    script: `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`,
    eval: true,
  };
}
