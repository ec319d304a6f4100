import type { CalendarEvent, PartStat } from '../events/event.ts';
import { fail } from '../errors.ts';
import type { Db } from '../../store/store.ts';
import { findRoomsByIds, lockRoom, type RoomRow } from '../../store/repositories/directory.ts';
import { roomAttendeesOf, setPartstat } from '../../store/repositories/attendees.ts';
import { END_OF_TIME } from '../recurrence/rrule.ts';
import { isSeriesMaster, occurrencesOverlapping, spanOf } from '../recurrence/occurrences.ts';
import { roomFreeBusy } from '../schedule/free-busy.ts';

const DAY = 86_400_000;
/** Feishu: "预定会议室重复日程长度不得超过两年" — a recurring event with a room spans at most two years. */
const MAX_SERIES_WITH_ROOM = 2 * 366 * DAY;

/** What to do when a room is already booked at one of the event's times. */
export type RoomConflictRule = 'refuse' | 'decline';

/**
 * Books a meeting room for an event: the room's answer as an attendee (RFC 5545 PARTSTAT of a
 * `resource`). A room that needs approval waits unanswered (NEEDS-ACTION: DingTalk `tentative`,
 * 审批中; Feishu `needs_action`, 预约中); otherwise the booking is accepted unless another accepted
 * booking of the room overlaps one of the event's occurrences (a room is one calendar: two
 * accepted bookings never overlap). On overlap DingTalk refuses the call (400
 * meetingRoomNotAvailable, 会议室已被占用) and Feishu's asynchronous booking fails (`decline`),
 * as `rule` says. The room's row is locked first, so bookings of one room are checked one after
 * the other on every node.
 * @throws KalendsError MEETING_ROOM_UNAVAILABLE (rule `refuse`), INVALID_PARAMETER for a
 *   recurring event longer than two years.
 */
export async function bookRoom(tx: Db, event: CalendarEvent, room: RoomRow, rule: RoomConflictRule): Promise<PartStat> {
  requireRoomSpan(event);
  await lockRoom(tx, room.id);
  if (room.approval === 1) return 'NEEDS-ACTION';
  if (await overlapsBooking(tx, event, room)) {
    if (rule === 'refuse') fail('MEETING_ROOM_UNAVAILABLE', `room busy: ${room.room_id} is booked at that time`);
    return 'DECLINED';
  }
  return 'ACCEPTED';
}

/**
 * Checks an event's accepted room bookings again after its times or rule changed (PatchEvent:
 * "Meeting room invalid", 会议室不可用): a room now taken at one of its occurrences refuses the
 * change (`refuse`) or is declined (`decline`, Feishu's booking), as bookRoom says.
 * @throws KalendsError MEETING_ROOM_UNAVAILABLE (rule `refuse`), INVALID_PARAMETER for a
 *   recurring event with a room longer than two years.
 */
export async function recheckRooms(tx: Db, event: CalendarEvent, rule: RoomConflictRule, now: number): Promise<void> {
  const booked = (await roomAttendeesOf(tx, event.id)).filter((a) => a.partstat === 'ACCEPTED');
  if (booked.length === 0) return;
  requireRoomSpan(event);
  const rows = new Map(booked.map((a) => [a.ref, a]));
  for (const room of await findRoomsByIds(tx, [...rows.keys()])) {
    await lockRoom(tx, room.id);
    if (!(await overlapsBooking(tx, event, room))) continue;
    if (rule === 'refuse') fail('MEETING_ROOM_UNAVAILABLE', `Meeting room invalid: ${room.room_id} is booked at the new time`);
    await setPartstat(tx, rows.get(room.id)!.seq, 'DECLINED', now);
  }
}

function requireRoomSpan(event: CalendarEvent): void {
  if (isSeriesMaster(event) && (event.range.end >= END_OF_TIME || event.range.end - event.range.start > MAX_SERIES_WITH_ROOM)) {
    fail('INVALID_PARAMETER', 'a recurring event with a meeting room may span at most two years');
  }
}

/**
 * Accepts a booking that waits (meetingRoomRespond, the console): the same overlap rule.
 * @throws KalendsError MEETING_ROOM_UNAVAILABLE when another accepted booking overlaps.
 */
export async function approveBooking(tx: Db, event: CalendarEvent, room: RoomRow): Promise<void> {
  await lockRoom(tx, room.id);
  if (await overlapsBooking(tx, event, room)) fail('MEETING_ROOM_UNAVAILABLE', `room busy: ${room.room_id} is booked at that time`);
}

/** True when an accepted booking of the room, other than this event's series, overlaps one of its occurrences. */
async function overlapsBooking(tx: Db, event: CalendarEvent, room: RoomRow): Promise<boolean> {
  const mine = spansOf(event);
  if (mine.length === 0) return false;
  const series = event.seriesMasterId ?? event.id;
  const taken = (await roomFreeBusy(tx, event.tenantId, room.id, mine[0]!.start, mine[mine.length - 1]!.end))
    .filter((b) => b.status === 'BUSY' && (b.event.seriesMasterId ?? b.event.id) !== series);
  let i = 0;
  for (const t of taken) {
    while (i < mine.length && mine[i]!.end <= t.start) i++;
    if (i < mine.length && mine[i]!.start < t.end) return true;
  }
  return false;
}

/** The spans [start, end) (ms) an event takes, every occurrence of a series, in start order. */
function spansOf(event: CalendarEvent): Array<{ start: number; end: number }> {
  const span = spanOf(event.start, event.end);
  if (!isSeriesMaster(event)) return [span];
  const length = span.end - span.start;
  return occurrencesOverlapping(event, event.range.start, event.range.end, false).map((s) => ({ start: s, end: s + length }));
}
