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

/**
 * Offset (minutes east of UTC) of a zone — IANA name or fixed `±HH:MM` — at an instant.
 * IANA zones are read from a table of the zone's offset changes in the instant's UTC year,
 * made once per zone and year from the runtime's time zone data (Intl) and then searched, since
 * expanding a series asks for thousands of offsets and Intl takes microseconds per answer.
 */
export function offsetMinutes(timeZone: string, instant: number): number {
  const fixed = FIXED_OFFSET.exec(timeZone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
  if (timeZone === 'UTC') return 0;
  const changes = yearTable(timeZone, new Date(instant).getUTCFullYear());
  let lo = 0;
  let hi = changes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (changes[mid]!.at <= instant) lo = mid;
    else hi = mid - 1;
  }
  return changes[lo]!.offset;
}

type OffsetChanges = Array<{ at: number; offset: number }>;

/**
 * A zone's offset changes within one UTC year (ms, minutes east of UTC), from the table
 * offsetMinutes reads: each change with the offsets before and after it (a VTIMEZONE is written
 * from them: src/core/caldav/vtimezone.ts).
 */
export function offsetChangesIn(timeZone: string, year: number): Array<{ at: number; from: number; to: number }> {
  const table = yearTable(timeZone, year);
  const end = Date.UTC(year + 1, 0, 1);
  return table.slice(1).filter((c) => c.at < end).map((c, i) => ({ at: c.at, from: table[i]!.offset, to: c.offset }));
}
const tables = new Map<string, OffsetChanges>();
const DAY_MS = 86_400_000;

/**
 * A zone's offsets through one UTC year: the offset at the year's start, then each change
 * with the instant it takes effect (found by sampling every day, then bisecting to the second).
 */
function yearTable(timeZone: string, year: number): OffsetChanges {
  const key = `${timeZone}\u0000${year}`;
  let table = tables.get(key);
  if (table) return table;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  table = [{ at: -Infinity, offset: intlOffsetMinutes(timeZone, start) }];
  for (let t = start + DAY_MS; t < end + DAY_MS; t += DAY_MS) {
    const at = Math.min(t, end);
    const offset = intlOffsetMinutes(timeZone, at);
    if (offset === table[table.length - 1]!.offset) continue;
    let lo = at - DAY_MS;
    let hi = at;
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2000) * 1000;
      if (intlOffsetMinutes(timeZone, mid) === offset) hi = mid;
      else lo = mid;
    }
    table.push({ at: hi, offset });
  }
  if (tables.size >= 2000) tables.delete(tables.keys().next().value!);
  tables.set(key, table);
  return table;
}

/** The offset as the runtime's Intl says it (the source of the tables above). */
function intlOffsetMinutes(timeZone: string, instant: number): number {
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
