import { createHash, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** scrypt cost parameters (RFC 7914 §2): N = 2^ln, block size r, parallelism p. */
interface ScryptParams { ln: number; r: number; p: number }

/**
 * The parameters of new hashes: 32 MiB and ~110 ms here. At 32 MiB glibc's malloc maps the
 * block on its own and gives it back when freed; the 16 MiB of the earlier parameters (N = 2^14)
 * fell under its moving mmap threshold from the second hash on and stayed in the process's
 * memory for good.
 */
const CURRENT: ScryptParams = { ln: 15, r: 8, p: 1 };
/** What a stored `scrypt$salt$hash` (no parameters written) was made with. */
const FIRST: ScryptParams = { ln: 14, r: 8, p: 1 };
/** The parameters a stored hash may name: others (a damaged or foreign value) match nothing. */
const KNOWN = [CURRENT, FIRST];

/** Hashes an app secret for storage: `scrypt$ln=15,r=8,p=1$salt$hash`, salt and hash in hex. */
export function hashSecret(secret: string): string {
  const salt = randomBytes(16);
  const { ln, r, p } = CURRENT;
  return `scrypt$ln=${ln},r=${r},p=${p}$${salt.toString('hex')}$${scrypt(secret, salt, 32, CURRENT).toString('hex')}`;
}

/** True when `stored` was made with other parameters than new hashes are: hash the secret anew. */
export function needsRehash(stored: string): boolean {
  const parsed = parseStored(stored);
  return !parsed || parsed.params.ln !== CURRENT.ln || parsed.params.r !== CURRENT.r || parsed.params.p !== CURRENT.p;
}

function scrypt(secret: string, salt: Buffer, length: number, { ln, r, p }: ScryptParams): Buffer {
  const N = 2 ** ln;
  return scryptSync(secret, salt, length, { N, r, p, maxmem: 256 * N * r });
}

/**
 * The parts of a stored hash, or undefined when it is not one this code made: parameters other
 * than KNOWN (scrypt would refuse some, and run for hours or take gigabytes on others), a salt
 * or hash that is not hex of 16 to 64 bytes.
 */
function parseStored(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts[0] !== 'scrypt' || (parts.length !== 3 && parts.length !== 4)) return undefined;
  const params = parts.length === 3 ? FIRST : KNOWN.find(({ ln, r, p }) => parts[1] === `ln=${ln},r=${r},p=${p}`);
  const [saltHex, hashHex] = parts.slice(-2);
  const hex = /^(?:[0-9a-f]{2}){16,64}$/;
  if (!params || !hex.test(saltHex!) || !hex.test(hashHex!)) return undefined;
  return { params, salt: Buffer.from(saltHex!, 'hex'), hash: Buffer.from(hashHex!, 'hex') };
}

/**
 * Secrets already verified in this process: stored hash → HMAC (under a key made at start) of
 * the secret that matched it. scrypt protects the stored hash (a copied database) and is slow on
 * purpose: ~110 ms of the thread that serves every request, and 32 MiB; without this, each token
 * request stalled all others that long. Only a secret that matched is remembered; a secret that
 * does not match the remembered one still pays scrypt, as before, so guessing is no faster; a
 * changed secret has a new stored hash, so nothing stale matches.
 */
const verified = new LRUCache<string, Buffer>({ max: 1_000 });
const rememberKey = randomBytes(32);

/**
 * True when `secret` is the one `stored` was made from (constant-time comparisons); false too
 * for a stored value this code did not make (never throws).
 */
export function verifySecret(secret: string, stored: string): boolean {
  const digest = createHmac('sha256', rememberKey).update(secret).digest();
  const known = verified.get(stored);
  if (known && timingSafeEqual(known, digest)) return true;
  const parsed = parseStored(stored);
  if (!parsed) return false;
  const actual = scrypt(secret, parsed.salt, parsed.hash.length, parsed.params);
  if (!timingSafeEqual(parsed.hash, actual)) return false;
  verified.set(stored, digest);
  return true;
}

/** A random bearer token of 256 bits, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored by their SHA-256, never in clear. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
