import type { Actor } from '../actor.ts';
import { resolveCalendar, resolveEvent, type CalendarRef } from '../acl/access.ts';
import type { Db } from '../../store/store.ts';
import { queryEvents } from '../../store/repositories/events.ts';
import { currentChangeSeq } from '../../store/repositories/change-log.ts';
import { occurrencePage } from '../recurrence/window.ts';
import { DEFAULT_EMBEDDED_ATTENDEES, viewEvent, viewEvents, type EventView } from './event-view.ts';
import type { EventKey } from './event.ts';

/**
 * One event as the acting user sees it through a calendar; a deleted event reads with status
 * `cancelled` (DingTalk) or, with `allowDeleted` false, is refused (Feishu 193003).
 * @param maxAttendees attendees to embed (default 100).
 * @throws KalendsError those of resolveEvent.
 */
export async function getEvent(db: Db, actor: Actor, ref: CalendarRef, key: EventKey, maxAttendees = DEFAULT_EMBEDDED_ATTENDEES, allowDeleted = true): Promise<EventView> {
  const { event } = await resolveEvent(db, actor, ref, key, allowDeleted);
  return viewEvent(db, event, actor.userId, maxAttendees);
}

export interface EventListQuery {
  /** Window (ms): events overlapping [from, to). */
  from: number | null;
  to: number | null;
  includeDeleted: boolean;
  /** Change-log position of a sync token: only events changed since, deleted ones included. */
  changedAfter: number | null;
  after: { rangeStart: number; id: string } | null;
  /**
   * The sync position the listing's first page took (carried in its page token), or null on a
   * first page. A listing of several pages hands out, on its last page, the position of its
   * first: a change to an event already listed, made while the later pages are read, is then
   * above the token and returned by the next sync instead of being lost.
   */
  syncSeq?: number | null;
  limit: number;
  maxAttendees: number;
}

export interface EventList {
  views: EventView[];
  /** Keyset cursor of the next page, or null on the last page. */
  next: { rangeStart: number; id: string } | null;
  /** Change-log position to hand out as the next sync token (and to carry to the next page). */
  syncSeq: number;
}

/**
 * The events of a calendar in start order: those on it, and on the acting user's primary
 * calendar also the events they are invited to.
 * @throws KalendsError CALENDAR_* as resolveCalendar.
 */
export async function listEvents(db: Db, actor: Actor, ref: CalendarRef, q: EventListQuery): Promise<EventList> {
  const access = await resolveCalendar(db, actor, ref);
  const syncSeq = q.syncSeq ?? await currentChangeSeq(db, actor.tenantId);
  const events = await queryEvents(db, {
    tenantId: actor.tenantId, calendarId: access.calendar.id,
    attendeeUserId: access.isOwnPrimary ? actor.userId : null,
    from: q.from, to: q.to, includeDeleted: q.includeDeleted || q.changedAfter !== null,
    changedAfter: q.changedAfter, after: q.after, limit: q.limit + 1,
  });
  const page = events.slice(0, q.limit);
  const last = page[page.length - 1];
  const next = events.length > q.limit && last ? { rangeStart: last.range.start, id: last.id } : null;
  return { views: await viewEvents(db, page, actor.userId, q.maxAttendees), next, syncSeq };
}

export interface OccurrenceQuery {
  /** Window (ms): occurrences starting before `to` and ending after `from` (at `from` with `touching`). */
  from: number;
  to: number;
  touching: boolean;
  /** Keyset cursor: items after this one in the view's order. */
  after: { start: number; key: string } | null;
  limit: number;
  maxAttendees: number;
}

export interface OccurrenceList {
  views: EventView[];
  /** Cursor of the next page, or null on the last page. */
  next: { start: number; key: string } | null;
  /** Items after the cursor (every page from this one on; the whole window without a cursor). */
  total: number;
}

/**
 * A calendar's events in a window with every recurring series expanded into its occurrences
 * (DingTalk listEventsView, Feishu instance_view): single events, exceptions and expanded
 * occurrences, in start order, a page at a time. Occurrences are never stored; the cost is
 * that of the window's occurrences.
 * @throws KalendsError CALENDAR_* as resolveCalendar.
 */
export async function listOccurrences(db: Db, actor: Actor, ref: CalendarRef, q: OccurrenceQuery): Promise<OccurrenceList> {
  const access = await resolveCalendar(db, actor, ref);
  const { page, next, total } = await occurrencePage(db, {
    tenantId: actor.tenantId, calendarId: access.calendar.id, attendeeUserId: access.isOwnPrimary ? actor.userId : null,
  }, q.from, q.to, q.touching, q.after, q.limit);
  return { views: await viewEvents(db, page, actor.userId, q.maxAttendees), next, total };
}
