import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** Hashes an app secret for storage: `scrypt$salt$hash`, both hex. */
export function hashSecret(secret: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${scryptSync(secret, salt, 32).toString('hex')}`;
}

/** True when `secret` is the one `stored` was made from (constant-time comparison). */
export function verifySecret(secret: string, stored: string): boolean {
  const [scheme, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'scrypt' || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = scryptSync(secret, Buffer.from(saltHex, 'hex'), expected.length);
  return timingSafeEqual(expected, actual);
}

/** A random bearer token of 256 bits, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored by their SHA-256, never in clear. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
