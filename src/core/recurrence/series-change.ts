import { isDeepStrictEqual } from 'node:util';
import type { CalendarEvent, EventDetails } from '../events/event.ts';
import type { Db } from '../../store/store.ts';
import { saveEvent } from '../../store/repositories/events.ts';
import { exceptionsOf } from '../../store/repositories/series.ts';
import { isOccurrence } from './expand.ts';
import { occurrenceTimes, spanOf } from './occurrences.ts';

const COPIED = ['summary', 'description'] as const;

/**
 * Carries a change of a series' master to its exceptions, as RFC 5545 and both platforms do:
 * an exception whose occurrence the changed rule (or moved start) no longer produces is dropped
 * (cancelled, so a sync reports it); on the others, each attribute the exception still shares
 * with the old master takes the new master's value, and attributes the exception changed are
 * kept. An exception that kept its occurrence's times follows a changed duration.
 * Runs in the caller's transaction; the exceptions changed take `changeSeq`.
 */
export async function applySeriesChange(tx: Db, before: CalendarEvent, after: CalendarEvent, changeSeq: number, now: number): Promise<void> {
  for (const exception of await exceptionsOf(tx, before.id)) {
    if (exception.deletedAt !== null) continue;
    const next = { ...exception };
    const produced = after.recurrence !== null && isOccurrence({ start: after.start, end: after.end, rule: after.recurrence }, exception.originalStart!);
    if (!produced) {
      Object.assign(next, { status: 'cancelled', deletedAt: now });
    } else {
      for (const field of COPIED) if (exception[field] === before[field]) next[field] = after[field] as string;
      next.details = followDetails(exception.details, before.details, after.details);
      const old = occurrenceTimes(before, exception.originalStart!);
      if (isDeepStrictEqual(old, { start: exception.start, end: exception.end })) {
        Object.assign(next, occurrenceTimes(after, exception.originalStart!));
        next.range = spanOf(next.start, next.end);
      }
      if (isDeepStrictEqual(next, exception)) continue;
    }
    await saveEvent(tx, { ...next, changeSeq, updatedAt: now });
  }
}

function followDetails(own: EventDetails, before: EventDetails, after: EventDetails): EventDetails {
  const next: Record<string, unknown> = { ...own };
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const k = key as keyof EventDetails;
    if (isDeepStrictEqual(own[k], before[k])) {
      if (after[k] === undefined) delete next[k];
      else next[k] = after[k];
    }
  }
  return next as EventDetails;
}

/** Cancels every exception of a series whose master is deleted (each at `changeSeq`). */
export async function cancelExceptions(tx: Db, masterId: string, changeSeq: number, now: number): Promise<void> {
  for (const exception of await exceptionsOf(tx, masterId)) {
    if (exception.deletedAt !== null) continue;
    await saveEvent(tx, { ...exception, status: 'cancelled', deletedAt: now, updatedAt: now, changeSeq });
  }
}
