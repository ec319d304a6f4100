import rrulePkg from 'rrule';
import type { Options } from 'rrule';
import { LRUCache } from 'lru-cache';
import type { EventTime } from '../events/event.ts';
import { offsetMinutes } from '../time/zoned.ts';

const { RRule, Frequency } = rrulePkg as unknown as typeof import('rrule');

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** The widest UTC offset in use (+14:00, Pacific/Kiritimati), so a window in local time covers every zone. */
const MAX_OFFSET = 14 * HOUR;
/** The last instant a JavaScript Date holds (ms). */
const LAST_DATE = 8.64e15;

/** The times and rule of a recurring series: its first occurrence and RRULE value. */
export interface SeriesRule {
  start: EventTime;
  end: EventTime;
  /** RFC 5545 RRULE value, without the `RRULE:` prefix. */
  rule: string;
}

/**
 * The instants (ms) at which a series' occurrences start, in [from, to), in order.
 *
 * The rule repeats in the series' own time zone (RFC 5545 §3.3.10: "the recurrence is
 * evaluated in the time zone of DTSTART"): it runs on the wall-clock ("floating") time of the
 * start, and each occurrence's local time is then placed in that zone, so a weekly 09:00
 * America/New_York meeting is 14:00Z in winter and 13:00Z in summer. A local time that does not
 * exist (the spring-forward gap) is read with the offset before the gap; one that exists twice
 * (fall-back) is the first of the two (RFC 5545 §3.3.5). All-day series repeat on dates, whose
 * instants are 00:00 UTC of each date. Recurrence itself is the `rrule` library's.
 *
 * Cost: the occurrences in the window, not the series' age. A rule without COUNT is restarted
 * a whole number of periods (INTERVAL × FREQ) before the window, with every part that `rrule`
 * would derive from DTSTART (BYHOUR, BYWEEKDAY, BYMONTHDAY…) pinned first, which yields the same
 * occurrences; a rule with COUNT must be counted from its start and costs at most COUNT steps.
 */
export function occurrenceStarts(series: SeriesRule, from: number, to: number): number[] {
  if (to <= from) return [];
  if (/COUNT=/i.test(series.rule) || !/FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)/i.test(series.rule) || to - from > MAX_CACHED_WINDOW) {
    return expand(series, from, to);
  }
  const key = `${series.rule}\u0000${JSON.stringify(series.start)}`;
  const found: number[] = [];
  for (let bucket = Math.floor(from / BUCKET); bucket * BUCKET < to; bucket++) {
    const bucketKey = `${key}\u0000${bucket}`;
    let starts = expansions.get(bucketKey);
    if (!starts) expansions.set(bucketKey, (starts = expand(series, bucket * BUCKET, (bucket + 1) * BUCKET)));
    for (const s of starts) if (s >= from && s < to) found.push(s);
  }
  return found;
}

/**
 * Expansions are remembered per series and stretch of time (a pure function of the rule, the
 * first occurrence and the stretch), so the views, free/busy and room checks that read the same
 * weeks again cost a lookup. A COUNT rule (counted from its start), rules more frequent than
 * daily (a stretch of minutes is tens of thousands of starts) and very long windows are expanded
 * each time. The memory is bounded by the starts it holds (about 8 MB of them).
 */
const BUCKET = 2 ** 31;
const MAX_CACHED_WINDOW = 64 * BUCKET;
const expansions = new LRUCache<string, number[]>({ max: 50_000, maxSize: 1_000_000, sizeCalculation: (starts) => starts.length + 1 });

function expand(series: SeriesRule, from: number, to: number): number[] {
  const zone = 'date' in series.start ? 'UTC' : series.start.timeZone;
  const startLocal = toLocal(series.start, zone);
  const options = floatingOptions(series.rule, startLocal, zone);
  const fromLocal = from - MAX_OFFSET;
  if (!options.count) restartBefore(options, startLocal, fromLocal);
  const rule = new RRule(options);
  const found: number[] = [];
  for (const date of rule.between(new Date(fromLocal), new Date(Math.min(to + MAX_OFFSET, LAST_DATE)), true)) {
    const instant = toInstant(date.getTime(), zone);
    if (instant >= from && instant < to) found.push(instant);
  }
  return found;
}

/** True when `start` (ms) is the start of one of the series' occurrences. */
export function isOccurrence(series: SeriesRule, start: number): boolean {
  return occurrenceStarts(series, start, start + 1).length === 1;
}

/** The first `limit` occurrence starts at or after `from` (ms), in order (limit ≤ 1000). */
export function nextOccurrences(series: SeriesRule, from: number, limit: number): number[] {
  const zone = 'date' in series.start ? 'UTC' : series.start.timeZone;
  const startLocal = toLocal(series.start, zone);
  const options = floatingOptions(series.rule, startLocal, zone);
  const fromLocal = from - MAX_OFFSET;
  if (!options.count) restartBefore(options, startLocal, fromLocal);
  const found: number[] = [];
  new RRule(options).all((date) => {
    const instant = toInstant(date.getTime(), zone);
    if (instant >= from) found.push(instant);
    return found.length < limit;
  });
  return found.slice(0, limit);
}

/**
 * An instant (ms) no occurrence of the series starts after, or null for a series without end:
 * the last occurrence's start for a COUNT rule, UNTIL (placed in the series' zone) otherwise.
 */
