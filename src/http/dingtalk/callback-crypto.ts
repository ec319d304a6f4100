import { createCipheriv, createDecipheriv, createHash, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * DingTalk's HTTP event-callback encryption ("加解密方案说明" and "消息体签名" in DingTalk's
 * published developer guide, ddtalk/dingTalkDoc source/includes/_isvguide.md; the same scheme
 * as the official `DingCallbackCrypto` samples in open-dingtalk/DingTalk-Callback-Crypto):
 *
 * - AESKey = base64-decode(aesKey + "="), 32 bytes; AES-256-CBC with IV = AESKey[0..16).
 * - encrypt = base64(AES(random(16) ‖ uint32be(len(msg)) ‖ msg ‖ receiveId ‖ pad)), where
 *   `receiveId` is the corpId (callbacks registered for an org), the appKey (an internal app's
 *   event subscription) or the suiteKey (ISV suites), and pad is PKCS#7 to **32-byte** blocks.
 * - msg_signature = hex(SHA-1(sorted [token, timestamp, nonce, encrypt] joined)).
 *
 * DingTalk POSTs `?signature=…&timestamp=…&nonce=…` with body `{"encrypt": …}`; the receiver
 * answers `{msg_signature, timeStamp, nonce, encrypt}` whose plaintext is `success`.
 * Decoding failures throw `Error` naming the failed check and DingTalk's code for it
 * (900004 bad aesKey, 900005 signature mismatch, 900008 undecryptable, 900010 wrong receiveId).
 */

/** What encrypting and decrypting need: the app's aesKey and whom the message is for. */
export interface DingTalkCallbackCipherKeys {
  /** The 43-character EncodingAESKey set on the developer console. */
  aesKey: string;
  /** corpId, appKey or suiteKey: appended to every plaintext and checked on decryption. */
  receiveId: string;
}

/** All of an app's callback secrets: the cipher keys plus the signing token. */
export interface DingTalkCallbackKeys extends DingTalkCallbackCipherKeys {
  token: string;
}

/** The signed, encrypted object (the shape of a receiver's reply, and of `getEncryptedMap`). */
export interface DingTalkCallbackEnvelope {
  msg_signature: string;
  /** Milliseconds since the epoch, as a decimal string. */
  timeStamp: string;
  nonce: string;
  encrypt: string;
}

/** The plaintext of the URL-check event DingTalk sends when a callback URL is registered. */
export const DINGTALK_CHECK_URL_MESSAGE = '{"EventType":"check_url"}';
/** What a receiver encrypts in its reply to say it took the event. */
export const DINGTALK_CALLBACK_SUCCESS = 'success';

/** Padding block: the key length, not AES's 16 bytes, as in every official sample. */
const BLOCK = 32;
const RANDOM_LENGTH = 16;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const ENCODING_AES_KEY = /^[A-Za-z0-9+/]{43}$/;

/** hex(SHA-1) of the four strings sorted and concatenated (the doc's `dev_msg_signature`). */
export function dingTalkCallbackSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

/**
 * Encrypts `message` (UTF-8) for `receiveId`.
 * @param random the 16-byte prefix; default 16 random alphanumeric characters, as DingTalk
 *   sends, since some receivers decode the whole plaintext as text before slicing it.
 * @throws Error (900004) when aesKey is not 43 base64 characters.
 */
export function encryptDingTalkCallback(message: string, keys: DingTalkCallbackCipherKeys, random?: Buffer): string {
  const prefix = random ?? randomAlphanumeric(RANDOM_LENGTH);
  if (prefix.length !== RANDOM_LENGTH) throw new Error(`DingTalk callback: random prefix must be ${RANDOM_LENGTH} bytes`);
  const msg = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(msg.length);
  const body = Buffer.concat([prefix, length, msg, Buffer.from(keys.receiveId, 'utf8')]);
  const padLength = BLOCK - (body.length % BLOCK);
  const plain = Buffer.concat([body, Buffer.alloc(padLength, padLength)]);

  const key = aesKeyBytes(keys.aesKey);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/**
 * Decrypts an `encrypt` value and returns the message (UTF-8).
 * @throws Error (900004) bad aesKey; (900008) not base64 of whole AES blocks, bad padding or
 *   a length field past the end; (900010) the trailing receiveId is not `keys.receiveId`.
 */
export function decryptDingTalkCallback(encrypt: string, keys: DingTalkCallbackCipherKeys): string {
  const key = aesKeyBytes(keys.aesKey);
  const data = Buffer.from(encrypt, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) throw new Error('DingTalk callback: encrypt is not whole AES blocks (900008)');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data), decipher.final()]);

  const padLength = plain[plain.length - 1] ?? 0;
  const bodyEnd = plain.length - padLength;
  if (padLength < 1 || padLength > BLOCK || bodyEnd < RANDOM_LENGTH + 4 || plain.subarray(bodyEnd).some((b) => b !== padLength)) {
    throw new Error('DingTalk callback: bad padding (900008)');
  }
  const msgLength = plain.readUInt32BE(RANDOM_LENGTH);
  const msgEnd = RANDOM_LENGTH + 4 + msgLength;
  if (msgEnd > bodyEnd) throw new Error('DingTalk callback: message length past the end (900008)');
  if (plain.subarray(msgEnd, bodyEnd).toString('utf8') !== keys.receiveId) {
    throw new Error('DingTalk callback: receiveId does not match (900010)');
  }
  return plain.subarray(RANDOM_LENGTH + 4, msgEnd).toString('utf8');
}

