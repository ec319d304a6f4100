import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** Hashes an app secret for storage: `scrypt$salt$hash`, both hex. */
export function hashSecret(secret: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${scryptSync(secret, salt, 32).toString('hex')}`;
}

/**
 * Secrets already verified in this process: stored hash → SHA-256 of the secret that matched it.
 * scrypt protects the stored hash (a copied database) and is slow on purpose: ~50 ms of the
 * thread that serves every request, and 16 MiB; without this, each token request stalled all
 * others that long. Only a secret that matched is remembered, in memory; a changed secret has a
 * new stored hash, so nothing stale matches.
 */
const verified = new LRUCache<string, Buffer>({ max: 1_000 });

/** True when `secret` is the one `stored` was made from (constant-time comparison). */
export function verifySecret(secret: string, stored: string): boolean {
  const digest = createHash('sha256').update(secret).digest();
  const known = verified.get(stored);
  if (known) return timingSafeEqual(known, digest);
  const [scheme, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'scrypt' || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = scryptSync(secret, Buffer.from(saltHex, 'hex'), expected.length);
  if (!timingSafeEqual(expected, actual)) return false;
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
