// Receivers of Kalends' event callbacks on real node:http servers on 127.0.0.1, the admin API
// (deliveries, inboxes) and a bounded poll. The DingTalk receiver's crypto is written here from
// DingTalk's documented scheme ("加解密方案说明", "消息体签名" in ddtalk/dingTalkDoc
// _isvguide.md) and shares no code with src/http/dingtalk/callback-crypto.ts: it is the
// independent party that must be able to read what the server sends.
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as lark from '@larksuiteoapi/node-sdk';

export const ADMIN_TOKEN = 'kalends-delivery-test-admin-token';

// ---- Bounded polling ------------------------------------------------------------------------

/**
 * Calls `probe` every 50 ms until it returns something other than undefined/false, at most
 * `timeoutMs`; then fails with `label` and the last value `describe` gives.
 */
export async function poll<T>(label: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, describe?: () => unknown): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      const seen = describe ? `; last seen: ${JSON.stringify(await describe())?.slice(0, 1500)}` : '';
      assert.fail(`${label}: not within ${timeoutMs} ms${seen}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---- Admin API --------------------------------------------------------------------------------

export interface DeliveryView {
  id: number;
  app: string;
  event_type: string;
  event_id: string | null;
  url: string;
  payload: string;
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  last_reply: string | null;
  sent_body: string | null;
}

export interface InboxView {
  kind: string;
  topic: string;
  text: string;
  event_id: string | null;
  app_id: string | null;
}

/** GET /admin/v1<path> with the test admin token; asserts 200 and returns the parsed body. */
export async function adminGet(baseUrl: string, path: string): Promise<any> {
  const res = await fetch(`${baseUrl}/admin/v1${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const text = await res.text();
  assert.equal(res.status, 200, `GET /admin/v1${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** The app's deliveries (GET /admin/v1/deliveries?app=), oldest first. */
export async function deliveriesOf(baseUrl: string, clientId: string): Promise<DeliveryView[]> {
  const body = await adminGet(baseUrl, `/deliveries?app=${encodeURIComponent(clientId)}&limit=500`);
  assert.ok(Array.isArray(body.deliveries), 'deliveries is an array');
  return (body.deliveries as DeliveryView[]).slice().reverse();
}

/** A user's inbox (GET /admin/v1/inbox?user=), oldest first. */
export async function inboxOf(baseUrl: string, user: string): Promise<InboxView[]> {
  const body = await adminGet(baseUrl, `/inbox?user=${encodeURIComponent(user)}&limit=500`);
  assert.ok(Array.isArray(body.messages), 'messages is an array');
  return (body.messages as InboxView[]).slice().reverse();
}

// ---- A plain HTTP receiver ------------------------------------------------------------------------

export interface RawRequest {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  requests: RawRequest[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function listen(server: Server, path: string): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
}

function closer(server: Server): () => Promise<void> {
  return () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/**
 * A receiver whose replies `answer` decides from the request and its 1-based number; an answer
 * of null never replies (the connection hangs until the client gives up or the test closes it).
 */
export async function startRawReceiver(
  answer: (req: RawRequest, n: number) => { status: number; body: string } | null | Promise<{ status: number; body: string } | null>,
  path = '/hook',
): Promise<Receiver> {
  const requests: RawRequest[] = [];
  const server = createServer(async (req, res) => {
    const request = { url: req.url ?? '', headers: req.headers, body: await readBody(req), at: Date.now() };
    requests.push(request);
    const reply = await answer(request, requests.length);
    if (reply === null) return;
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
  });
  return { url: await listen(server, path), requests, close: closer(server) };
}

/**
 * A URL where nothing listens: a port of 127.0.0.2 that was free a moment ago (the servers
 * and receivers of the tests listen on 127.0.0.1 only, so none can take it over). Not a fixed
 * low port: fetch refuses the "bad ports" (1, 7, 9…) before connecting.
 */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  const { port } = server.address() as AddressInfo;
  await closer(server)();
  return `http://127.0.0.2:${port}/hook`;
}

// ---- Feishu: the official SDK's EventDispatcher behind adaptDefault ------------------------------

export const FEISHU_PATH = '/feishu/events';

export interface FeishuReceived {
  type: string;
  data: Record<string, any>;
}

export interface FeishuReceiver extends Receiver {
  /** What the SDK's handlers were called with (flattened header + event). */
  events: FeishuReceived[];
}

/**
 * The receiving app as Feishu's docs show it: `new lark.EventDispatcher({encryptKey,
 * verificationToken}).register(handlers)` behind `lark.adaptDefault(path, dispatcher,
 * {autoChallenge: true})` on node:http. Requests are also recorded raw (headers only: the
 * adapter reads the body itself).
 */
export async function startFeishuReceiver(secrets: { encryptKey?: string; verificationToken?: string }): Promise<FeishuReceiver> {
  const events: FeishuReceived[] = [];
  const requests: RawRequest[] = [];
  const record = (type: string) => async (data: unknown) => {
    events.push({ type, data: data as Record<string, any> });
    return 'ok';
  };
  const dispatcher = new lark.EventDispatcher({ ...secrets, loggerLevel: lark.LoggerLevel.error }).register({
    'calendar.calendar.event.changed_v4': record('calendar.calendar.event.changed_v4'),
    'calendar.calendar.changed_v4': record('calendar.calendar.changed_v4'),
    'calendar.calendar.acl.created_v4': record('calendar.calendar.acl.created_v4'),
  });
  const adapter = lark.adaptDefault(FEISHU_PATH, dispatcher, { autoChallenge: true });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({ url: req.url ?? '', headers: req.headers, body: '', at: Date.now() });
    void adapter(req, res);
  });
  return { url: await listen(server, FEISHU_PATH), requests, events, close: closer(server) };
}

