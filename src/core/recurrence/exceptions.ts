import type { CalendarEvent } from '../events/event.ts';
import { newId } from '../ids.ts';
import type { Db } from '../../store/store.ts';
import { insertEvent } from '../../store/repositories/events.ts';
import { copyAttendees, findException } from '../../store/repositories/series.ts';
import { nextChangeSeq } from '../../store/repositories/change-log.ts';
import { isOccurrence } from './expand.ts';
import { expandedOccurrence } from './occurrences.ts';

/**
 * One occurrence of a series as stored or expanded: its exception when there is one (cancelled
 * ones included), else the occurrence the rule produces, else undefined (the rule produces no
 * occurrence at that start).
 */
export async function findOccurrence(db: Db, master: CalendarEvent, originalStart: number): Promise<CalendarEvent | undefined> {
  const exception = await findException(db, master.id, originalStart);
  if (exception) return exception;
  if (master.recurrence === null || !isOccurrence({ start: master.start, end: master.end, rule: master.recurrence }, originalStart)) return undefined;
  return expandedOccurrence(master, originalStart);
}

/**
 * Stores an expanded occurrence as an exception of its series, so that it can be changed on
 * its own: a new event row with the master's attributes at the occurrence's times, bound to
 * the series by `seriesMasterId` and `originalStart`, with a copy of the master's attendees
 * (and their answers). The caller holds the master's row lock (resolveEvent `forWrite`), so
 * two writers never materialize one occurrence twice (the store's unique index would refuse it).
 * @returns the stored exception, at a new change-log position.
 */
export async function materializeException(tx: Db, occurrence: CalendarEvent, now: number): Promise<CalendarEvent> {
  const exception: CalendarEvent = {
    ...occurrence, id: newId(), changeSeq: await nextChangeSeq(tx, occurrence.tenantId), createdAt: now, updatedAt: now,
  };
  delete exception.expanded;
  await insertEvent(tx, exception);
  await copyAttendees(tx, occurrence.id, exception.id);
  return exception;
}
