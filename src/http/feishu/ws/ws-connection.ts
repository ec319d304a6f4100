import { randomBytes, randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { DeliveryRow } from '../../../store/repositories/deliveries.ts';
import type { AppRow } from '../../../store/repositories/directory.ts';
import type { PushResult, StreamConnection } from '../../../workers/stream-hub.ts';
import { coalescedWrites } from '../../coalesced-writes.ts';
import { CLIENT_CONFIG, FEISHU_SERVICE_ID } from './connection-endpoint.ts';
import { decodeFrame, encodeFrame, FRAME_METHOD, headerOf, type Frame } from './frame.ts';

/** Feishu re-pushes an event not answered 200 within 3 s ("需要在 3 秒内处理完成", reference §4.3). */
const FEISHU_ANSWER_MS = 3_000;
/** How long a closing connection waits for the client's close frame (ms). */
const CLOSE_GRACE_MS = 1_000;

/**
 * One connection of Feishu's long-connection client (`lark.WSClient` of
 * `@larksuiteoapi/node-sdk` 1.74; reference long-connections.md §4): binary `pbbp2.Frame`s.
 * - Client pings (control, `type=ping`) are answered with a pong carrying the ClientConfig.
 * - An event is a data frame, headers `type=event`, `message_id` (one per push), `sum=1`,
 *   `seq=0`, `trace_id`, payload the exact schema 2.0 JSON body of the HTTP push, in clear
 *   (the SDK hands it to `EventDispatcher.invoke` without checks).
 * - The client answers with the same frame, payload `{"code": 200}` (handled) or
 *   `{"code": 500}` (the handler threw); 500 or no answer within 3 s (or the delivery timeout
 *   when shorter) asks for a re-push, which keeps `header.event_id`.
 */
export class FeishuWsConnection implements StreamConnection {
  readonly id = randomUUID();
  readonly platform = 'feishu' as const;
  readonly appId: string;
  readonly tenantId: string;
  private readonly waiting = new Map<string, (frame: Frame | null) => void>();
  private seq = 0;
  /** Called before a push's write: the pushes of one pass leave together. */
  private readonly coalesce: () => void;

  /** @param raw the TCP socket under `socket`, whose writes pushes coalesce (none: written one by one). */
  constructor(private readonly socket: WebSocket, app: AppRow, onClose: () => void, raw?: Duplex) {
    this.coalesce = raw ? coalescedWrites(raw) : () => {};
    this.appId = app.id;
    this.tenantId = app.tenant_id;
    socket.on('message', (data, isBinary) => {
      if (isBinary) this.receive(data as Buffer);
    });
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      for (const answer of this.waiting.values()) answer(null);
      this.waiting.clear();
      onClose();
    });
  }

  get closed(): boolean {
    return this.socket.readyState !== this.socket.OPEN;
  }

  push(delivery: DeliveryRow, timeoutMs: number): Promise<PushResult> {
    const messageId = randomBytes(16).toString('hex');
    const traceId = randomUUID();
    const frame: Frame = {
      SeqID: ++this.seq, LogID: this.seq, service: FEISHU_SERVICE_ID, method: FRAME_METHOD.data,
      headers: [
        { key: 'type', value: 'event' }, { key: 'message_id', value: messageId }, { key: 'sum', value: '1' },
        { key: 'seq', value: '0' }, { key: 'trace_id', value: traceId }, { key: 'timestamp', value: String(Date.now()) },
      ],
      payload: Buffer.from(delivery.payload, 'utf8'),
    };
    const sent = {
      body: delivery.payload,
      headers: JSON.stringify({ transport: 'feishu-ws', connectionId: this.id, ...Object.fromEntries(frame.headers.map((h) => [h.key, h.value])) }),
    };
    const wait = Math.min(timeoutMs, FEISHU_ANSWER_MS);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(messageId);
        resolve({ sent, outcome: { error: `no answer within ${wait} ms` } });
      }, wait);
      this.waiting.set(messageId, (answer) => {
        clearTimeout(timer);
        this.waiting.delete(messageId);
        resolve({ sent, outcome: answer ? judge(answer) : { error: 'the connection closed before the answer' } });
      });
      this.coalesce();
      this.socket.send(encodeFrame(frame), (error) => {
        if (error) this.waiting.get(messageId)?.(null);
      });
    });
  }

  close(_reason: string): void {
    this.socket.close(1000, 'closed by the server');
    // A client that never answers the close frame would hold its pushes until their timeout.
    setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  private receive(bytes: Buffer): void {
    let frame: Frame;
    try {
      frame = decodeFrame(bytes);
    } catch {
      return;
    }
    if (frame.method === FRAME_METHOD.control) {
      if (headerOf(frame, 'type') === 'ping') this.pong(frame);
      return;
    }
    const messageId = headerOf(frame, 'message_id');
    if (messageId) this.waiting.get(messageId)?.(frame);
  }

  private pong(ping: Frame): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(encodeFrame({
      SeqID: 0, LogID: 0, service: ping.service, method: FRAME_METHOD.control,
      headers: [{ key: 'type', value: 'pong' }],
      payload: Buffer.from(JSON.stringify(CLIENT_CONFIG)),
    }));
  }
}

/** `{"code": 200}` is handled; anything else asks for a re-push. */
function judge(answer: Frame): { status?: number; reply: string; error?: string } {
  const reply = Buffer.from(answer.payload ?? new Uint8Array()).toString('utf8');
  let code: unknown;
  try {
    code = (JSON.parse(reply) as { code?: unknown }).code;
  } catch {
    return { reply, error: 'the answer is not JSON {"code": …}' };
  }
  if (code === 200) return { status: 200, reply };
  return { status: typeof code === 'number' ? code : undefined, reply, error: `answer code ${String(code)}` };
}
