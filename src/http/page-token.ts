import { fail } from '../core/errors.ts';

/** An opaque page or sync token: base64url of a small JSON cursor. */
export function encodeToken(cursor: object): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/**
 * Reads a token made by encodeToken; `check` tells whether its fields have the expected types.
 * @throws KalendsError INVALID_PARAMETER naming `field` when the token is not one of ours.
 */
export function decodeToken<T extends object>(token: string, field: string, check: (value: Record<string, unknown>) => boolean): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value) && check(value as Record<string, unknown>)) return value as T;
  } catch {
    // fall through to the error below
  }
  return fail('INVALID_PARAMETER', `${field} is invalid`);
}

/**
 * Reads a token whose cursor is one integer `o` (an original start in ms, as encodeToken({ o })
 * wrote it): the instance listings' page tokens.
 * @throws KalendsError INVALID_PARAMETER naming `field` when the token is not one of ours.
 */
export function decodeStartToken(token: string, field: string): number {
  return decodeToken<{ o: number }>(token, field, (v) => Number.isSafeInteger(v.o)).o;
}
