import { systemClock, type Clock } from '../core/clock.ts';
import { claimDueDeliveries, recordAttempts, type ClaimFilter, type DeliveryRow } from '../store/repositories/deliveries.ts';
import type { Store } from '../store/store.ts';
import { attemptRecord, type RetryPolicy } from './attempt-outcome.ts';
import { deliveryOptions, LEASE_MARGIN_MS, type DeliverySettings } from './dispatcher.ts';
import type { LocalPushes } from '../core/outbox/fan-out.ts';
import { notPushed, type PushResult } from './stream-hub.ts';

export interface StreamSenderOptions extends RetryPolicy {
  /** How long a connection's client may take to acknowledge a push (ms). */
  timeoutMs: number;
  /** Pause between passes while this process holds connections (ms). */
  pollMs: number;
}

/** How often a process holding connections looks for their due pushes (ms); idle without connections. */
export const STREAM_POLL_MS = 50;

/** The sender's options for the configured delivery settings. */
export function streamSenderOptions(settings: DeliverySettings): StreamSenderOptions {
  return deliveryOptions(settings, STREAM_POLL_MS);
}

/** Pushes under way at once per process. */
const SEND_BATCH = 200;
/**
 * Pause between passes while pushes are under way or were just claimed (ms): finished pushes
 * are recorded, and due ones claimed, this often. A pass that waited `pollMs` whenever it could
 * not claim a full batch capped a process at SEND_BATCH pushes per `pollMs`: under a steady flow
 * of changes the backlog grew, and with it the cost of every claim (bench/README.md).
 */
const BUSY_MS = 20;

/**
 * The open long connections a sender pushes over: this thread's own (`StreamHub`), or, in the
 * delivery thread, those of the serving thread (`RemoteConnections`).
 */
export interface PushTargets {
  /** Whether the app has a connection open here. */
  holds(appId: string): boolean;
  /** Internal ids of the apps with a connection open here. */
  apps(): string[];
  /** One of the app's connections, taking turns; undefined when none is open. */
  pick(appId: string): { push(delivery: DeliveryRow, timeoutMs: number): Promise<PushResult> } | undefined;
}

/** A finished push waiting to be recorded. */
interface Finished { delivery: DeliveryRow; result: PushResult; at: number }

/**
 * Sends stream deliveries (planned by the dispatcher's fan-out with transport `stream`) over
 * the connections this process holds: claims the due ones of its apps only, pushes each to one
 * connection of the app, and records the acknowledgement like an HTTP reply — delivered, or
 * pending again with the same `eventId` after `--delivery-backoff` (doubling), or `dead` after
 * `--delivery-attempts`. Runs in every server process, whatever `--dispatch` says, since the
 * sockets are there: in its delivery thread, pushing over the serving thread's connections
 * (`RemoteConnections`), or on the serving thread itself (`StreamHub`). A push whose app has no
 * connection in this process waits for a process that has one.
 *
 * Each pass is one write transaction at most, of two statements: the pushes finished since the
 * last pass are recorded together and the next due ones claimed together, so pushing costs the
 * store a few statements per pass, not a write per push. A pass with nothing finished and
 * nothing due only reads.
 */
export class StreamSender implements LocalPushes {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly inFlight = new Set<Promise<void>>();
  private finished: Finished[] = [];

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly hub: PushTargets,
    private readonly options: StreamSenderOptions,
    private readonly log: (message: string) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  holds(appId: string): boolean {
    return !this.stopped && this.hub.holds(appId);
  }

  get leaseMs(): number {
    return this.options.timeoutMs + LEASE_MARGIN_MS;
  }

  /** Pushes deliveries claimed for this process by the fan-out (`LocalPushes`), as a pass pushes those it claims. */
  take(deliveries: readonly DeliveryRow[]): void {
    // Stopping: their claims run out and a pass (of this process or another) pushes them.
    if (!this.stopped) this.begin(deliveries);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await Promise.all([...this.inFlight]);
    await this.pass(false);
  }

  /**
   * One pass: records the pushes finished since the last one, claims the due stream deliveries
   * of the apps connected here and starts their pushes. @returns how many it claimed.
   */
  runOnce(): Promise<number> {
    return this.pass(true);
  }

  private async pass(claiming: boolean): Promise<number> {
    const finished = this.finished;
    this.finished = [];
    const apps = this.hub.apps();
    const room = SEND_BATCH - this.inFlight.size;
    const only: ClaimFilter = { transport: 'stream', appIds: apps };
    const claimedAt = systemClock.now();
    const lease = this.options.timeoutMs + LEASE_MARGIN_MS;
    const claim = claiming && apps.length > 0 && room > 0;
    let due: DeliveryRow[] = [];
    if (finished.length === 0) {
      // Nothing to record: the claim reads first, so an idle pass never takes SQLite's write lock.
      if (claim) due = await claimDueDeliveries(this.store.db, claimedAt, room, lease, only);
    } else {
      const clockNow = this.clock.now();
      const records = finished.map((f) => attemptRecord(f.delivery, f.result.outcome, f.result.sent, this.options, f.at, clockNow));
      try {
        due = await this.store.transaction(async (tx) => {
          await recordAttempts(tx, records);
          return claim ? claimDueDeliveries(tx, claimedAt, room, lease, only) : [];
        });
      } catch (error) {
        // Recorded at the next pass, while their claims last (after that they are pushed again).
        this.finished.unshift(...finished);
        this.log(`could not record ${finished.length} stream deliveries yet: ${(error as Error).message}`);
      }
    }
    this.begin(due);
    return due.length;
  }

  /** Starts the pushes of claimed deliveries, in order. */
  private begin(deliveries: readonly DeliveryRow[]): void {
    for (const delivery of deliveries) {
      const push: Promise<void> = this.push(delivery)
        .catch((error: unknown) => this.log(`stream delivery ${delivery.id}: ${(error as Error).message}`))
        .finally(() => this.inFlight.delete(push));
      this.inFlight.add(push);
    }
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      // While pushes flow, passes follow each other every BUSY_MS; idle, every pollMs.
      this.running = this.runOnce().then(
        (claimed) => this.schedule(claimed > 0 || this.inFlight.size > 0 || this.finished.length > 0 ? BUSY_MS : this.options.pollMs),
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
      : notPushed('the app has no open connection');
    this.finished.push({ delivery, result, at: systemClock.now() });
  }
}
