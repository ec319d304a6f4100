import { fail } from '../../core/errors.ts';

/** A text field of a urlencoded form body (trimmed); '' when absent or repeated oddly. */
export function field(body: unknown, name: string): string {
  if (!body || typeof body !== 'object') return '';
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * An integer form field within bounds; `fallback` when left blank.
 * @throws KalendsError INVALID_PARAMETER naming the field.
 */
export function intField(body: unknown, name: string, bounds: { min: number; max: number; fallback?: number }): number {
  const text = field(body, name);
  if (text === '' && bounds.fallback !== undefined) return bounds.fallback;
  const n = Number(text);
  if (text === '' || !Number.isInteger(n) || n < bounds.min || n > bounds.max) {
    fail('INVALID_PARAMETER', `${name} must be a whole number from ${bounds.min} to ${bounds.max}`);
  }
  return n;
}

/** A query-string parameter as one string ('' when absent). */
export function queryParam(query: unknown, name: string): string {
  if (!query || typeof query !== 'object') return '';
  const value = (query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/** Largest serial id (PostgreSQL `integer`); a bigger one names no row and must not reach the query. */
const MAX_SERIAL = 2_147_483_647;

/** A row id from a path segment, or null when it cannot name a row. */
export function serialId(text: string): number | null {
  const n = Number(text);
  return /^\d+$/.test(text) && n > 0 && n <= MAX_SERIAL ? n : null;
}
