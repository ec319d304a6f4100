import type { FastifyInstance, FastifyRequest } from 'fastify';

/** One API call as the console shows it, secrets masked. */
export interface ApiCall {
  /** Request id (DingTalk `requestid`, Feishu `X-Tt-Logid`). */
  id: string;
  /** Unix ms when the request arrived. */
  at: number;
  method: string;
  url: string;
  status: number;
  /** Time to answer, ms. */
  latencyMs: number;
  /** The internal id of the app when the call was authenticated. */
  app: string | null;
  requestBody: unknown;
  replyBody: string;
}

/** Field names whose values are secrets (credentials and tokens), in either platform's spelling. */
const SECRET_FIELDS = /secret|token|password|encrypt_?key|aes_?key/i;
/**
 * Names of secret fields in what a client sends (bodies here, query parameters in the request
 * log): in requests, `code` is also the OAuth login code (Feishu oidc/access_token); in replies
 * it is the error code.
 */
export const SECRET_REQUEST_FIELDS = /secret|token|password|encrypt_?key|aes_?key|^code$/i;
/** Longest reply body kept, characters. */
const REPLY_KEPT = 64 * 1024;
/**
 * Largest request body kept (bytes on the wire): a parsed body takes several times its size in
 * memory, and 200 batches of 500 attendees would hold tens of MB.
 */
const REQUEST_KEPT = 16 * 1024;

/**
 * The last `size` API calls of this process, for the console. Kept in memory, as received and
 * sent (references, no copies: recording costs a request nothing), masked when read; each
 * process of a deployment keeps its own. Size 0 keeps nothing.
 */
export class ApiLog {
  private readonly calls: ApiCall[] = [];

  constructor(private readonly size: number) {}

  add(call: ApiCall): void {
    if (this.size === 0) return;
    this.calls.push(call);
    if (this.calls.length > this.size) this.calls.shift();
  }

  /** Newest first, with the secrets in both bodies masked. */
  recent(): ApiCall[] {
    return this.calls.map((c) => ({ ...c, requestBody: maskSecrets(c.requestBody, SECRET_REQUEST_FIELDS), replyBody: maskReply(c.replyBody) })).reverse();
  }
}

/** A copy of a JSON value with the values of secret-named fields replaced by `***`. */
export function maskSecrets(value: unknown, fields: RegExp = SECRET_FIELDS): unknown {
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, fields));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) =>
    [k, fields.test(k) && (typeof v === 'string' || typeof v === 'number') ? '***' : maskSecrets(v, fields)]));
}

function maskReply(payload: string): string {
  if (!payload.startsWith('{')) return payload.slice(0, REPLY_KEPT);
  try {
    return JSON.stringify(maskSecrets(JSON.parse(payload))).slice(0, REPLY_KEPT);
  } catch {
    return payload.slice(0, REPLY_KEPT);
  }
}

/**
 * Records every call under the platform prefixes (`/v1.0`, `/open-apis`) into `log`: the reply
 * is captured as sent, the request body as parsed, both with secrets masked.
 * @param appOf the authenticated app's client id of a request, when there is one.
 */
export function recordApiCalls(app: FastifyInstance, log: ApiLog, appOf: (request: FastifyRequest) => string | null): void {
  app.addHook('onSend', async (request, _reply, payload) => {
    if (isPlatformCall(request.url)) (request as { apiReply?: string }).apiReply = typeof payload === 'string' ? payload : '';
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    if (!isPlatformCall(request.url)) return;
    log.add({
      id: request.id, at: Date.now() - Math.round(reply.elapsedTime), method: request.method, url: request.url,
      status: reply.statusCode, latencyMs: Math.round(reply.elapsedTime * 10) / 10, app: appOf(request),
      requestBody: keptBody(request), replyBody: (request as { apiReply?: string }).apiReply ?? '',
    });
  });
}

function keptBody(request: FastifyRequest): unknown {
  const length = Number(request.headers['content-length'] ?? 0);
  return length > REQUEST_KEPT ? `(a body of ${length} bytes, not kept)` : (request.body ?? null);
}

function isPlatformCall(url: string): boolean {
  return url.startsWith('/v1.0/') || url.startsWith('/open-apis/');
}
