import { systemClock, type Clock } from '../core/clock.ts';
import { claimDueDeliveries, type DeliveryRow } from '../store/repositories/deliveries.ts';
import type { Store } from '../store/store.ts';
import { recordOutcome, type RetryPolicy } from './attempt-outcome.ts';
import { LEASE_MARGIN_MS } from './dispatcher.ts';
import type { PushResult, StreamHub } from './stream-hub.ts';

export interface StreamSenderOptions extends RetryPolicy {
  /** How long a connection's client may take to acknowledge a push (ms). */
  timeoutMs: number;
  /** Pause between passes while this process holds connections (ms). */
  pollMs: number;
}

/** Pushes under way at once per process. */
const SEND_BATCH = 50;
/** How long finished pushes wait to be recorded together, in one transaction (ms). */
const RECORD_EVERY_MS = 20;

/** A finished push waiting to be recorded. */
interface Finished { delivery: DeliveryRow; result: PushResult; at: number }

/**
 * Sends stream deliveries (planned by the dispatcher's fan-out with transport `stream`) over
 * the connections this process holds: claims the due ones of its apps only, pushes each to one
 * connection of the app, and records the acknowledgement like an HTTP reply — delivered, or
 * pending again with the same `eventId` after `--delivery-backoff` (doubling), or `dead` after
 * `--delivery-attempts`. Runs in every server process, whatever `--dispatch` says: the sockets
 * are here. A push whose app has no connection here waits for a process that has one.
 */
export class StreamSender {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly inFlight = new Set<Promise<void>>();
  private finished: Finished[] = [];
  private recording: Promise<void> | undefined;
  private recordTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly hub: StreamHub,
    private readonly options: StreamSenderOptions,
    private readonly log: (message: string) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await Promise.all([...this.inFlight]);
    clearTimeout(this.recordTimer);
    await this.recording;
    await this.record();
  }

  /** One pass: claims the due stream deliveries of the apps connected here and starts their pushes. */
  async runOnce(): Promise<number> {
    const apps = this.hub.apps();
    const room = SEND_BATCH - this.inFlight.size;
    if (apps.length === 0 || room <= 0) return 0;
    const claimedAt = systemClock.now();
    const due = await claimDueDeliveries(this.store.db, claimedAt, room, this.options.timeoutMs + LEASE_MARGIN_MS, { transport: 'stream', appIds: apps });
    for (const delivery of due) {
      const push: Promise<void> = this.push(delivery)
        .catch((error: unknown) => this.log(`stream delivery ${delivery.id}: ${(error as Error).message}`))
        .finally(() => this.inFlight.delete(push));
      this.inFlight.add(push);
    }
    return due.length;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      // A full batch goes on at once; otherwise the next pass waits, so a steady flow of changes
      // is claimed in batches rather than by a tight loop of one-row write transactions.
      this.running = this.runOnce().then(
        (sent) => this.schedule(sent >= SEND_BATCH ? 0 : this.options.pollMs),
        (error: unknown) => {
          this.log(`stream sender pass failed: ${(error as Error).message}`);
          this.schedule(this.options.pollMs);
        },
      );
    }, delay);
  }

  private async push(delivery: DeliveryRow): Promise<void> {
    const connection = this.hub.pick(delivery.app_id);
    const result: PushResult = connection
      ? await connection.push(delivery, this.options.timeoutMs)
      : { sent: { body: '', headers: '{}' }, outcome: { error: 'the app has no open connection' } };
    this.finished.push({ delivery, result, at: systemClock.now() });
    this.recordTimer ??= setTimeout(() => {
      this.recordTimer = undefined;
      this.recording = this.record();
    }, RECORD_EVERY_MS);
  }

  /**
   * Records the finished pushes in one transaction: one write per push made SQLite's single
   * writer the bottleneck of the API calls whose changes were being pushed.
   */
  private async record(): Promise<void> {
    const batch = this.finished;
    this.finished = [];
    if (batch.length === 0) return;
    try {
      await this.store.transaction(async (tx) => {
        for (const f of batch) {
          await recordOutcome(tx, f.delivery, f.result.outcome, f.result.sent, this.options, f.at, this.clock.now(), this.log);
        }
      });
    } catch (error) {
      // The claims' leases run out and the pushes are made again.
      this.log(`could not record ${batch.length} stream deliveries: ${(error as Error).message}`);
    }
  }
}