// ---- DingTalk: an independent decryptor and encrypted "success" -----------------------------------

export interface DingTalkKeys {
  token: string;
  /** 43-character EncodingAESKey. */
  aesKey: string;
  /** The appKey the messages are encrypted for. */
  receiveId: string;
}

function aesKey(keys: DingTalkKeys): Buffer {
  const key = Buffer.from(`${keys.aesKey}=`, 'base64');
  assert.equal(key.length, 32, 'aesKey decodes to 32 bytes');
  return key;
}

/** sha1 over the sorted [token, timestamp, nonce, encrypt], hex. */
export function dtSign(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

/** AES-256-CBC(key, iv = key[0..16)) of random(16) ‖ len(4, big-endian) ‖ msg ‖ receiveId, PKCS#7 to 32. */
export function dtEncrypt(msg: string, keys: DingTalkKeys): string {
  const key = aesKey(keys);
  const m = Buffer.from(msg, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(m.length);
  const raw = Buffer.concat([randomBytes(16), len, m, Buffer.from(keys.receiveId, 'utf8')]);
  const pad = 32 - (raw.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([raw, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

/** The inverse of dtEncrypt; checks the padding and that the trailing id is the receiver's. */
export function dtDecrypt(encrypt: string, keys: DingTalkKeys): string {
  const key = aesKey(keys);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(Buffer.from(encrypt, 'base64')), decipher.final()]);
  const pad = plain[plain.length - 1]!;
  assert.ok(pad >= 1 && pad <= 32, `bad padding length ${pad}`);
  assert.ok(plain.subarray(plain.length - pad).every((b) => b === pad), 'bad padding bytes');
  const body = plain.subarray(0, plain.length - pad);
  const n = body.readUInt32BE(16);
  assert.equal(body.subarray(20 + n).toString('utf8'), keys.receiveId, 'receiveId at the end of the plaintext');
  return body.subarray(20, 20 + n).toString('utf8');
}

export interface DingTalkReceived {
  /** The decrypted message, parsed. */
  message: Record<string, any>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  at: number;
}

export interface DingTalkReceiver extends Receiver {
  /** Every message that passed the signature check and decrypted, in arrival order. */
  messages: DingTalkReceived[];
  /** Requests that failed the checks, and why. */
  rejected: string[];
}

/**
 * DingTalk's HTTP callback receiver: checks `signature` (query) against the body's `encrypt`,
 * decrypts, and answers `{msg_signature, timeStamp, nonce, encrypt("success")}`, unless
 * `reply` says otherwise (`'plain'`: HTTP 200 `success` in clear).
 */
export async function startDingTalkReceiver(keys: DingTalkKeys, opts: { reply?: 'encrypted' | 'plain'; delayMs?: () => number } = {}): Promise<DingTalkReceiver> {
  const messages: DingTalkReceived[] = [];
  const rejected: string[] = [];
  const receiver = await startRawReceiver(async (req) => {
    const query = new URL(req.url, 'http://x').searchParams;
    let message: Record<string, any>;
    try {
      const { encrypt } = JSON.parse(req.body) as { encrypt: string };
      const [signature, timestamp, nonce] = ['signature', 'timestamp', 'nonce'].map((k) => query.get(k) ?? '');
      assert.equal(signature, dtSign(keys.token, timestamp!, nonce!, encrypt), 'signature');
      message = JSON.parse(dtDecrypt(encrypt, keys)) as Record<string, any>;
    } catch (error) {
      rejected.push((error as Error).message);
      return { status: 400, body: '{"error":"rejected"}' };
    }
    messages.push({ message, query, headers: req.headers, at: Date.now() });
    const delay = opts.delayMs?.() ?? 0;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (opts.reply === 'plain') return { status: 200, body: 'success' };
    const timeStamp = String(Date.now());
    const nonce = randomBytes(6).toString('hex');
    const encrypt = dtEncrypt('success', keys);
    return { status: 200, body: JSON.stringify({ msg_signature: dtSign(keys.token, timeStamp, nonce, encrypt), timeStamp, nonce, encrypt }) };
  }, '/dingtalk/callback');
  return { ...receiver, messages, rejected };
}

/** A 43-character EncodingAESKey made from a seed. */
export function aesKeyFrom(seed: string): string {
  return createHash('sha256').update(seed).digest('base64').replace(/=+$/, '').slice(0, 43);
}
