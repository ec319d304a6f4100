import { fail } from '../errors.ts';
import { END_OF_TIME, parseRrule } from '../recurrence/rrule.ts';
import { lastStartBound, producesOccurrence } from '../recurrence/expand.ts';
import { isTimeZone, parseIsoDate } from '../time/zoned.ts';
import type { EventInput, EventTime } from './event.ts';

const DAY_MS = 86_400_000;

function instantOf(t: EventTime, field: string): number {
  if ('date' in t) return parseIsoDate(t.date, `${field}.date`);
  if (!Number.isFinite(t.instant)) fail('INVALID_PARAMETER', `${field} is not a valid time`);
  if (!isTimeZone(t.timeZone) && !/^[+-]\d{2}:\d{2}$/.test(t.timeZone)) fail('INVALID_PARAMETER', `${field}.timeZone is not a known time zone: ${t.timeZone}`);
  return t.instant;
}

/**
 * Checks an event's times and recurrence and computes the span it covers.
 * All-day events give dates on both ends; an all-day end date may equal the start date (a
 * one-day event, as seed 004 writes it). Timed events must not end before they start.
 * @returns the covered range in ms (all-day: from 00:00 UTC of the start to the end of the end date).
 * @throws KalendsError INVALID_PARAMETER naming the field at fault, or for a recurrence that
 *   produces no occurrence (RFC 5545 §3.3.10 parts that contradict each other).
 */
export function validateEventInput(input: EventInput): { start: number; end: number } {
  const start = instantOf(input.start, 'start');
  const end = instantOf(input.end, 'end');
  if ('date' in input.start !== 'date' in input.end) fail('INVALID_PARAMETER', 'start and end must both be dates or both be date-times');
  if (input.isAllDay !== 'date' in input.start) {
    fail('INVALID_PARAMETER', input.isAllDay ? 'an all-day event takes start.date and end.date' : 'start.date and end.date are for all-day events (isAllDay)');
  }
  if (end < start) fail('INVALID_PARAMETER', 'end must not be before start');
  const lastEnd = input.isAllDay ? end + DAY_MS : end;
  if (input.recurrence === null) return { start, end: lastEnd };
  parseRrule(input.recurrence);
  const series = { start: input.start, end: input.end, rule: input.recurrence };
  if (!producesOccurrence(series)) fail('INVALID_PARAMETER', `recurrence produces no occurrence (its parts contradict each other): ${input.recurrence}`);
  const lastStart = lastStartBound(series);
  return { start, end: lastStart === null ? END_OF_TIME : Math.max(lastStart, start) + (lastEnd - start) };
}
