import type { ConsoleEvent } from '../../store/repositories/console.ts';

/** Unix ms as ISO 8601 UTC (`2026-11-23T10:00:00.000Z`); blank for none. */
export function iso(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  const n = Number(ms);
  return Number.isFinite(n) && Math.abs(n) <= 8.64e15 ? new Date(n).toISOString() : String(ms);
}

/** RFC 5545 PARTSTAT in the platforms' words (DingTalk `responseStatus`). */
const PARTSTAT_WORDS: Record<string, string> = {
  'NEEDS-ACTION': 'needsAction', ACCEPTED: 'accepted', DECLINED: 'declined', TENTATIVE: 'tentative',
};

export function partstatWord(partstat: string): string {
  return PARTSTAT_WORDS[partstat] ?? partstat;
}

/** Inbox kinds as the user would have seen them. */
const INBOX_KINDS: Record<string, string> = {
  push: 'DingTalk reminder', chat: 'DingTalk message', bot: 'Feishu bot message',
};

export function inboxKindLabel(kind: string): string {
  return INBOX_KINDS[kind] ?? kind;
}

/** One end of an event: the date of an all-day event, or the instant with its time zone. */
function when(date: string | null, at: number | null, tz: string | null): string {
  if (date !== null) return date;
  return `${iso(at)}${tz ? ` (${tz})` : ''}`;
}

/** `start → end` of an event, plus its recurrence rule. */
export function eventTime(e: ConsoleEvent): string {
  const span = `${when(e.start_date, e.start_at, e.start_tz)} → ${when(e.end_date, e.end_at, e.end_tz)}`;
  return e.recurrence ? `${span}, RRULE ${e.recurrence}` : span;
}

/** `confirmed`, or `deleted` for a deleted event (the console shows them too). */
export function eventState(e: ConsoleEvent): string {
  return e.deleted_at !== null ? 'deleted' : e.status;
}

/** A JSON text pretty-printed; anything else as given. */
export function prettyJson(text: string | null): string {
  if (text === null) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** `+2h 30m`, `-15m`, `0`. */
export function offsetText(ms: number): string {
  if (ms === 0) return '0';
  const sign = ms < 0 ? '-' : '+';
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const parts = [days ? `${days}d` : '', hours ? `${hours}h` : '', minutes % 60 ? `${minutes % 60}m` : ''].filter(Boolean);
  return `${sign}${parts.join(' ') || `${Math.abs(ms)}ms`}`;
}

/**
 * Replaces each of `secrets` wherever it occurs in `text` by `***`: captured callback bodies
 * and replies may carry an app's Verification Token or keys in clear.
 */
export function redact(text: string | null, secrets: readonly string[]): string {
  if (text === null) return '';
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}
