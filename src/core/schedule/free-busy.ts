import type { UserIdType } from '../attendees/attendee.ts';
import { findAttendeeUserIds } from '../attendees/attendee-user-ids.ts';
import type { CalendarEvent, PartStat } from '../events/event.ts';
import type { Db } from '../../store/store.ts';
import { roomPartstatsOf, viewerPartstatsOf } from '../../store/repositories/attendees.ts';
import { findPrimaryCalendar } from '../../store/repositories/calendars.ts';
import { eventsWithRoom } from '../../store/repositories/series.ts';
import { expandStored, occurrencesIn } from '../recurrence/window.ts';
import { spanOf } from '../recurrence/occurrences.ts';

/** How a span of someone's time is taken: DingTalk getSchedule's `BUSY` / `TENTATIVE`. */
export type BusyStatus = 'BUSY' | 'TENTATIVE' | 'FREE';

/** One span of a person's or a room's calendar in a free/busy answer. */
export interface BusyItem {
  /** [start, end) in ms. */
  start: number;
  end: number;
  status: BusyStatus;
  /** The person's answer to the event (ACCEPTED for their own events); a room's booking answer. */
  partstat: PartStat;
  /** The occurrence that takes the time (an expanded occurrence, an exception or a single event). */
  event: CalendarEvent;
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
export async function userFreeBusy(db: Db, tenantId: string, userId: string, from: number, to: number, opts: FreeBusyOptions): Promise<BusyItem[]> {
  const primary = await findPrimaryCalendar(db, userId);
  if (!primary) return [];
  const occurrences = await occurrencesIn(db, { tenantId, calendarId: primary.id, attendeeUserId: userId }, from, to, false);
  const answers = await viewerPartstatsOf(db, [...new Set(occurrences.map((e) => e.id))], userId);
  const items: BusyItem[] = [];
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
export type PersonSchedule = { id: string; items: BusyItem[] } | { id: string; error: 'USER_NOT_FOUND' };

/**
 * The free/busy of several people of a tenant named in one id type (DingTalk getSchedule's
 * unionIds, Feishu freebusy.batch's user_ids), in the order named. A person who is not an active
 * user of the tenant is answered in-band (DingTalk's per-user `error`), not by failing the call.
 */
export async function schedulesOf(db: Db, tenantId: string, idType: UserIdType, ids: readonly string[], from: number, to: number, opts: FreeBusyOptions): Promise<PersonSchedule[]> {
  const found = await findAttendeeUserIds(db, tenantId, idType, ids);
  const answers: PersonSchedule[] = [];
  for (const id of ids) {
    const user = found.get(id);
    answers.push(user ? { id, items: await userFreeBusy(db, tenantId, user.id, from, to, opts) } : { id, error: 'USER_NOT_FOUND' });
  }
  return answers;
}
