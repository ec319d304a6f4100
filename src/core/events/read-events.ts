import type { Actor } from '../actor.ts';
import { resolveCalendar, resolveEvent, type CalendarRef } from '../acl/access.ts';
import type { Db } from '../../store/store.ts';
import { findEventsByIds, queryEvents } from '../../store/repositories/events.ts';
import { currentChangeSeq } from '../../store/repositories/change-log.ts';
import { expandedOccurrence } from '../recurrence/occurrences.ts';
import { pastOccurrences } from '../recurrence/past-occurrences.ts';
import { compareKeys, occurrencePage } from '../recurrence/window.ts';
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
  /**
   * DingTalk's listing (ms, the sandbox's now): also each series' occurrences in the window
   * that began before this instant (pastOccurrences), between the stored events; null or absent
   * lists series by their masters only (Feishu). Ignored with a sync token.
   */
  pastInstancesBefore?: number | null;
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
 * calendar also the events they are invited to; with `pastInstancesBefore`, also the past
 * occurrences of its series, each placed at its start (a page's cursor is then the start and
 * key of its last item: an event's id, or an occurrence's `<master id>:<start>`).
 * @throws KalendsError CALENDAR_* as resolveCalendar.
 */
export async function listEvents(db: Db, actor: Actor, ref: CalendarRef, q: EventListQuery): Promise<EventList> {
  const access = await resolveCalendar(db, actor, ref);
  const syncSeq = q.syncSeq ?? await currentChangeSeq(db, actor.tenantId);
  const scope = { tenantId: actor.tenantId, calendarId: access.calendar.id, attendeeUserId: access.isOwnPrimary ? actor.userId : null };
  const events = await queryEvents(db, {
    ...scope, from: q.from, to: q.to, includeDeleted: q.includeDeleted || q.changedAfter !== null,
    changedAfter: q.changedAfter, after: q.after, limit: q.limit + 1,
  });
  const before = q.changedAfter === null ? q.pastInstancesBefore ?? null : null;
  const occurrences = before === null ? [] : await pastOccurrences(db, scope, q.from, q.to, before,
    q.after && { start: q.after.rangeStart, key: q.after.id }, q.limit + 1);
  const items = [
    ...events.map((event) => ({ start: event.range.start, key: event.id, event, occurrence: undefined })),
    ...occurrences.map((occurrence) => ({ start: occurrence.start, key: occurrence.key, event: undefined, occurrence })),
  ].sort((a, b) => a.start - b.start || compareKeys(a.key, b.key));
  const onPage = items.slice(0, q.limit);
  const masters = new Map((await findEventsByIds(db, actor.tenantId, [...new Set(onPage.flatMap((i) => (i.occurrence ? [i.occurrence.master.id] : [])))]))
    .map((e) => [e.id, e]));
  // A series deleted between the two reads is left out of the page.
  const page = onPage.flatMap((i) => {
    if (i.event) return [i.event];
    const master = masters.get(i.occurrence.master.id);
    return master ? [expandedOccurrence(master, i.occurrence.start)] : [];
  });
  const last = onPage[onPage.length - 1];
  const next = items.length > q.limit && last ? { rangeStart: last.start, id: last.key } : null;
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
}

/**
 * A calendar's events in a window with every recurring series expanded into its occurrences
 * (DingTalk listEventsView, Feishu instance_view): single events, exceptions and expanded
 * occurrences, in start order, a page at a time. Occurrences are never stored; a page costs
 * the occurrences near it (window.ts' occurrencePage).
 * @throws KalendsError CALENDAR_* as resolveCalendar.
 */
export async function listOccurrences(db: Db, actor: Actor, ref: CalendarRef, q: OccurrenceQuery): Promise<OccurrenceList> {
  const access = await resolveCalendar(db, actor, ref);
  const { page, next } = await occurrencePage(db, {
    tenantId: actor.tenantId, calendarId: access.calendar.id, attendeeUserId: access.isOwnPrimary ? actor.userId : null,
  }, q.from, q.to, q.touching, q.after, q.limit);
  return { views: await viewEvents(db, page, actor.userId, q.maxAttendees), next };
}
