import type { Actor } from '../actor.ts';
import { resolveEvent, type CalendarRef } from '../acl/access.ts';
import type { AttendeeSpec } from '../attendees/attendee.ts';
import { addAttendees } from '../attendees/add-attendees.ts';
import type { Answer } from '../attendees/answer.ts';
import type { CalendarEvent, EventKey } from '../events/event.ts';
import { fail } from '../errors.ts';
import { recordChange, type NotifyChannel } from '../outbox/notify.ts';
import type { Db } from '../../store/store.ts';
import { findRoomAttendee, pageAttendees, setPartstat } from '../../store/repositories/attendees.ts';
import { findRoom, findRoomsByIds, type RoomRow } from '../../store/repositories/directory.ts';
import { findEventForWrite, touchEvent } from '../../store/repositories/events.ts';
import { nextChangeSeq } from '../../store/repositories/change-log.ts';
import { approveBooking } from './room-booking.ts';
import { roomFreeBusy, type BusyItem } from '../schedule/free-busy.ts';

/**
 * Books meeting rooms for an event (DingTalk addMeetingRooms): the rooms become attendees of
 * kind `resource`, each booked as bookRoom says. An event holds at most `maxRooms` rooms.
 * @throws KalendsError INVALID_PARAMETER (no room, too many rooms, an unknown room),
 *   MEETING_ROOM_UNAVAILABLE, and those of addAttendees.
 */
export async function addMeetingRooms(tx: Db, actor: Actor, ref: CalendarRef, key: EventKey, roomIds: readonly string[], maxRooms: number, channels: readonly NotifyChannel[], now: number): Promise<void> {
  if (roomIds.length === 0 || roomIds.some((id) => !id)) fail('INVALID_PARAMETER', 'roomId must be provided.');
  const { event } = await resolveEvent(tx, actor, ref, key);
  if (new Set(roomIds).size > maxRooms) fail('INVALID_PARAMETER', `attendees batch size too large. Maximum allowed:${maxRooms}`);
  const present = (await pageAttendees(tx, event.id, 0, 10_000)).filter((a) => a.kind === 'resource').map((a) => a.ref);
  const rooms = await Promise.all(roomIds.map(async (id) => (await findRoom(tx, actor.tenantId, id)) ?? fail('INVALID_PARAMETER', `roomId invalid: ${id}`)));
  if (new Set([...present, ...rooms.map((r) => r.id)]).size > maxRooms) fail('INVALID_PARAMETER', `attendees batch size too large. Maximum allowed:${maxRooms}`);
  const specs: AttendeeSpec[] = roomIds.map((roomId) => ({ kind: 'resource', roomId, isOptional: false }));
  await addAttendees(tx, actor, ref, key, specs, channels, now, null, false);
}

/**
 * Answers a room's booking of an event (DingTalk meetingRoomRespond):
 * `accepted` books it (refused while another accepted booking overlaps), `declined` refuses
 * it, `tentative` puts it back to waiting.
 * @throws KalendsError ATTENDEE_NOT_FOUND (the room is not on the event), MEETING_ROOM_UNAVAILABLE,
 *   EVENT_PERMISSION_DENIED (neither organizer nor writer), those of resolveEvent.
 */
export async function answerRoomBooking(tx: Db, actor: Actor, ref: CalendarRef, key: EventKey, roomId: string, answer: Answer, now: number): Promise<void> {
  const access = await resolveEvent(tx, actor, ref, key, false, true, now);
  if (!access.canWrite) fail('EVENT_PERMISSION_DENIED', 'only the organizer or a writer of the calendar may answer for its rooms');
  const room = await findRoom(tx, actor.tenantId, roomId);
  if (!room) fail('ATTENDEE_NOT_FOUND', `meeting room ${roomId} is not on this event`);
  if (!(await setRoomAnswer(tx, access.event, room, answer, now))) return;
  await recordChange(tx, actor, {
    topic: 'event.updated', eventId: access.event.id, recipients: [access.event.organizerId], channels: [], data: {},
  }, now);
}

/**
 * The console's approval of a room booking (a room with `"approval": true` waits until it is
 * answered): the same rule as meetingRoomRespond, answered by the sandbox's operator rather
 * than an app, so no app is told.
 * @param roomRef the room's internal id.
 * @throws KalendsError EVENT_NOT_FOUND, ATTENDEE_NOT_FOUND, MEETING_ROOM_UNAVAILABLE.
 */
export async function answerRoomBookingAsOperator(tx: Db, tenantId: string, eventId: string, roomRef: string, answer: Answer, now: number): Promise<void> {
  const event = await findEventForWrite(tx, tenantId, eventId);
  if (!event || event.deletedAt !== null) fail('EVENT_NOT_FOUND', 'the specified event cannot be found');
  const [room] = await findRoomsByIds(tx, [roomRef]);
  if (!room || room.tenant_id !== tenantId) fail('ATTENDEE_NOT_FOUND', 'no such meeting room');
  await setRoomAnswer(tx, event, room, answer, now);
}

/**
 * Sets a room's answer on an event: `accepted` books it (refused while another accepted booking
 * overlaps), `declined` refuses it, `tentative` puts it back to waiting.
 * @returns whether anything changed.
 * @throws KalendsError ATTENDEE_NOT_FOUND (the room is not on the event), MEETING_ROOM_UNAVAILABLE.
 */
async function setRoomAnswer(tx: Db, event: CalendarEvent, room: RoomRow, answer: Answer, now: number): Promise<boolean> {
  const booking = await findRoomAttendee(tx, event.id, room.id);
  if (!booking) fail('ATTENDEE_NOT_FOUND', `meeting room ${room.room_id} is not on this event`);
  const partstat = answer === 'TENTATIVE' ? 'NEEDS-ACTION' : answer;
  if (booking.partstat === partstat) return false;
  if (partstat === 'ACCEPTED') await approveBooking(tx, event, room);
  await setPartstat(tx, booking.seq, partstat, now);
  await touchEvent(tx, event.id, await nextChangeSeq(tx, event.tenantId), now);
  return true;
}

/** One room's answer in a room schedule query: its bookings, or why there are none. */
export type RoomSchedule = { roomId: string; items: BusyItem[] } | { roomId: string; error: string };

/**
 * The booked time of meeting rooms of the actor's tenant in [from, to) (ms) (DingTalk
 * getMeetingRoomsSchedule): accepted bookings BUSY, bookings awaiting approval TENTATIVE; an
 * empty list means the room is idle. An unknown room is answered in-band.
 */
export async function roomSchedules(db: Db, actor: Actor, roomIds: readonly string[], from: number, to: number): Promise<RoomSchedule[]> {
  const answers: RoomSchedule[] = [];
  for (const roomId of roomIds) {
    const room = await findRoom(db, actor.tenantId, roomId);
    answers.push(room ? { roomId, items: await roomFreeBusy(db, actor.tenantId, room.id, from, to) } : { roomId, error: 'roomId invalid' });
  }
  return answers;
}
