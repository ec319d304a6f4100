import type { CalendarEvent, EventTime } from '../events/event.ts';
import { occurrenceStarts } from './expand.ts';

const DAY = 86_400_000;

/**
 * The span an event's times cover, [start, end) in ms. An all-day event covers whole UTC days
 * (the platforms fix all-day events to UTC): an end date after the start date is exclusive
 * (DingTalk's `end.date` is T+1, as iCalendar's DTEND), an end date equal to the start date
 * covers that one day (as Feishu and seed 004 write a one-day event).
 */
export function spanOf(start: EventTime, end: EventTime): { start: number; end: number } {
  if ('date' in start && 'date' in end) {
    const from = Date.parse(`${start.date}T00:00:00Z`);
    const to = Date.parse(`${end.date}T00:00:00Z`);
    return { start: from, end: to > from ? to : from + DAY };
  }
  return { start: 'instant' in start ? start.instant : 0, end: 'instant' in end ? end.instant : 0 };
}

/** The start instant (ms) of an event time: all-day dates count from 00:00 UTC. */
export function startOf(t: EventTime): number {
  return 'date' in t ? Date.parse(`${t.date}T00:00:00Z`) : t.instant;
}

/** True for the master of a recurring series (not one of its occurrences). */
export function isSeriesMaster(event: Pick<CalendarEvent, 'recurrence' | 'seriesMasterId'>): boolean {
  return event.recurrence !== null && event.seriesMasterId === null;
}

/**
 * One occurrence of a series as the rule produces it, not stored: the master's attributes at
 * the occurrence's times. Its `id` stays the master's (its attendees are the master's); its
 * `seriesMasterId` and `originalStart` name it. A timed occurrence keeps the master's duration
 * exactly; an all-day one its number of days.
 * @param originalStart the occurrence's start (ms), one the rule produces (see isOccurrence).
 */
export function expandedOccurrence(master: CalendarEvent, originalStart: number): CalendarEvent {
  return { ...occurrenceOf(master, originalStart), expanded: true };
}

/** expandedOccurrence for whatever part of an event was read (a span, a free/busy span…). */
export function occurrenceOf<E extends Pick<CalendarEvent, 'id' | 'start' | 'end' | 'recurrence' | 'range' | 'seriesMasterId' | 'originalStart'>>(master: E, originalStart: number): E {
  const { start, end } = occurrenceTimes(master, originalStart);
  return { ...master, start, end, recurrence: null, seriesMasterId: master.id, originalStart, range: spanOf(start, end) };
}

/** The start and end of a series' occurrence that starts at `originalStart` (ms). */
export function occurrenceTimes(master: Pick<CalendarEvent, 'start' | 'end'>, originalStart: number): { start: EventTime; end: EventTime } {
  const { start, end } = master;
  if ('date' in start && 'date' in end) {
    const days = Date.parse(`${end.date}T00:00:00Z`) - Date.parse(`${start.date}T00:00:00Z`);
    return { start: { date: isoDate(originalStart) }, end: { date: isoDate(originalStart + days) } };
  }
  const s = start as { instant: number; timeZone: string };
  const e = end as { instant: number; timeZone: string };
  return { start: { instant: originalStart, timeZone: s.timeZone }, end: { instant: originalStart + (e.instant - s.instant), timeZone: e.timeZone } };
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The occurrences of a series that overlap a window, as their original starts (ms): those
 * starting before `to` and ending after `from` (or at `from`, with `touching`).
 */
export function occurrencesOverlapping(master: Pick<CalendarEvent, 'start' | 'end' | 'recurrence'>, from: number, to: number, touching: boolean): number[] {
  if (master.recurrence === null) return [];
  const span = spanOf(master.start, master.end);
  const length = span.end - span.start;
  const starts = occurrenceStarts({ start: master.start, end: master.end, rule: master.recurrence }, from - length, to);
  return starts.filter((s) => (touching ? s + length >= from : s + length > from));
}

/** True when an event's own span overlaps [from, to) (ending at `from` counts with `touching`). */
export function overlaps(event: Pick<CalendarEvent, 'start' | 'end'>, from: number, to: number, touching: boolean): boolean {
  const span = spanOf(event.start, event.end);
  if (span.start >= to) return false;
  return touching ? span.end >= from : span.end > from || (span.end === span.start && span.start >= from);
}