export function lastStartBound(series: SeriesRule): number | null {
  const zone = 'date' in series.start ? 'UTC' : series.start.timeZone;
  const startLocal = toLocal(series.start, zone);
  const options = floatingOptions(series.rule, startLocal, zone);
  if (options.count) {
    // Counting stops a search horizon past the start: a rule that rare is taken as endless.
    let last = startLocal;
    let tooRare = false;
    new RRule(options).all((date) => {
      tooRare = date.getTime() > startLocal + SEARCH_HORIZON;
      if (!tooRare) last = date.getTime();
      return !tooRare;
    });
    return tooRare ? null : toInstant(last, zone);
  }
  return options.until ? options.until.getTime() + MAX_OFFSET : null;
}

/** How far past a series' start a search for its occurrences goes (ms): a century, in which every calendar pattern of days, weekdays and leap years repeats. */
const SEARCH_HORIZON = 100 * 366 * DAY;

/**
 * True when the series' rule, without its COUNT or UNTIL, produces an occurrence within a
 * century of its start. A rule whose parts contradict each other (`FREQ=DAILY;BYMONTH=2;
 * BYMONTHDAY=30`: no 30 February) produces none: `rrule` would search to the year 9999 for it,
 * seconds each time a read asks for "the next one", so such rules are refused on write.
 * Cost: until the first occurrence; about 60 ms for a contradictory daily rule.
 */
export function producesOccurrence(series: SeriesRule): boolean {
  const zone = 'date' in series.start ? 'UTC' : series.start.timeZone;
  const startLocal = toLocal(series.start, zone);
  const { count: _count, until: _until, ...options } = floatingOptions(series.rule, startLocal, zone);
  let found = false;
  new RRule(options).between(new Date(startLocal), new Date(Math.min(startLocal + SEARCH_HORIZON, LAST_DATE)), true, () => {
    found = true;
    return false;
  });
  return found;
}

/** Wall-clock time of an event time in its zone, as if it were UTC (ms). */
function toLocal(t: EventTime, zone: string): number {
  if ('date' in t) return Date.parse(`${t.date}T00:00:00Z`);
  return t.instant + offsetMinutes(zone, t.instant) * MINUTE;
}

/**
 * The instant of a wall-clock time in a zone (RFC 5545 §3.3.5): in a gap, the offset before it;
 * when repeated, the first.
 */
export function toInstant(local: number, zone: string): number {
  const before = offsetMinutes(zone, local - DAY);
  const after = offsetMinutes(zone, local + DAY);
  const early = local - before * MINUTE;
  if (before === after) return early;
  const late = local - after * MINUTE;
  const earlyValid = offsetMinutes(zone, early) === before;
  const lateValid = offsetMinutes(zone, late) === after;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (lateValid) return late;
  return early;
}

/** The rule's options on floating time: DTSTART the local start, UNTIL moved into local time. */
function floatingOptions(rule: string, startLocal: number, zone: string): Partial<Options> {
  const parsed = RRule.parseString(rule.replace(/^RRULE:/i, ''));
  const options: Partial<Options> = { ...parsed, dtstart: new Date(startLocal), tzid: null };
  if (parsed.until) {
    const until = parsed.until.getTime();
    // A date-only UNTIL is already a local date; a UTC one is placed in the series' zone.
    const isDateOnly = /UNTIL=\d{8}(;|$)/i.test(rule);
    options.until = new Date(isDateOnly ? until + DAY - 1 : until + offsetMinutes(zone, until) * MINUTE);
  }
  return options;
}

/**
 * Moves DTSTART forward by a whole number of periods so that it falls at least one period
 * before `fromLocal`, after pinning the parts `rrule` derives from DTSTART (as its option
 * parsing does), so the occurrences from there on are unchanged.
 */
function restartBefore(o: Partial<Options>, startLocal: number, fromLocal: number): void {
  const freq = o.freq ?? Frequency.DAILY;
  const n = Math.max(1, o.interval ?? 1);
  const start = new Date(startLocal);
  pinDerivedParts(o, start, freq);
  if (freq === Frequency.YEARLY || freq === Frequency.MONTHLY) {
    const months = freq === Frequency.YEARLY ? 12 * n : n;
    const from = new Date(fromLocal);
    const elapsed = (from.getUTCFullYear() - start.getUTCFullYear()) * 12 + from.getUTCMonth() - start.getUTCMonth();
    const k = Math.floor(elapsed / months) - 1;
    if (k > 0) o.dtstart = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + k * months, 1));
    return;
  }
  const units: Record<number, number> = { [Frequency.WEEKLY]: 7 * DAY, [Frequency.DAILY]: DAY, [Frequency.HOURLY]: HOUR, [Frequency.MINUTELY]: MINUTE };
  const unit = units[freq] ?? 1000;
  const period = unit * n;
  const k = Math.floor((fromLocal - startLocal) / period) - 1;
  if (k > 0) o.dtstart = new Date(startLocal + k * period);
}

function pinDerivedParts(o: Partial<Options>, start: Date, freq: number): void {
  const none = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);
  if (none(o.byweekno) && none(o.byyearday) && none(o.bymonthday) && none(o.byweekday) && none(o.byeaster)) {
    if (freq === Frequency.YEARLY) {
      if (none(o.bymonth)) o.bymonth = start.getUTCMonth() + 1;
      o.bymonthday = start.getUTCDate();
    } else if (freq === Frequency.MONTHLY) {
      o.bymonthday = start.getUTCDate();
    } else if (freq === Frequency.WEEKLY) {
      o.byweekday = (start.getUTCDay() + 6) % 7;
    }
  }
  if (freq < Frequency.HOURLY && none(o.byhour)) o.byhour = start.getUTCHours();
  if (freq < Frequency.MINUTELY && none(o.byminute)) o.byminute = start.getUTCMinutes();
  if (freq < Frequency.SECONDLY && none(o.bysecond)) o.bysecond = start.getUTCSeconds();
}
