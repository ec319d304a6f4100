import type { UserIdType } from '../attendees/attendee.ts';
import { findAttendeeUserIds } from '../attendees/attendee-user-ids.ts';
import type { CalendarEvent, PartStat } from '../events/event.ts';
import type { Db } from '../../store/store.ts';
import { partstatsOfUsers, roomPartstatsOf } from '../../store/repositories/attendees.ts';
import { primaryCalendarIdsOf } from '../../store/repositories/calendars.ts';
import { queryBusySpansOfUsers, type BusySpan } from '../../store/repositories/events.ts';
import { eventsWithRoom } from '../../store/repositories/series.ts';
import { expandSpans, expandStored, MAX_STORED } from '../recurrence/window.ts';
import { spanOf } from '../recurrence/occurrences.ts';

export type { BusySpan };


/** How a span of someone's time is taken: DingTalk getSchedule's `BUSY` / `TENTATIVE`. */
export type BusyStatus = 'BUSY' | 'TENTATIVE' | 'FREE';

/**
 * One span of a person's or a room's calendar in a free/busy answer. `E` is what was read of
 * the event: a person's free/busy reads BusySpans, a room's whole events (its bookings are shown
 * with their organizers and ids).
 */
export interface BusyItem<E extends BusySpan = CalendarEvent> {
  /** [start, end) in ms. */
  start: number;
  end: number;
  status: BusyStatus;
  /** The person's answer to the event (ACCEPTED for their own events); a room's booking answer. */
  partstat: PartStat;
  /** The occurrence that takes the time (an expanded occurrence, an exception or a single event). */
  event: E;
}

export interface FreeBusyOptions {
  /** Also events marked `freeBusyStatus: free` (Feishu `only_busy=false`), as FREE. */
  includeFree: boolean;
}

/**
 * A user's busy time in [from, to) (ms): every occurrence on their primary calendar or that
 * they are invited to, recurring series expanded (DingTalk getSchedule, Feishu freebusy.list /
 * batch). Declined invitations and cancelled events take no time; events marked free
 * (`freeBusyStatus: free`) are left out unless asked for. An event the user accepted or
 * organizes is BUSY; one they answered tentative, have not answered, or that is itself
 * tentative is TENTATIVE (暂定繁忙). Items are in start order.
 * @returns [] for a user with no primary calendar.
 */
export async function userFreeBusy(db: Db, tenantId: string, userId: string, from: number, to: number, opts: FreeBusyOptions): Promise<Array<BusyItem<BusySpan>>> {
  return (await usersFreeBusy(db, tenantId, [userId], from, to, opts)).get(userId) ?? [];
}

/**
 * userFreeBusy of several users of a tenant (internal ids), by user id: their calendars and
 * answers are read in a few statements for all of them, their events only as BusySpans.
 */
export async function usersFreeBusy(db: Db, tenantId: string, userIds: readonly string[], from: number, to: number, opts: FreeBusyOptions): Promise<Map<string, Array<BusyItem<BusySpan>>>> {
  const ownerOf = new Map<string, string>();
  for (const { id, owner_user_id: owner } of await primaryCalendarIdsOf(db, userIds)) if (owner !== null) ownerOf.set(id, owner);
  const people = [...new Set(ownerOf.values())];
  // One read and one expansion for everyone: whose each occurrence is follows from the calendar
  // it is on and from the answers (an attendance is an answer row, in person or through a chat).
  const stored = await queryBusySpansOfUsers(db, [...ownerOf.keys()], people, from, to, MAX_STORED * Math.max(1, people.length));
  const occurrences = await expandSpans(db, stored, from, to, false);
  const answersOf = await partstatsOfUsers(db, [...new Set(stored.map((e) => e.id))], people);
  const found = new Map<string, Array<BusyItem<BusySpan>>>();
  for (const userId of people) {
    const answers = answersOf.get(userId)!;
    const own = occurrences.filter((e) => ownerOf.get(e.calendarId) === userId || answers.has(e.id));
    found.set(userId, busyItems(own, userId, answers, opts));
  }
  return found;
}

function busyItems(occurrences: readonly BusySpan[], userId: string, answers: ReadonlyMap<string, string>, opts: FreeBusyOptions): Array<BusyItem<BusySpan>> {
  const items: Array<BusyItem<BusySpan>> = [];
  for (const event of occurrences) {
    // The organizer has accepted; an event on the user's own primary calendar that does not
    // invite them is theirs.
    const partstat = (event.organizerId === userId ? 'ACCEPTED' : answers.get(event.id) ?? 'ACCEPTED') as PartStat;
    if (partstat === 'DECLINED' || event.status === 'cancelled') continue;
    const free = event.details.freeBusyStatus === 'free';
    if (free && !opts.includeFree) continue;
    const status: BusyStatus = free ? 'FREE' : partstat === 'ACCEPTED' && event.status !== 'tentative' ? 'BUSY' : 'TENTATIVE';
    items.push({ ...spanOf(event.start, event.end), status, partstat, event });
  }
  return items;
}

/**
 * A meeting room's booked time in [from, to) (ms): the occurrences of the events it attends
 * with an accepted booking (BUSY) or one awaiting approval (TENTATIVE, 审批中); declined and
 * removed bookings take no time. In start order.
 */
export async function roomFreeBusy(db: Db, tenantId: string, roomRef: string, from: number, to: number): Promise<BusyItem[]> {
  const stored = await eventsWithRoom(db, tenantId, roomRef, ['ACCEPTED', 'TENTATIVE', 'NEEDS-ACTION'], from, to);
  const occurrences = await expandStored(db, stored, from, to, false);
  const bookings = await roomPartstatsOf(db, [...new Set(occurrences.map((e) => e.id))], roomRef);
  const items: BusyItem[] = [];
  for (const event of occurrences) {
    const booking = bookings.get(event.id) as PartStat | undefined;
    if (!booking || booking === 'DECLINED' || event.status === 'cancelled') continue;
    items.push({ ...spanOf(event.start, event.end), status: booking === 'ACCEPTED' ? 'BUSY' : 'TENTATIVE', partstat: booking, event });
  }
  return items;
}

/** One person's answer in a batch free/busy query: their busy items, or why there are none. */
export type PersonSchedule = { id: string; items: Array<BusyItem<BusySpan>> } | { id: string; error: 'USER_NOT_FOUND' };

/**
 * The free/busy of several people of a tenant named in one id type (DingTalk getSchedule's
 * unionIds, Feishu freebusy.batch's user_ids), in the order named. A person who is not an active
 * user of the tenant is answered in-band (DingTalk's per-user `error`), not by failing the call.
 */
export async function schedulesOf(db: Db, tenantId: string, idType: UserIdType, ids: readonly string[], from: number, to: number, opts: FreeBusyOptions): Promise<PersonSchedule[]> {
  const found = await findAttendeeUserIds(db, tenantId, idType, ids);
  const busy = await usersFreeBusy(db, tenantId, [...new Set([...found.values()].map((u) => u.id))], from, to, opts);
  return ids.map((id) => {
    const user = found.get(id);
    return user ? { id, items: busy.get(user.id) ?? [] } : { id, error: 'USER_NOT_FOUND' as const };
  });
}
