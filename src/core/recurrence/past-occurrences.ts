import type { Db } from '../../store/store.ts';
import { queryEventSpans, type EventSpan } from '../../store/repositories/events.ts';
import { exceptionStarts } from '../../store/repositories/series.ts';
import { occurrencesOverlapping } from './occurrences.ts';
import { compareKeys, type WindowScope } from './window.ts';

/** Most series one listing expands (the calendar's masters overlapping the window). */
const MAX_MASTERS = 10_000;
/** The first stretch expanded (ms); each next one is twice as long, until a page is full. */
const FIRST_STRETCH = 32 * 86_400_000;

/** An occurrence of a series as a listing places it: its start (ms) and key, not built yet. */
export interface PastOccurrence {
  start: number;
  /** `<master id>:<start ms>`, as window.ts' occurrenceKey names an occurrence. */
  key: string;
  master: EventSpan;
}

/**
 * The occurrences of a calendar's recurring series that overlap [from, to) (ms, null: open)
 * and began before `before` (ms, the sandbox's now), in start order then by key, after the
 * cursor, at most `limit`: DingTalk listEvents lists a series by "所有过去的循环日程实例，但是未来的
 * 不会返回" (every past instance, none of the future; 查询日程列表). Occurrences replaced by a
 * stored exception (moved, changed or cancelled) are left out: the exception is a stored event,
 * listed as such. Series are expanded a stretch at a time from the cursor on, so a page costs
 * the occurrences near it, not the series' age.
 */
export async function pastOccurrences(
  db: Db, scope: WindowScope, from: number | null, to: number | null, before: number,
  after: { start: number; key: string } | null, limit: number,
): Promise<PastOccurrence[]> {
  const hi = Math.min(to ?? Infinity, before);
  const masters = await queryEventSpans(db, {
    ...scope, from, to: hi, includeDeleted: false, changedAfter: null, after: null, limit: MAX_MASTERS, seriesMastersOnly: true,
  });
  if (masters.length === 0 || limit <= 0) return [];
  const lo = Math.max(from ?? -Infinity, after?.start ?? -Infinity, Math.min(...masters.map((m) => m.range.start)));
  const found: PastOccurrence[] = [];
  let stretch = FIRST_STRETCH;
  for (let a = lo; a < hi && found.length < limit; a += stretch, stretch *= 2) {
    const b = Math.min(a + stretch, hi);
    const expanded = masters.map((master) => ({
      master,
      // The first stretch takes what overlaps it (an occurrence begun before `from` that is
      // still on); the next ones what starts in them, so nothing is taken twice.
      starts: occurrencesOverlapping(master, a, b, false).filter((s) => s < b && (a === lo || s >= a)),
    })).filter((x) => x.starts.length > 0);
    const replaced = await exceptionStarts(db, expanded.map((x) => x.master.id), Math.min(a, ...expanded.map((x) => x.starts[0]!)), b);
    for (const { master, starts } of expanded) {
      const skip = replaced.get(master.id);
      for (const start of starts) {
        const key = `${master.id}:${start}`;
        if (skip?.has(start) || (after && (start < after.start || (start === after.start && key <= after.key)))) continue;
        found.push({ start, key, master });
      }
    }
  }
  return found.sort((x, y) => x.start - y.start || compareKeys(x.key, y.key)).slice(0, limit);
}
