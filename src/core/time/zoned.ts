import { fail } from '../errors.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** True for an IANA time zone name this runtime knows (e.g. `Asia/Shanghai`). */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const FIXED_OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/** Offset (minutes east of UTC) of a zone — IANA name or fixed `±HH:MM` — at an instant. */
export function offsetMinutes(timeZone: string, instant: number): number {
  const fixed = FIXED_OFFSET.exec(timeZone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day),
    Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60000);
}

/** `±HH:MM` for an offset in minutes. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** ISO 8601 date-time of an instant in a zone, with its offset: `2021-09-20T10:15:30+08:00`. */
export function formatZoned(instant: number, timeZone: string): string {
  const offset = offsetMinutes(timeZone, instant);
  const local = new Date(instant + offset * 60000).toISOString().slice(0, 19);
  return `${local}${formatOffset(offset)}`;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses an ISO 8601 date-time with an offset or `Z` (the platforms' `dateTime`).
 * @returns the instant (ms) and the offset written in it (`+08:00`, `Z` as `+00:00`).
 * @throws KalendsError INVALID_PARAMETER naming `field`.
 */
export function parseIsoDateTime(value: string, field: string): { instant: number; offset: string } {
  const ms = ISO_WITH_OFFSET.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) fail('INVALID_PARAMETER', `${field} must be an ISO 8601 date-time with offset, got ${JSON.stringify(value)}`);
  const offset = value.endsWith('Z') ? '+00:00' : value.slice(-6);
  return { instant: ms, offset };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks a calendar date `YYYY-MM-DD` and returns its 00:00 UTC instant (ms).
 * @throws KalendsError INVALID_PARAMETER naming `field`.
 */
export function parseIsoDate(value: string, field: string): number {
  const ms = ISO_DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    fail('INVALID_PARAMETER', `${field} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return ms;
}
