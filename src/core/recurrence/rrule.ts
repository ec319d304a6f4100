import rrulePkg from 'rrule';
import { fail } from '../errors.ts';

const { RRule } = rrulePkg as unknown as typeof import('rrule');

/** Latest instant Kalends represents (ms): the end of an open-ended series. */
export const END_OF_TIME = 8.64e15;

/**
 * Parses an RFC 5545 §3.3.10 RRULE value (no `RRULE:` prefix).
 * @throws KalendsError INVALID_PARAMETER when the rule does not parse or has no FREQ.
 */
export function parseRrule(value: string): InstanceType<typeof RRule>['options'] {
  let options;
  try {
    options = RRule.parseString(value.replace(/^RRULE:/i, ''));
  } catch {
    fail('INVALID_PARAMETER', `recurrence is not a valid RRULE: ${value}`);
  }
  if (options.freq === undefined) fail('INVALID_PARAMETER', `recurrence has no FREQ: ${value}`);
  return new RRule(options).options;
}

/**
 * The last instant (ms) a series covers: the start of its last occurrence plus the event's
 * duration, or END_OF_TIME for a series with neither COUNT nor UNTIL.
 * @param start first occurrence start (ms); @param durationMs length of one occurrence.
 */
export function seriesEnd(value: string, start: number, durationMs: number): number {
  const parsed = RRule.parseString(value.replace(/^RRULE:/i, ''));
  if (parsed.count == null && parsed.until == null) return END_OF_TIME;
  const rule = new RRule({ ...parsed, dtstart: new Date(start) });
  let last = start;
  rule.all((date, i) => {
    last = date.getTime();
    return i < 100_000;
  });
  return last + durationMs;
}
