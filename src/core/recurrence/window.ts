import type { CalendarEvent } from '../events/event.ts';
import type { Db } from '../../store/store.ts';
import { findEventsByIds, queryEventSpans, queryEvents, type EventSpan } from '../../store/repositories/events.ts';
import { exceptionStarts } from '../../store/repositories/series.ts';
import { expandedOccurrence, isSeriesMaster, occurrenceOf, occurrencesOverlapping, overlaps, startOf } from './occurrences.ts';

/** Most stored events (single events, masters, exceptions) one window reads. */
export const MAX_STORED = 50_000;

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
 * expandStored for events read in part (spans, free/busy spans): each occurrence is its
 * master's fields at the occurrence's times (occurrenceOf), without the `expanded` mark.
 */
export async function expandSpans<E extends EventSpan>(db: Db, stored: readonly E[], from: number, to: number, touching: boolean): Promise<E[]> {
  return (await windowItems(db, stored, from, to, touching)).map((i) => i.stored ?? occurrenceOf(i.master!, i.start));
}

/** The first stretch of a window a page expands its series over (ms); each next one is twice as long. */
const FIRST_STRETCH = 32 * 86_400_000;

/**
 * One page of a window's items in view order (start, then occurrenceKey), after the cursor:
 * only the page's occurrences are built as events, so a page of a month of hundreds of series
 * costs the sort of their starts, not thousands of event objects. After a cursor, only what
 * starts from the cursor's start on is read and placed: every item after it starts there or
 * later, inside the window. Series are expanded a stretch at a time (32 days, then each stretch
 * twice the last) until the page and one item more are known, so a page of a long window (a
 * weekly series to the year 9999) costs the occurrences near it, not the window's; a month's
 * view is one stretch, as before.
 * @returns the page and the cursor of the next page (null on the last).
 */
export async function occurrencePage(
  db: Db, scope: WindowScope, from: number, to: number, touching: boolean,
  after: { start: number; key: string } | null, limit: number,
): Promise<{ page: CalendarEvent[]; next: { start: number; key: string } | null }> {
  // An item starting at or after the cursor's start (≥ from) ends at or after it: the window
  // from there, touching, holds every item after the cursor and nothing before `from`.
  const lower = after && after.start > from ? { from: after.start, touching: true } : { from, touching };
  const spans = await queryEventSpans(db, {
    ...scope, from: lower.touching ? lower.from - 1 : lower.from, to, includeDeleted: false, changedAfter: null, after: null, limit: MAX_STORED,
  });
  const isAfter = (i: Item<EventSpan>) => !after || i.start > after.start || (i.start === after.start && keyOf(i) > after.key);
  const masters = spans.filter((e) => isSeriesMaster(e));
  const items = spans.filter((e) => !isSeriesMaster(e) && overlaps(e, lower.from, to, lower.touching))
    .map((e): Item<EventSpan> => ({ start: startOf(e.start), stored: e })).filter(isAfter);
  // No occurrence starts before the earliest series does: the stretches start there at the soonest.
  const first = Math.max(lower.from, masters.reduce((soonest, m) => Math.min(soonest, m.range.start), to));
  let known = masters.length === 0 ? to : first;
  for (let stretch = FIRST_STRETCH; known < to && items.filter((i) => i.start < known).length <= limit; stretch *= 2) {
    const a = known;
    known = Math.min(a + stretch, to);
    items.push(...(await stretchItems(db, masters, a, known, a === lower.from ? lower.touching : null)).filter(isAfter));
  }
  // What starts from `known` on is not all expanded yet: the page ends before it (it holds `limit` items and more).
  const rest = items.filter((i) => i.start < known).sort((x, y) => x.start - y.start || compareKeys(keyOf(x), keyOf(y)));
  const onPage = rest.slice(0, limit);
  const full = new Map((await findEventsByIds(db, scope.tenantId, [...new Set(onPage.map((i) => (i.stored ?? i.master!).id))])).map((e) => [e.id, e]));
  const page = onPage.map((i) => toEvent({ start: i.start, stored: i.stored && full.get(i.stored.id), master: i.master && full.get(i.master.id) }));
  const last = onPage[onPage.length - 1];
  const next = rest.length > limit && last ? { start: last.start, key: keyOf(last) } : null;
  return { page, next };
}

/**
 * The occurrences of `masters` in [a, b) that no stored exception replaces: with `touching`
 * (true or false: the window's first stretch) those overlapping it, as the window's rule says;
 * with null (a later stretch) those starting in it, so that no occurrence is taken twice.
 */
async function stretchItems(db: Db, masters: readonly EventSpan[], a: number, b: number, touching: boolean | null): Promise<Array<Item<EventSpan>>> {
  const expanded = masters.map((master) => ({
    master, starts: occurrencesOverlapping(master, a, b, touching ?? false).filter((s) => touching !== null || s >= a),
  })).filter((x) => x.starts.length > 0);
  if (expanded.length === 0) return [];
  const lowest = expanded.reduce((soonest, x) => Math.min(soonest, x.starts[0]!), b);
  const replaced = await exceptionStarts(db, expanded.map((x) => x.master.id), lowest, b);
  return expanded.flatMap(({ master, starts }) => starts.filter((start) => !replaced.get(master.id)?.has(start)).map((start) => ({ start, master })));
}

/** An item of a window: a stored event, or an occurrence of a master not built yet. */
interface Item<E extends EventSpan = CalendarEvent> {
  start: number;
  stored?: E | undefined;
  master?: E | undefined;
  key?: string;
}

async function windowItems<E extends EventSpan>(db: Db, stored: readonly E[], from: number, to: number, touching: boolean): Promise<Array<Item<E>>> {
  const items: Array<Item<E>> = [];
  const masters: E[] = [];
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

function keyOf(i: Item<EventSpan>): string {
  return (i.key ??= i.stored ? occurrenceKey(i.stored) : `${i.master!.id}:${i.start}`);
}

function toEvent(i: Item): CalendarEvent {
  if (i.stored) return i.stored;
  if (!i.master) throw new Error('an item of a window lost its event between two reads');
  return expandedOccurrence(i.master, i.start);
}

/** Orders two item keys (window, listing) by their UTF-16 code units, as the store's keyset does for ids. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A stable key of one item of a view: the event's id, or its series' id and original start. */
export function occurrenceKey(e: Pick<CalendarEvent, 'id' | 'seriesMasterId' | 'originalStart'>): string {
  return e.seriesMasterId === null ? `${e.id}:0` : `${e.seriesMasterId}:${e.originalStart}`;
}
