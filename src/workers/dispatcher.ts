import type { Config } from '../config/schema.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import type { CallbackFormat, SealedCallback } from '../core/outbox/callback-format.ts';
import { fanOut, type LocalPushes } from '../core/outbox/fan-out.ts';
import type { Store } from '../store/store.ts';
import { claimDueDeliveries, expireUnclaimedStreamDeliveries, type DeliveryRow } from '../store/repositories/deliveries.ts';
import { recordOutcome, retryHorizonMs, type AttemptOutcome } from './attempt-outcome.ts';
import { findAppById } from '../store/repositories/directory.ts';
import { dingtalkCallbacks } from '../http/dingtalk/callbacks.ts';
import { feishuCallbacks } from '../http/feishu/callbacks.ts';

/** The delivery settings every transport shares (`--delivery-attempts`, `--delivery-backoff`, `--delivery-timeout`). */
export type DeliverySettings = Pick<Config, 'deliveryAttempts' | 'deliveryBackoff' | 'deliveryTimeout'>;

export interface DispatcherOptions {
  /** Tries per callback before it is marked `dead`. */
  attempts: number;
  /** Wait before the 2nd try (ms); doubled for each further try, at most one hour. */
  backoffMs: number;
  /** How long one HTTP attempt may take (ms) before it counts as failed. */
  timeoutMs: number;
  /** Pause between passes when there was nothing to do (ms). */
  pollMs: number;
}

/**
 * Outbox messages per fan-out pass (a change is one message, whatever the number of people it
 * notifies; fan-out also bounds the inbox messages a pass makes). On SQLite a pass's writes hold
 * the store's write lock, so the API's writes wait for them: passes stay short.
 */
const FAN_OUT_BATCH = 500;
/** Callbacks attempted at once per pass. */
const SEND_BATCH = 50;
/**
 * Pause between passes while messages keep coming (ms). A pass has fixed costs (which tenants'
 * apps receive events, the probes for due and expired callbacks, its transaction): passes run
 * back to back under a steady flow of changes took a few changes each and paid those per change.
 */
const BUSY_GAP_MS = 25;
/** How long a claim outlives its attempt's deadline, for recording the outcome (ms). */
export const LEASE_MARGIN_MS = 5_000;

/** Every platform's callback format, in the order their deliveries are planned. */
export const CALLBACK_FORMATS: readonly CallbackFormat[] = [feishuCallbacks, dingtalkCallbacks];

/**
 * The outbox dispatcher: moves notifications into inboxes and changes into callbacks
 * (`fanOut`), then sends due callbacks over HTTP, retrying failures with exponential backoff
 * until `attempts` tries, after which the callback is `dead`. Stream pushes that no connection
 * of their app took for as long as those retries last go `dead` too. Runs in the server process or
 * alone (`kalends dispatch`); several dispatchers on one PostgreSQL never deliver a callback
 * twice at once (claims skip locked rows; an attempt holds its callback for `timeoutMs` plus a
 * margin). A receiver that is down costs only retries: nothing here touches API requests. On SQLite
 * a server runs it in its delivery thread (`DeliveryThread`), off the API's event loop.
 */
