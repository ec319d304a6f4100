import { createCipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * What Feishu POSTs to an app's event callback URL, built exactly as the official
 * `@larksuiteoapi/node-sdk` (v1.74) `EventDispatcher` / `RequestHandle` verify and parse it
 * (see ../shared/reference/api-surface.md §8 and the SDK's `AESCipher`, `RequestHandle.parse`,
 * `checkIsEventValidated`, `generateChallenge`).
 *
 * - Schema 2.0 envelope: `{schema:"2.0", header:{event_id, token, create_time, event_type,
 *   tenant_key, app_id}, event:{…}}`.
 * - With an `encryptKey` the body becomes `{"encrypt": base64(IV ‖ AES-256-CBC(PKCS#7)(json))}`,
 *   key = SHA-256(encryptKey), IV 16 random bytes, and `X-Lark-Signature` =
 *   hex(SHA-256(timestamp + nonce + encryptKey + body)).
 * - The SDK recomputes the signature over `JSON.stringify(JSON.parse(body))`, so the body is
 *   always compact `JSON.stringify` output: anything else (spaces, another key order) would
 *   be rejected even though it is the same JSON.
 */

/** One HTTP push: the exact body bytes (UTF-8) and the headers to send with them. */
export interface FeishuPush {
  body: string;
  headers: Record<string, string>;
}

/** The app's callback secrets, as set on the Feishu developer console. */
export interface FeishuPushSecrets {
  /** Sent as `header.token` / `token`; the SDK does not check it for events. Default ''. */
  verificationToken?: string;
  /** When set, the body is encrypted and signed; when absent it is sent in clear, unsigned. */
  encryptKey?: string;
  /** `X-Lark-Request-Nonce`; default 16 random hex characters. */
  nonce?: string;
  /** `X-Lark-Request-Timestamp`, Unix seconds; default the current clock. */
  timestamp?: string | number;
}

export interface FeishuEventPushInput extends FeishuPushSecrets {
  /** e.g. `calendar.calendar.event.changed_v4`. */
  eventType: string;
  /** The `event` object, JSON-plain (it is serialised with `JSON.stringify`). */
  event: Record<string, unknown>;
  appId: string;
  tenantKey: string;
  /** `header.event_id`: unique per event; receivers de-duplicate retries by it. */
  eventId: string;
  /** When the event happened, Unix milliseconds; sent as a decimal string. */
  createTime: number;
}

/**
 * A schema 2.0 event push. The SDK hands its handler the flattened `{...header, ...event}`.
 * @returns the compact JSON body (encrypted when `encryptKey` is set) and its headers.
 */
export function buildFeishuEventPush(input: FeishuEventPushInput): FeishuPush {
  return sealFeishuPayload(JSON.stringify(feishuEventEnvelope(input)), input);
}

/** The schema 2.0 envelope of an event push, before sealing. */
export function feishuEventEnvelope(input: Omit<FeishuEventPushInput, 'encryptKey' | 'nonce' | 'timestamp'>): object {
  return {
    schema: '2.0',
    header: {
      event_id: input.eventId,
      token: input.verificationToken ?? '',
      create_time: String(input.createTime),
      event_type: input.eventType,
      tenant_key: input.tenantKey,
      app_id: input.appId,
    },
    event: input.event,
  };
}

/**
 * The `url_verification` request Feishu sends when a callback URL is registered; the
 * receiver must answer `{"challenge": <same value>}` (the SDK adapters' `autoChallenge`).
 * Encrypted and signed like an event when `encryptKey` is set.
 */
export function buildFeishuChallengePush(input: FeishuPushSecrets & { challenge: string }): FeishuPush {
  return sealFeishuPayload(JSON.stringify(feishuChallenge(input.challenge, input.verificationToken)), input);
}

/** The plaintext of a `url_verification` request. */
export function feishuChallenge(challenge: string, verificationToken: string | null | undefined): object {
  return { challenge, token: verificationToken ?? '', type: 'url_verification' };
}

/**
 * Seals a compact-JSON plaintext for sending: as is, or encrypted and signed when the app has
 * an `encryptKey`. The headers always carry the timestamp (Unix seconds) and the nonce.
 */
export function sealFeishuPayload(plain: string, secrets: FeishuPushSecrets): FeishuPush {
  const timestamp = String(secrets.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = secrets.nonce ?? randomBytes(8).toString('hex');
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'X-Lark-Request-Timestamp': timestamp,
    'X-Lark-Request-Nonce': nonce,
  };
  if (!secrets.encryptKey) return { body: plain, headers };

  const body = JSON.stringify({ encrypt: encrypt(plain, secrets.encryptKey) });
  headers['X-Lark-Signature'] = createHash('sha256')
    .update(timestamp + nonce + secrets.encryptKey + body)
    .digest('hex');
  return { body, headers };
}

/** The SDK's `AESCipher` in reverse: the IV travels as the first 16 bytes of the ciphertext. */
function encrypt(plaintext: string, encryptKey: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}
