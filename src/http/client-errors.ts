import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { KalendsError } from '../core/errors.ts';
import { dingTalkError } from './dingtalk/index.ts';
import { feishuError } from './feishu/index.ts';
import { OAUTH_TOKEN_URL, oauthTokenError, oauthTokenErrorBody } from './feishu/oauth-errors.ts';
import { newRequestId } from './request-id.ts';

/**
 * Answers a request Node's HTTP parser refused before Fastify saw it (a request line and headers
 * over Node's 16 KiB `--max-http-header-size`: 431; an unparsable request: 400; too slow: 408),
 * in the error format of the dialect its path names — the path is read from the start of the raw
 * bytes — instead of Fastify's generic body. The connection is closed afterwards, as Node does.
 * Source: https://nodejs.org/api/http.html#event-clienterror
 */
export function answerClientError(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message = status === 431 ? 'the request line and headers exceed 16 KiB' : status === 408 ? 'the request took too long to arrive' : 'the request is not valid HTTP';
  const raw = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.toString('latin1', 0, 256) : '';
  const path = / (\S+)/.exec(raw)?.[1] ?? '';
  const id = newRequestId();
  const kalendsError = new KalendsError('INVALID_PARAMETER', message, { httpStatus: status });
  let body: unknown;
  let extra = '';
  if (path.split('?')[0]!.replace(/^\/+/, '/') === OAUTH_TOKEN_URL) {
    // That endpoint words every refusal its own way (oauth-errors.ts).
    body = oauthTokenErrorBody(oauthTokenError(kalendsError, status));
    extra = `X-Tt-Logid: ${id}\r\n`;
  } else if (/^\/+open-apis(\/|$)/.test(path)) {
    body = feishuError(kalendsError, id).body;
    extra = `X-Tt-Logid: ${id}\r\n`;
  } else if (path.startsWith('/admin/')) {
    body = { code: 'INVALID_PARAMETER', message };
  } else {
    body = dingTalkError(kalendsError, id).body;
  }
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${extra}Connection: close\r\n\r\n${text}`);
  }
  socket.destroy(error);
}