/**
 * Encrypts and signs `message` into the envelope the official samples' `getEncryptedMap` return.
 * @param options.timestamp ms since the epoch (default now); options.nonce default 16
 *   alphanumeric characters; options.random as for encryptDingTalkCallback.
 */
export function buildDingTalkCallbackEnvelope(
  message: string,
  keys: DingTalkCallbackKeys,
  options: { timestamp?: string | number; nonce?: string; random?: Buffer } = {},
): DingTalkCallbackEnvelope {
  const timeStamp = String(options.timestamp ?? Date.now());
  const nonce = options.nonce ?? randomAlphanumeric(16).toString('ascii');
  const encrypt = encryptDingTalkCallback(message, keys, options.random);
  return { msg_signature: dingTalkCallbackSignature(keys.token, timeStamp, nonce, encrypt), timeStamp, nonce, encrypt };
}

/**
 * Checks an envelope's signature, then decrypts it.
 * @throws Error (900005) on a signature mismatch, otherwise as decryptDingTalkCallback.
 */
export function openDingTalkCallbackEnvelope(envelope: DingTalkCallbackEnvelope, keys: DingTalkCallbackKeys): string {
  const expected = Buffer.from(dingTalkCallbackSignature(keys.token, envelope.timeStamp, envelope.nonce, envelope.encrypt));
  const given = Buffer.from(envelope.msg_signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new Error('DingTalk callback: msg_signature does not match (900005)');
  }
  return decryptDingTalkCallback(envelope.encrypt, keys);
}

/**
 * The HTTP request DingTalk makes for an envelope: the query string (the documented
 * `signature`, `timestamp`, `nonce`) and the compact JSON body `{"encrypt": …}`.
 */
export function dingTalkCallbackRequest(envelope: DingTalkCallbackEnvelope): { query: string; body: string } {
  const query = new URLSearchParams({ signature: envelope.msg_signature, timestamp: envelope.timeStamp, nonce: envelope.nonce });
  return { query: query.toString(), body: JSON.stringify({ encrypt: envelope.encrypt }) };
}

/**
 * Whether a receiver's reply body is a well-signed envelope whose plaintext is `success`
 * (the answer to a pushed event and to the `check_url` handshake). Never throws.
 */
export function isDingTalkCallbackAcknowledged(replyBody: string, keys: DingTalkCallbackKeys): boolean {
  try {
    const reply = JSON.parse(replyBody) as Partial<Record<keyof DingTalkCallbackEnvelope, unknown>>;
    const { msg_signature, timeStamp, nonce, encrypt } = reply;
    if (typeof msg_signature !== 'string' || typeof nonce !== 'string' || typeof encrypt !== 'string') return false;
    // The samples differ: Java and Python send timeStamp as a string, PHP as a number.
    if (typeof timeStamp !== 'string' && typeof timeStamp !== 'number') return false;
    const envelope = { msg_signature, timeStamp: String(timeStamp), nonce, encrypt };
    return openDingTalkCallbackEnvelope(envelope, keys) === DINGTALK_CALLBACK_SUCCESS;
  } catch {
    return false;
  }
}

function aesKeyBytes(aesKey: string): Buffer {
  // Buffer's base64 decoder skips bad characters silently, so check the alphabet first.
  if (!ENCODING_AES_KEY.test(aesKey)) throw new Error('DingTalk callback: aesKey must be 43 base64 characters (900004)');
  return Buffer.from(`${aesKey}=`, 'base64');
}

function randomAlphanumeric(count: number): Buffer {
  let text = '';
  for (let i = 0; i < count; i += 1) text += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return Buffer.from(text, 'ascii');
}
