import type { FastifyInstance } from 'fastify';
import { KalendsError } from '../../core/errors.ts';

// NUL (U+0000) is a character no stored text may hold: PostgreSQL's text types refuse it
// ("invalid byte sequence for encoding UTF8: 0x00", https://www.postgresql.org/docs/15/datatype-character.html),
// and iCalendar (RFC 5545 §3.1, CONTROL) and XML 1.0 (§2.2, Char) exclude it. A request that
// carries one in its URL (`%00`) or body (a JSON `\u0000` escape, a raw NUL byte) is the client's
// mistake, refused before any handler runs with the dialect's invalid-parameter error (HTTP 400),
// on every store alike (SQLite would have stored it, PostgreSQL failed with a 500).

const URL_NUL = /%00/i;

/** A JSON `\u0000` escape: preceded by an even number of backslashes (`\\u0000` is a backslash and text). */
const JSON_NUL = /(?<!\\)(?:\\\\)*\\u0000/i;

/** The invalid-parameter error for a NUL in `where`. */
export function nulRefused(where: string): KalendsError {
  return new KalendsError('INVALID_PARAMETER', `the ${where} holds a NUL character (U+0000), which no text may hold`);
}

/** Whether a JSON text holds an escaped or raw NUL. */
export function jsonHoldsNul(text: string): boolean {
  return text.includes('\0') || (text.includes('\\u') && JSON_NUL.test(text));
}

/** Whether a body read as text (iCalendar, XML) holds a NUL. */
export function textHoldsNul(text: string): boolean {
  return text.includes('\0');
}

/** Refuses every request whose URL (path or query) holds an encoded NUL. */
export function refuseNulInUrls(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (URL_NUL.test(request.url)) throw nulRefused('URL');
  });
}
