import type { DeliveryRow } from '../store/repositories/deliveries.ts';
import { Batcher, type ConnectionInfo, type PushAnswer, type PushRequest } from './delivery-messages.ts';
import { inTurn, type PushResult } from './stream-hub.ts';
import type { PushTargets } from './stream-sender.ts';

/**
 * The delivery thread's view of the long connections the serving thread holds: a mirror kept by
 * its `opened`/`closed` messages. A push is asked of the serving thread, which makes it on the
 * socket and answers with what was sent and the acknowledgement; the pushes of one turn go in
 * one message (`Batcher`). A connection that closed meanwhile answers with an error, as a
 * connection closing under a push does, and the delivery is pushed again later.
 */
export class RemoteConnections implements PushTargets {
  private readonly byApp = new Map<string, ConnectionInfo[]>();
  private readonly next = new Map<string, number>();
  private readonly waiting = new Map<number, (result: PushResult) => void>();
  private readonly requests: Batcher<PushRequest>;
  private tickets = 0;

  constructor(send: (pushes: PushRequest[]) => void) {
    this.requests = new Batcher(send);
  }

  opened(connection: ConnectionInfo): void {
    this.byApp.set(connection.appId, [...(this.byApp.get(connection.appId) ?? []), connection]);
  }

  closed(id: string): void {
    for (const [appId, open] of this.byApp) {
      const left = open.filter((c) => c.id !== id);
      if (left.length === open.length) continue;
      if (left.length > 0) this.byApp.set(appId, left);
      else this.byApp.delete(appId);
    }
  }

  /** Settles the pushes the serving thread answered. */
  answered(answers: readonly PushAnswer[]): void {
    for (const { ticket, result } of answers) {
      this.waiting.get(ticket)?.(result);
      this.waiting.delete(ticket);
    }
  }

  holds(appId: string): boolean {
    return this.byApp.has(appId);
  }

  apps(): string[] {
    return [...this.byApp.keys()];
  }

  pick(appId: string): { push(delivery: DeliveryRow, timeoutMs: number): Promise<PushResult> } | undefined {
    const connection = inTurn(this.byApp.get(appId), this.next, appId);
    if (!connection) return undefined;
    const connectionId = connection.id;
    return {
      push: (delivery, timeoutMs) => new Promise<PushResult>((resolve) => {
        const ticket = ++this.tickets;
        this.waiting.set(ticket, resolve);
        this.requests.add({ ticket, connectionId, delivery, timeoutMs });
      }),
    };
  }
}
