import type { ViewItem } from '../../core/schedule/calendar-view.ts';
import { toInstant } from '../../core/recurrence/expand.ts';
import { offsetMinutes } from '../../core/time/zoned.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const DAY_MINUTES = 1440;
/** The least height (minutes) a block gets, so a short or empty event stays readable. */
const MIN_BLOCK_MINUTES = 25;

/** One column of the grid: a local date of the calendar's time zone. */
export interface GridDay {
  /** `YYYY-MM-DD`. */
  date: string;
  /** The instants (ms) of its local midnight and of the next one (23 or 25 hours apart on a DST change). */
  start: number;
  end: number;
}

/** A timed item's piece on one day, in local minutes from that day's midnight. */
export interface GridBlock {
  item: ViewItem;
  top: number;
  height: number;
  /** Side by side with the items it overlaps: its lane and how many lanes its group has. */
  lane: number;
  lanes: number;
  /** The item began on an earlier day / goes on to a later one. */
  fromBefore: boolean;
  toAfter: boolean;
}

/** An all-day item in the band above the grid: columns [first, last] (0-based, inclusive). */
export interface GridAllDay {
  item: ViewItem;
  first: number;
  last: number;
}

export interface TimeGrid {
  days: GridDay[];
  allDay: GridAllDay[];
  /** Per day, its timed blocks. */
  blocks: GridBlock[][];
}

/** The date `days` after a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The Monday of the ISO 8601 week (Monday to Sunday) a date falls in. */
export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

/** The local date (`YYYY-MM-DD`) of an instant in a time zone. */
export function localDate(instant: number, timeZone: string): string {
  return new Date(instant + offsetMinutes(timeZone, instant) * MINUTE).toISOString().slice(0, 10);
}

/** The local wall-clock time `HH:MM` of an instant in a time zone. */
export function localTime(instant: number, timeZone: string): string {
  return new Date(instant + offsetMinutes(timeZone, instant) * MINUTE).toISOString().slice(11, 16);
}

/** `count` consecutive local days from `first`, each with the instants of its midnights in the zone. */
export function gridDays(first: string, count: number, timeZone: string): GridDay[] {
  const days: GridDay[] = [];
  for (let i = 0; i < count; i++) {
    const date = addDays(first, i);
    const local = Date.parse(`${date}T00:00:00Z`);
    days.push({ date, start: toInstant(local, timeZone), end: toInstant(local + DAY, timeZone) });
  }
  return days;
}

/**
 * Places a view's items on the grid: all-day items (whole UTC dates, as the platforms fix them)
 * in the band over the days they cover; timed items as blocks on each local day they touch, at
 * their local wall-clock times, overlapping ones side by side.
 */
export function layoutGrid(days: readonly GridDay[], items: readonly ViewItem[], timeZone: string): TimeGrid {
  const allDay: GridAllDay[] = [];
  const pieces: Array<Array<Omit<GridBlock, 'lane' | 'lanes'>>> = days.map(() => []);
  for (const item of items) {
    if ('date' in item.event.start) {
      const covered = days.flatMap((d, i) => {
        const at = Date.parse(`${d.date}T00:00:00Z`);
        return at >= item.start && at < item.end ? [i] : [];
      });
      if (covered.length > 0) allDay.push({ item, first: covered[0]!, last: covered[covered.length - 1]! });
      continue;
    }
    days.forEach((day, i) => {
      const from = Math.max(item.start, day.start);
      const to = Math.min(item.end, day.end);
      if (to < from || (to === from && (item.start !== item.end || item.start >= day.end))) return;
      const top = minutesInto(day, from, timeZone);
      const bottom = to === day.end ? DAY_MINUTES : minutesInto(day, to, timeZone);
      pieces[i]!.push({ item, top, height: Math.max(bottom - top, 0), fromBefore: item.start < day.start, toAfter: item.end > day.end });
    });
  }
  return { days: [...days], allDay, blocks: pieces.map(inLanes) };
}

/** Local minutes since the day's midnight (wall clock, so a DST day still reads 00:00–24:00). */
function minutesInto(day: GridDay, instant: number, timeZone: string): number {
  const local = instant + offsetMinutes(timeZone, instant) * MINUTE;
  const minutes = Math.round((local - Date.parse(`${day.date}T00:00:00Z`)) / MINUTE);
  return Math.min(Math.max(minutes, 0), DAY_MINUTES);
}

/** Groups overlapping blocks and gives each a lane of its group (first free lane, in start order). */
function inLanes(pieces: ReadonlyArray<Omit<GridBlock, 'lane' | 'lanes'>>): GridBlock[] {
  const sorted = [...pieces].sort((a, b) => a.top - b.top || b.height - a.height);
  const out: GridBlock[] = [];
  let group: GridBlock[] = [];
  let laneEnds: number[] = [];
  let groupEnd = -1;
  const close = () => {
    for (const b of group) b.lanes = laneEnds.length;
    group = [];
    laneEnds = [];
  };
  for (const piece of sorted) {
    const shown = Math.max(piece.height, MIN_BLOCK_MINUTES);
    if (piece.top >= groupEnd) {
      close();
      groupEnd = piece.top;
    }
    let lane = laneEnds.findIndex((end) => end <= piece.top);
    if (lane === -1) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = piece.top + shown;
    groupEnd = Math.max(groupEnd, piece.top + shown);
    const block: GridBlock = { ...piece, lane, lanes: 1 };
    group.push(block);
    out.push(block);
  }
  close();
  return out;
}
