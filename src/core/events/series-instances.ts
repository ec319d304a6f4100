import type { Actor } from '../actor.ts';
import { resolveEvent, type CalendarRef } from '../acl/access.ts';
import type { Db } from '../../store/store.ts';
import { exceptionsOf } from '../../store/repositories/series.ts';
import { nextOccurrences } from '../recurrence/expand.ts';
import { expandedOccurrence, isSeriesMaster } from '../recurrence/occurrences.ts';
import type { CalendarEvent, EventKey } from './event.ts';
import { viewEvents, type EventView } from './event-view.ts';

export interface SeriesInstancesQuery {
  /** Occurrences whose original start is in [from, to) (ms). */
  from: number;
  to: number;
  /** Cursor: the original start (ms) of the last item of the previous page. */
  after: number | null;
  limit: number;
  maxAttendees: number;
}

/**
 * The instances of one recurring series in the order of their original starts (DingTalk
 * listInstances / listEventsInstances, Feishu calendarEvent.instances): each occurrence the rule
 * produces, or its exception where one is stored (a moved one at its new times); cancelled
 * occurrences are left out. A single event has no instances (an empty list).
 * @returns the page and the cursor of the next one (null on the last page).
 * @throws KalendsError those of resolveEvent (the series itself, not one instance).
 */
export async function listSeriesInstances(db: Db, actor: Actor, ref: CalendarRef, key: EventKey, q: SeriesInstancesQuery): Promise<{ views: EventView[]; next: number | null }> {
  const { event: master } = await resolveEvent(db, actor, ref, { id: key.id, originalStart: null });
  if (!isSeriesMaster(master)) return { views: [], next: null };
  const exceptions = new Map((await exceptionsOf(db, master.id)).map((e) => [e.originalStart!, e]));
  const cancelled = [...exceptions.values()].filter((e) => e.deletedAt !== null).length;
  const from = Math.max(q.from, q.after === null ? q.from : q.after + 1);
  const series = { start: master.start, end: master.end, rule: master.recurrence! };
  const items: CalendarEvent[] = [];
  for (const start of nextOccurrences(series, from, q.limit + 1 + cancelled)) {
    if (start >= q.to || items.length > q.limit) break;
    const exception = exceptions.get(start);
    if (exception?.deletedAt !== null && exception !== undefined) continue;
    items.push(exception ?? expandedOccurrence(master, start));
  }
  const page = items.slice(0, q.limit);
  const next = items.length > q.limit ? page[page.length - 1]!.originalStart : null;
  return { views: await viewEvents(db, page, actor.userId, q.maxAttendees), next };
}
