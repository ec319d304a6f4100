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
  /** The callbacks one outbox `change` row causes to this platform's apps (none is fine). */
  plan(tx: Db, change: OutboxRow, now: number): Promise<PlannedCallback[]>;
  /** Encrypts and signs a delivery's payload for one attempt, with `now` (ms) as its time. */
  seal(app: AppRow, delivery: DeliveryRow, now: number): SealedCallback;
  /** Null when the receiver's reply acknowledges the callback; otherwise why it does not. */
  check(app: AppRow, delivery: DeliveryRow, reply: { status: number; body: string }): string | null;
}
