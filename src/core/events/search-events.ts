import type { Actor } from '../actor.ts';
import { resolveCalendar, type CalendarRef } from '../acl/access.ts';
import type { UserIdType } from '../attendees/attendee.ts';
import type { Db } from '../../store/store.ts';
import { searchEventRows } from '../../store/repositories/events.ts';
import { findChatsByChatIds, findRoomsByRoomIds, findUserIdsByIdType } from '../../store/repositories/directory.ts';
import { viewEvents, type EventView } from './event-view.ts';

export interface EventSearch {
  /** Words to find in the summary or the description, case-insensitive; '' matches every event. */
  text: string;
  /** Window (ms): events overlapping [from, to); either bound may be open. */
  from: number | null;
  to: number | null;
  /** People (in `idType`), meeting rooms and chats by their platform ids: each list given keeps
   * the events with at least one of them as an attendee. */
  userIds: readonly string[] | null;
  idType: UserIdType;
  roomIds: readonly string[] | null;
  chatIds: readonly string[] | null;
  /** Keyset cursor: events after this one in start order. */
  after: { rangeStart: number; id: string } | null;
  limit: number;
}

export interface EventSearchPage {
  views: EventView[];
  next: { rangeStart: number; id: string } | null;
}

/**
 * Searches a calendar's events as the caller sees them (calendarEvent.search: the calendar
 * needs the reader role or better; on the caller's own primary calendar the events they are
 * invited to count too), over summary and description, narrowed by a time window and by
 * attendees. Ids of no such person, room or chat of the tenant match nothing.
 * Source: calendar-v4/calendar-event/search ("被搜索日程中必须包含至少一个其中的参与人").
 * @throws KalendsError CALENDAR_* as resolveCalendar.
 */
export async function searchEvents(db: Db, actor: Actor, ref: CalendarRef, q: EventSearch): Promise<EventSearchPage> {
  const access = await resolveCalendar(db, actor, ref);
  const [userIds, roomIds, chatIds] = await Promise.all([
    q.userIds && findUserIdsByIdType(db, actor.tenantId, q.idType, q.userIds),
    q.roomIds && findRoomsByRoomIds(db, actor.tenantId, q.roomIds).then((rows) => rows.map((r) => r.id)),
    q.chatIds && findChatsByChatIds(db, actor.tenantId, q.chatIds).then((rows) => rows.map((r) => r.id)),
  ]);
  const events = await searchEventRows(db, {
    tenantId: actor.tenantId, calendarId: access.calendar.id, attendeeUserId: access.isOwnPrimary ? actor.userId : null,
    from: q.from, to: q.to, includeDeleted: false, changedAfter: null, after: q.after, limit: q.limit + 1,
    text: q.text.toLowerCase(), userIds, roomIds, chatIds,
  });
  const page = events.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    views: await viewEvents(db, page, actor.userId, 0),
    next: events.length > q.limit && last ? { rangeStart: last.range.start, id: last.id } : null,
  };
}