export class Dispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  /** Attempts under way: a pass does not wait for them, so a slow receiver holds up no one else. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: DispatcherOptions,
    private readonly formats: readonly CallbackFormat[] = CALLBACK_FORMATS,
    private readonly log: (message: string) => void = () => {},
    /** This process's long connections, when it holds some (`kalends start`): their pushes are handed to them. */
    private readonly local?: LocalPushes,
  ) {}

  /** Starts passes in the background until `stop`. */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops after the pass under way and the HTTP attempts it started finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await Promise.all([...this.inFlight]);
  }

  /**
   * One pass: fans out pending outbox messages, then starts the callbacks that are due (at most
   * SEND_BATCH under way at once) without waiting for their replies: a receiver that takes its
   * whole timeout must not hold up other apps' callbacks nor the inboxes.
   * @returns how much it did (0 and 0: nothing was waiting).
   */
  async runOnce(): Promise<{ messages: number; sent: number }> {
    const { messages } = await fanOut(this.store, this.formats, this.clock.now(), FAN_OUT_BATCH, undefined, this.local);
    const room = SEND_BATCH - this.inFlight.size;
    // Claims, leases and retries run on the machine's clock: a shifted sandbox clock must neither
    // expire the lease of a callback being sent (it would be sent twice) nor hold retries back.
    const claimedAt = systemClock.now();
    const horizon = retryHorizonMs(this.options);
    await expireUnclaimedStreamDeliveries(this.store.db, claimedAt - horizon, this.clock.now(),
      `no connection of the app took it within ${Math.round(horizon / 1000)} s (--delivery-attempts, --delivery-backoff)`);
    const due = room > 0 ? await claimDueDeliveries(this.store.db, claimedAt, room, this.options.timeoutMs + LEASE_MARGIN_MS, { transport: 'http' }) : [];
    for (const delivery of due) {
      const attempt: Promise<void> = this.attempt(delivery, claimedAt + this.options.timeoutMs)
        .catch((error: unknown) => this.log(`delivery ${delivery.id}: ${(error as Error).message}`))
        .finally(() => this.inFlight.delete(attempt));
      this.inFlight.add(attempt);
    }
    return { messages, sent: due.length };
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce().then(
        (did) => this.schedule(did.messages + did.sent > 0 ? Math.min(BUSY_GAP_MS, this.options.pollMs) : this.options.pollMs),
        (error: unknown) => {
          this.log(`dispatcher pass failed: ${(error as Error).message}`);
          this.schedule(this.options.pollMs);
        },
      );
    }, delay);
  }

  /**
   * Sends one claimed delivery and records the outcome; never throws.
   * @param deadline machine time (ms) by which the attempt must be over: the claim's lease runs
   *   a margin past it, so no other dispatcher sends the same callback meanwhile.
   */
  private async attempt(delivery: DeliveryRow, deadline: number): Promise<void> {
    const app = await findAppById(this.store.db, delivery.app_id);
    const format = this.formats.find((f) => f.platform === app?.platform);
    if (!app || !format) return this.finish(delivery, { error: 'the app no longer exists' }, null);
    let request: SealedCallback | null = null;
    let outcome: AttemptOutcome;
    try {
      const left = deadline - systemClock.now();
      if (left <= 0) throw new Error('the claim ran out before the callback could be sent');
      request = format.seal(app, delivery, this.clock.now());
      const response = await fetch(request.url, {
        method: 'POST', headers: request.headers, body: request.body, redirect: 'manual',
        signal: AbortSignal.timeout(left),
      });
      const reply = await response.text();
      const problem = format.check(app, delivery, { status: response.status, body: reply });
      outcome = { status: response.status, reply, ...(problem ? { error: problem } : {}) };
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause;
      outcome = { error: (error as Error).name === 'TimeoutError' ? `no reply within ${this.options.timeoutMs} ms` : (cause?.message ?? (error as Error).message) };
    }
    await this.finish(delivery, outcome, request);
  }

  private async finish(delivery: DeliveryRow, outcome: AttemptOutcome, request: SealedCallback | null): Promise<void> {
    const sent = request ? { body: request.body, headers: JSON.stringify({ url: request.url, ...request.headers }) } : null;
    await recordOutcome(this.store.db, delivery, outcome, sent, this.options, systemClock.now(), this.clock.now(), this.log);
  }
}

/**
 * The options of a dispatcher or a stream sender (they share them) for the configured delivery
 * settings, with its pause between idle passes (ms).
 */
export function deliveryOptions(settings: DeliverySettings, pollMs: number): DispatcherOptions {
  return { attempts: settings.deliveryAttempts, backoffMs: settings.deliveryBackoff, timeoutMs: settings.deliveryTimeout, pollMs };
}

/** Starts an outbox dispatcher with the configured delivery settings. */
export function startDispatcher(store: Store, clock: Clock, settings: DeliverySettings, log: (message: string) => void, local?: LocalPushes): Dispatcher {
  const dispatcher = new Dispatcher(store, clock, deliveryOptions(settings, 200), undefined, log, local);
  dispatcher.start();
  return dispatcher;
}
