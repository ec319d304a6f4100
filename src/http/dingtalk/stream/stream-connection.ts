import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { DeliveryRow } from '../../../store/repositories/deliveries.ts';
import type { AppRow } from '../../../store/repositories/directory.ts';
import type { PushResult, StreamConnection } from '../../../workers/stream-hub.ts';
import { coalescedWrites } from '../../coalesced-writes.ts';

/** How often the server sends SYSTEM `ping` (ms); DingTalk does not document its own period. */
const PING_MS = 30_000;
/** How long a closing connection waits for the client's close frame (ms). */
const CLOSE_GRACE_MS = 1_000;

/** An answer the client sends back on the socket (`DWClient.send`): to a ping, or an ACK. */
interface UpFrame {
  code?: number;
  headers?: { messageId?: string };
  message?: string;
  data?: string;
}

/**
 * One DingTalk Stream Mode connection (`dingtalk-stream` 2.1.5 `DWClient`; reference
 * long-connections.md §2): JSON text frames `{specVersion, type, headers, data}`.
 * - A calendar change is an EVENT push: `headers.eventType` `calendar_event_change`, `eventId`
 *   (the same on every re-push of that change), `eventCorpId` (the tenant), `eventBornTime` (ms,
 *   the HTTP callback's `TimeStamp`), `messageId` (one per push), and `data` = the HTTP
 *   callback's business fields as a JSON string (`calendarEventId`, `calendarId`,
 *   `changeType`, `organizerUnionId`, `unionIdList`).
 * - The ACK `{code: 200, headers: {messageId}, data: "{\"status\":…}"}`: `SUCCESS` or no
 *   status (the SDK's async listeners send `"{}"`) is delivered; `LATER` or any other code asks
 *   for a re-push; no ACK within the timeout too.
 * - SYSTEM `ping` every PING_MS (the SDK echoes it); SYSTEM `disconnect` before the server
 *   closes the connection on purpose, after which the SDK reconnects with a new ticket.
 */
export class DingTalkStreamConnection implements StreamConnection {
  readonly id = randomUUID();
  readonly platform = 'dingtalk' as const;
  readonly appId: string;
  readonly tenantId: string;
  private readonly waiting = new Map<string, (frame: UpFrame | null, raw: string) => void>();
  private readonly pinger: NodeJS.Timeout;
  /** Called before a push's write: the pushes of one pass leave together. */
  private readonly coalesce: () => void;

  /** @param raw the TCP socket under `socket`, whose writes pushes coalesce (none: written one by one). */
  constructor(private readonly socket: WebSocket, private readonly app: AppRow, onClose: () => void, raw?: Duplex) {
    this.coalesce = raw ? coalescedWrites(raw) : () => {};
    this.appId = app.id;
    this.tenantId = app.tenant_id;
    socket.on('message', (data, isBinary) => this.receive(isBinary ? '' : data.toString()));
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      clearInterval(this.pinger);
      for (const answer of this.waiting.values()) answer(null, '');
      this.waiting.clear();
      onClose();
    });
    this.pinger = setInterval(() => this.system('ping', { opaque: randomUUID() }), PING_MS);
    this.pinger.unref();
  }

  get closed(): boolean {
    return this.socket.readyState !== this.socket.OPEN;
  }

  push(delivery: DeliveryRow, timeoutMs: number): Promise<PushResult> {
    const message = JSON.parse(delivery.payload) as Record<string, unknown>;
    const { EventType, CorpId, TimeStamp, ...business } = message;
    const messageId = randomUUID();
    const frame = {
      specVersion: '1.0',
      type: 'EVENT',
      headers: {
        appId: this.app.client_id,
        connectionId: this.id,
        contentType: 'application/json',
        eventBornTime: String(TimeStamp ?? Date.now()),
        eventCorpId: String(CorpId ?? this.tenantId),
        eventId: delivery.event_id ?? messageId,
        eventType: String(EventType ?? delivery.event_type),
        eventUnifiedAppId: this.app.client_id,
        messageId,
        time: String(Date.now()),
        topic: '*',
      },
      data: JSON.stringify(business),
    };
    const body = JSON.stringify(frame);
    const sent = { body, headers: JSON.stringify({ transport: 'dingtalk-stream', connectionId: this.id, messageId }) };
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(messageId);
        resolve({ sent, outcome: { error: `no ACK within ${timeoutMs} ms` } });
      }, timeoutMs);
      this.waiting.set(messageId, (ack, raw) => {
        clearTimeout(timer);
        this.waiting.delete(messageId);
        resolve({ sent, outcome: ack ? judge(ack, raw) : { error: 'the connection closed before the ACK' } });
      });
      this.coalesce();
      this.socket.send(body, (error) => {
        if (error) this.waiting.get(messageId)?.(null, '');
      });
    });
  }

  close(reason: string): void {
    this.system('disconnect', { reason });
    this.socket.close(1000, 'disconnect');
    // A client that never answers the close frame would hold its pushes until their timeout.
    setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  private system(topic: string, data: object): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify({
      specVersion: '1.0', type: 'SYSTEM',
      headers: { contentType: 'application/json', messageId: randomUUID(), time: String(Date.now()), topic },
      data: JSON.stringify(data),
    }));
  }

  /** An ACK settles its push; ping echoes and anything else are ignored. */
  private receive(text: string): void {
    let frame: UpFrame;
    try {
      frame = JSON.parse(text) as UpFrame;
    } catch {
      return;
    }
    const messageId = frame.headers?.messageId;
    if (messageId) this.waiting.get(messageId)?.(frame, text);
  }
}

/** SUCCESS, or a code-200 ACK without a status, is delivered; anything else asks again. */
function judge(ack: UpFrame, raw: string): { status?: number; reply: string; error?: string } {
  const reply = raw;
  if (ack.code !== 200) return { status: ack.code, reply, error: `ACK code ${String(ack.code)}` };
  let status: unknown;
  let message: unknown;
  try {
    ({ status, message } = JSON.parse(ack.data ?? '{}') as { status?: unknown; message?: unknown });
  } catch {
    status = undefined;
  }
  if (status === undefined || status === 'SUCCESS') return { status: 200, reply };
  return { status: 200, reply, error: `ACK ${String(status)}${message ? `: ${String(message)}` : ''}` };
}
