import type { Platform } from '../core/actor.ts';
import type { DeliveryRow } from '../store/repositories/deliveries.ts';
import type { PushResult } from './stream-hub.ts';

/**
 * The messages between the serving thread and its delivery thread (`delivery-thread.ts`), each
 * a batch of what one turn of the sender's event loop produced: one `postMessage` per turn, not
 * per push.
 */

/** A long connection the serving thread holds, as the delivery thread knows it. */
export interface ConnectionInfo {
  id: string;
  platform: Platform;
  /** Internal ids of the app and its tenant. */
  appId: string;
  tenantId: string;
}

/** A push the delivery thread asks the serving thread to make; `ticket` pairs it with its result. */
export interface PushRequest {
  ticket: number;
  connectionId: string;
  delivery: DeliveryRow;
  /** How long the connection waits for the acknowledgement (ms). */
  timeoutMs: number;
}

export interface PushAnswer {
  ticket: number;
  result: PushResult;
}

/** From the serving thread to the delivery thread. */
export type ToDeliveryThread =
  | { type: 'opened'; connection: ConnectionInfo }
  | { type: 'closed'; id: string }
  | { type: 'answers'; answers: PushAnswer[] }
  /** The sandbox clock was shifted (`SandboxClock.shift`): the thread's applies it at once. */
  | { type: 'clock'; offsetMs: number }
  | { type: 'stop' };

/** From the delivery thread to the serving thread. */
export type FromDeliveryThread =
  | { type: 'ready' }
  | { type: 'pushes'; pushes: PushRequest[] }
  | { type: 'log'; message: string }
  | { type: 'stopped' };

/**
 * Collects items and hands them over as one batch after the current turn of the event loop
 * (`setImmediate`), so the pushes a pass starts, or the answers that arrived on one read of a
 * socket, cross the thread boundary in one message.
 */
export class Batcher<T> {
  private items: T[] = [];
  private scheduled = false;

  constructor(private readonly send: (items: T[]) => void) {}

  add(item: T): void {
    this.items.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Sends what is waiting now. */
  flush(): void {
    this.scheduled = false;
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.send(items);
  }
}
