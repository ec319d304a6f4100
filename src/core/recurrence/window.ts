import type { CalendarEvent } from '../events/event.ts';
import type { Db } from '../../store/store.ts';
import { queryEvents } from '../../store/repositories/events.ts';
import { exceptionStarts } from '../../store/repositories/series.ts';
import { expandedOccurrence, isSeriesMaster, occurrencesOverlapping, overlaps, startOf } from './occurrences.ts';

/** Most stored events (single events, masters, exceptions) one window reads. */
const MAX_STORED = 50_000;

export interface WindowScope {
  tenantId: string;
  calendarId: string;
  /** Also the events this user attends (the calendar is that user's primary). */
  attendeeUserId: string | null;
}

/**
 * Every single event and every occurrence of a recurring series on a calendar that overlaps
 * [from, to) (ms): starting before `to` and ending after `from`, or at `from` with `touching`
 * (DingTalk's view: "end ≥ timeMin"). Series are expanded here, never stored per occurrence;
 * an occurrence with a stored exception is that exception (a cancelled one is left out), so an
 * exception moved into the window appears and one moved out does not. Deleted events are left
 * out. In start order, then by occurrenceKey.
 */
export async function occurrencesIn(db: Db, scope: WindowScope, from: number, to: number, touching: boolean): Promise<CalendarEvent[]> {
  const stored = await queryEvents(db, {
    ...scope, from: touching ? from - 1 : from, to, includeDeleted: false, changedAfter: null, after: null, limit: MAX_STORED,
  });
  return expandStored(db, stored, from, to, touching);
}

/**
 * The items of a window from the stored events that may overlap it (single events, masters,
 * exceptions; deleted ones left out by the caller's query), as occurrencesIn describes.
 */
export async function expandStored(db: Db, stored: readonly CalendarEvent[], from: number, to: number, touching: boolean): Promise<CalendarEvent[]> {
  const masters = stored.filter(isSeriesMaster);
  const found: CalendarEvent[] = stored.filter((e) => !isSeriesMaster(e) && overlaps(e, from, to, touching));
  const expanded = masters.map((m) => ({ master: m, starts: occurrencesOverlapping(m, from, to, touching) }));
  const lowest = Math.min(...expanded.flatMap((x) => x.starts.slice(0, 1)), to);
  const replaced = await exceptionStarts(db, expanded.filter((x) => x.starts.length > 0).map((x) => x.master.id), lowest, to);
  for (const { master, starts } of expanded) {
    const skip = replaced.get(master.id);
    for (const start of starts) if (!skip?.has(start)) found.push(expandedOccurrence(master, start));
  }
  return found.sort(compareOccurrences);
}

/** A stable key of one item of a view: the event's id, or its series' id and original start. */
export function occurrenceKey(e: CalendarEvent): string {
  return e.seriesMasterId === null ? `${e.id}:0` : `${e.seriesMasterId}:${e.originalStart}`;
}

export function compareOccurrences(a: CalendarEvent, b: CalendarEvent): number {
  const byStart = startOf(a.start) - startOf(b.start);
  if (byStart !== 0) return byStart;
  const ka = occurrenceKey(a);
  const kb = occurrenceKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
