/**
 * Sync tokens (RFC 6578 §3.2: a URI the server chooses): `http://kalends.invalid/sync/<calendar
 * id>/<position>`, the position being the collection's newest change-log position when the
 * token was given.
 */
const BASE = 'http://kalends.invalid/sync/';

export function syncToken(calendarId: string, position: number): string {
  return `${BASE}${encodeURIComponent(calendarId)}/${position}`;
}

/** The position a token of this calendar carries, or undefined for a token that is not one (another calendar's, or not ours). */
export function tokenPosition(token: string, calendarId: string): number | undefined {
  const prefix = `${BASE}${encodeURIComponent(calendarId)}/`;
  if (!token.startsWith(prefix)) return undefined;
  const rest = token.slice(prefix.length);
  return /^\d{1,15}$/.test(rest) ? Number(rest) : undefined;
}
