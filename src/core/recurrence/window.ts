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
  return (await windowItems(db, stored, from, to, touching)).map(toEvent);
}

/**
 * One page of a window's items in view order (start, then occurrenceKey), after the cursor:
 * only the page's occurrences are built as events, so a page of a month of hundreds of series
 * costs the sort of their starts, not thousands of event objects.
 * @returns the page, the cursor of the next page (null on the last) and the window's item count.
 */
export async function occurrencePage(
  db: Db, scope: WindowScope, from: number, to: number, touching: boolean,
  after: { start: number; key: string } | null, limit: number,
): Promise<{ page: CalendarEvent[]; next: { start: number; key: string } | null; total: number }> {
  const stored = await queryEvents(db, {
    ...scope, from: touching ? from - 1 : from, to, includeDeleted: false, changedAfter: null, after: null, limit: MAX_STORED,
  });
  const items = await windowItems(db, stored, from, to, touching);
  const rest = after ? items.filter((i) => i.start > after.start || (i.start === after.start && keyOf(i) > after.key)) : items;
  const page = rest.slice(0, limit).map(toEvent);
  const last = page[page.length - 1];
  const next = rest.length > limit && last ? { start: startOf(last.start), key: occurrenceKey(last) } : null;
  return { page, next, total: items.length };
}

/** An item of a window: a stored event, or an occurrence of a master not built yet. */
interface Item {
  start: number;
  stored?: CalendarEvent;
  master?: CalendarEvent;
  key?: string;
}

async function windowItems(db: Db, stored: readonly CalendarEvent[], from: number, to: number, touching: boolean): Promise<Item[]> {
  const items: Item[] = [];
  const masters: CalendarEvent[] = [];
  for (const e of stored) {
    if (isSeriesMaster(e)) masters.push(e);
    else if (overlaps(e, from, to, touching)) items.push({ start: startOf(e.start), stored: e });
  }
  const expanded = masters.map((m) => ({ master: m, starts: occurrencesOverlapping(m, from, to, touching) }));
  const lowest = Math.min(...expanded.flatMap((x) => x.starts.slice(0, 1)), to);
  const replaced = await exceptionStarts(db, expanded.filter((x) => x.starts.length > 0).map((x) => x.master.id), lowest, to);
  for (const { master, starts } of expanded) {
    const skip = replaced.get(master.id);
    for (const start of starts) if (!skip?.has(start)) items.push({ start, master });
  }
  return items.sort((a, b) => a.start - b.start || compareKeys(keyOf(a), keyOf(b)));
}

function keyOf(i: Item): string {
  return (i.key ??= i.stored ? occurrenceKey(i.stored) : `${i.master!.id}:${i.start}`);
}

function toEvent(i: Item): CalendarEvent {
  return i.stored ?? expandedOccurrence(i.master!, i.start);
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
