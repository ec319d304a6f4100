import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Platform } from '../core/actor.ts';
import { spendStreamTicket } from '../core/auth/stream-tickets.ts';
import type { AppRow } from '../store/repositories/directory.ts';
import type { StreamConnection, StreamHub } from '../workers/stream-hub.ts';
import type { AppDeps, HttpApp } from './deps.ts';
import { DINGTALK_STREAM_PATH } from './dingtalk/stream/open-connection.ts';
import { DingTalkStreamConnection } from './dingtalk/stream/stream-connection.ts';
import { FEISHU_WS_PATH } from './feishu/ws/connection-endpoint.ts';
import { FeishuWsConnection } from './feishu/ws/ws-connection.ts';

/** Opens a connection on `socket`, the WebSocket made on the TCP socket `raw` (whose writes the connection may coalesce). */
type Open = (socket: WebSocket, app: AppRow, onClose: () => void, raw: Duplex) => StreamConnection;

/** The WebSocket paths a connection ticket opens, each in its platform's protocol. */
const PROTOCOLS: Record<string, { platform: Platform; open: Open }> = {
  [DINGTALK_STREAM_PATH]: { platform: 'dingtalk', open: (s, a, c, r) => new DingTalkStreamConnection(s, a, c, r) },
  [FEISHU_WS_PATH]: { platform: 'feishu', open: (s, a, c, r) => new FeishuWsConnection(s, a, c, r) },
};

/**
 * The long connections' WebSockets on the API's own port: `GET /connect?ticket=…` (DingTalk
 * Stream Mode) and `GET /ws/v2?…&ticket=…` (Feishu), each opened by a ticket its connection
 * request handed out, spent once. Anything else is refused before the upgrade: 404 for
 * another path, 403 for a missing, unknown, spent or expired ticket (the Go SDK reads a
 * refused Feishu handshake's `Handshake-Status`; the Node SDKs just retry). Open connections
 * join `hub`; closing the server says goodbye to them first.
 */
export function longConnections(app: HttpApp, deps: AppDeps, hub: StreamHub): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    void upgrade(request, socket, head).catch((error: unknown) => {
      app.log.error({ err: error }, 'long connection upgrade failed');
      refuse(socket, 500, 'Internal Server Error');
    });
  });
  app.addHook('preClose', async () => {
    await hub.stop();
    wss.close();
  });

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const protocol = PROTOCOLS[url.pathname.replace(/^\/{2,}/, '/')];
    if (!protocol) return refuse(socket, 404, 'Not Found');
    const ticket = url.searchParams.get('ticket');
    const owner = ticket ? await spendStreamTicket(deps.store, protocol.platform, ticket) : undefined;
    if (!owner) return refuse(socket, 403, 'Forbidden', { 'Handshake-Status': '403', 'Handshake-Msg': 'invalid or expired ticket' });
    wss.handleUpgrade(request, socket, head, (ws) => {
      const connection: StreamConnection = protocol.open(ws, owner, () => void hub.remove(connection), socket);
      hub.add(connection).catch((error: unknown) => {
        app.log.error({ err: error }, 'could not record a long connection');
        ws.terminate();
      });
    });
  }
}

function refuse(socket: Duplex, status: number, text: string, headers: Record<string, string> = {}): void {
  const lines = [`HTTP/1.1 ${status} ${text}`, 'Connection: close', 'Content-Length: 0', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.end(`${lines.join('\r\n')}\r\n\r\n`);
}
