import type { Platform } from '../actor.ts';
import type { Db } from '../../store/store.ts';
import type { AppRow } from '../../store/repositories/directory.ts';
import type { DeliveryRow } from '../../store/repositories/deliveries.ts';
import type { OutboxRow } from '../../store/repositories/outbox.ts';

/** How a delivery travels: POSTed to the app's URL, or pushed over one of its long connections. */
export type Transport = 'http' | 'stream';

/** One callback the fan-out decided to make, before any attempt. */
export interface PlannedCallback {
  /** Internal id of the receiving app. */
  appId: string;
  transport: Transport;
  /** The callback URL; '' for stream deliveries. */
  url: string;
  /** The platform's name of what is pushed (`calendar.calendar.event.changed_v4`, `check_url`…). */
  eventType: string;
  /** The platform's id of this callback (Feishu header.event_id, DingTalk stream headers.eventId), null where it has none. */
  eventId: string | null;
  /** The plaintext message (JSON), sealed anew at each attempt. */
  payload: string;
}

/** The exact request of one attempt. */
export interface SealedCallback {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * How one platform turns changes into callbacks to its apps, and speaks them on the wire.
 * Implemented by each dialect (`http/feishu/callbacks.ts`, `http/dingtalk/callbacks.ts`),
 * because the ids and the envelope are the platform's.
 */
export interface CallbackFormat {
  readonly platform: Platform;
  /**
   * The callbacks one outbox `change` row causes to this platform's apps (none is fine).
   * @param pass what the fan-out pass already read that holds for every change of the pass
   *   (which apps of a tenant receive events, whether any has a subscription): planned per
   *   change, it was a sixth of the server's time under a steady flow of changes.
   */
  plan(tx: Db, change: OutboxRow, now: number, pass?: PassMemo): Promise<PlannedCallback[]>;
  /**
   * Reads at once, into `pass`, what planning these changes (those of one pass, in order) needs
   * from the store, so that `plan` makes no query per change for it (e.g. the users a change
   * names). Optional; `plan` reads what it does not find.
   */
  prepare?(tx: Db, changes: readonly OutboxRow[], pass: PassMemo): Promise<void>;
  /** Encrypts and signs a delivery's payload for one attempt, with `now` (ms) as its time. */
  seal(app: AppRow, delivery: DeliveryRow, now: number): SealedCallback;
  /** Null when the receiver's reply acknowledges the callback; otherwise why it does not. */
  check(app: AppRow, delivery: DeliveryRow, reply: { status: number; body: string }): string | null;
}

/**
 * Answers remembered for one fan-out pass (one transaction), by key: a read that gives the same
 * answer for every change of the pass is made once. Nothing outlives the pass.
 */
export class PassMemo {
  private readonly answers = new Map<string, Promise<unknown>>();
  private readonly values = new Map<string, unknown>();
  private readonly payloads = new Map<number, unknown>();

  /** `read()`'s answer for `key`, read on first use in this pass. */
  remember<T>(key: string, read: () => Promise<T>): Promise<T> {
    let answer = this.answers.get(key) as Promise<T> | undefined;
    if (!answer) this.answers.set(key, (answer = read()));
    return answer;
  }

  /** `make()`'s value for `key`, made on first use in this pass (a cache a format fills, a rendering). */
  value<T>(key: string, make: () => T): T {
    if (this.values.has(key)) return this.values.get(key) as T;
    const value = make();
    this.values.set(key, value);
    return value;
  }

  /** The change's payload, parsed once per pass (fan-out and every format read it); not to be modified. */
  payloadOf<T>(change: Pick<OutboxRow, 'id' | 'payload'>): T {
    let payload = this.payloads.get(change.id);
    if (payload === undefined) this.payloads.set(change.id, (payload = JSON.parse(change.payload) as unknown));
    return payload as T;
  }
}

/** The change's payload, parsed once in `pass`, or parsed now when there is no pass. */
export function payloadIn<T>(pass: PassMemo | undefined, change: Pick<OutboxRow, 'id' | 'payload'>): T {
  return pass ? pass.payloadOf<T>(change) : (JSON.parse(change.payload) as T);
}

/** `read()`'s answer remembered in `pass` under `key`; read anew when there is no pass (a plan made on its own). */
export function rememberedIn<T>(pass: PassMemo | undefined, key: string, read: () => Promise<T>): Promise<T> {
  return pass ? pass.remember(key, read) : read();
}
