import type { Actor } from '../actor.ts';
import { canInvite, requireAttendeeCalendar, instanceKeyOf, resolveEvent, type CalendarRef } from '../acl/access.ts';
import { fail } from '../errors.ts';
import type { CalendarEvent, PartStat } from '../events/event.ts';
import { recordChange, type NotifyChannel } from '../outbox/notify.ts';
import type { Db } from '../../store/store.ts';
import { findAttendeesByRefs, insertAttendees, insertChatMembers } from '../../store/repositories/attendees.ts';
import { chatMemberUserIds, findRoomsByIds } from '../../store/repositories/directory.ts';
import { bookRoom } from '../rooms/room-booking.ts';
import { bumpAttendeeCount } from '../../store/repositories/events.ts';
import { nextChangeSeq } from '../../store/repositories/change-log.ts';
import type { AttendeeSpec, AttendeeView } from './attendee.ts';
import { checkBatchSize, checkEventCap } from './limits.ts';
import { renderAttendees } from './render-attendees.ts';
import { resolveAttendees } from './resolve-attendees.ts';
import type { EventKey } from '../events/event.ts';

/**
 * Adds attendees to an event (DingTalk AddAttendee, seed 002; Feishu attendee create).
 * Only the organizer, a writer/owner of the event's calendar, or an attendee of an event whose
 * `attendeeAbility` lets attendees invite (Feishu `can_invite_others`) may add. Attendees already on
 * the event and duplicates within the call are skipped without error. Runs inside the caller's
 * transaction; a rejected call changes nothing.
 * @returns the requested attendees as they now stand on the event (none when `render` is false:
 *   DingTalk replies with an empty body).
 * @throws KalendsError ATTENDEE_BATCH_TOO_LARGE (> 500 named), ATTENDEE_NOT_FOUND,
 *   ATTENDEE_CREATE_DENIED, ATTENDEE_LIMIT_EXCEEDED (> 5,000 on the event), and those of resolveEvent.
 */
export async function addAttendees(
  tx: Db, actor: Actor, ref: CalendarRef, key: EventKey,
  specs: readonly AttendeeSpec[], channels: readonly NotifyChannel[], now: number, instanceStart: number | null = null,
  render = true,
): Promise<AttendeeView[]> {
  checkBatchSize(specs.length);
  const access = await resolveEvent(tx, actor, ref, await instanceKeyOf(tx, actor.tenantId, key, instanceStart), false, true, now);
  requireAttendeeCalendar(access);
  if (!canInvite(access)) fail('ATTENDEE_CREATE_DENIED', 'no permission to create event attendees: only the organizer, a writer of the calendar, or an attendee the event lets invite others');
  return addToEvent(tx, actor, access.event, specs, channels, now, render);
}

/**
 * Adds attendees to an event the caller may write and has locked for this transaction
 * (resolveEvent with forWrite), or has just created in it. Its attendeeCount is the locked one.
 * @param announce false when the event is created in the same call: its `event.created`
 *   change tells of these attendees, so no `attendee.added` change is recorded.
 */
export async function addToEvent(
  tx: Db, actor: Actor, event: CalendarEvent,
  specs: readonly AttendeeSpec[], channels: readonly NotifyChannel[], now: number, render = true, announce = true,
): Promise<AttendeeView[]> {
  const resolved = await resolveAttendees(tx, actor.tenantId, specs);
  const rooms = await bookRooms(tx, actor, event, resolved.filter((a) => a.kind === 'resource').map((a) => a.ref));
  // Insert first, skipping those already there, then check the cap on what was really added:
  // a refusal throws, and the caller's transaction takes the insert back with everything else.
  const fresh = await insertAttendees(tx, resolved.map((a) => ({
    event_id: event.id, kind: a.kind, ref: a.ref, user_seq: a.userSeq, is_optional: a.isOptional ? 1 : 0,
    partstat: rooms.get(a.ref) ?? initialPartstat(a.kind, a.ref, event.organizerId), created_at: now, updated_at: now,
  })));
  checkEventCap(event.attendeeCount, fresh.length);
  if (fresh.length > 0) {
    const seq = await nextChangeSeq(tx, actor.tenantId);
    await bumpAttendeeCount(tx, event.id, fresh.length, seq, now);
    event.attendeeCount += fresh.length;
    const userRefs = fresh.filter((a) => a.kind === 'user').map((a) => a.ref);
    if (announce) {
      await recordChange(tx, actor, {
        topic: 'attendee.added', eventId: event.id, recipients: userRefs, channels,
        data: { added: fresh.map((a) => ({ kind: a.kind, ref: a.ref })) },
      }, now);
    }
  }
  const freshChats = new Set(fresh.filter((a) => a.kind === 'chat').map((a) => a.ref));
  if (!render && freshChats.size === 0) return [];
  const rows = await findAttendeesByRefs(tx, event.id, resolved);
  for (const row of rows.filter((r) => r.kind === 'chat' && freshChats.has(r.ref))) {
    const members = await chatMemberUserIds(tx, row.ref);
    await insertChatMembers(tx, members.map((userId) => ({
      attendee_seq: row.seq, event_id: event.id, user_id: userId,
      partstat: userId === event.organizerId ? 'ACCEPTED' : 'NEEDS-ACTION', updated_at: now,
    })));
  }
  return render ? renderAttendees(tx, rows, event.organizerId) : [];
}

/** An invitation starts unanswered; the organizer has accepted their own event. */
function initialPartstat(kind: string, ref: string, organizerId: string): PartStat {
  return kind === 'user' && ref === organizerId ? 'ACCEPTED' : 'NEEDS-ACTION';
}

/**
 * The booking answer of each meeting room named (bookRoom): DingTalk refuses a taken room,
 * Feishu's asynchronous booking declines it. Rooms already on the event keep their answer (the
 * insert skips them).
 */
async function bookRooms(tx: Db, actor: Actor, event: CalendarEvent, roomIds: readonly string[]): Promise<Map<string, PartStat>> {
  const answers = new Map<string, PartStat>();
  if (roomIds.length === 0) return answers;
  const present = new Set((await findAttendeesByRefs(tx, event.id, roomIds.map((ref) => ({ kind: 'resource', ref })))).map((r) => r.ref));
  for (const room of await findRoomsByIds(tx, roomIds.filter((id) => !present.has(id)))) {
    answers.set(room.id, await bookRoom(tx, event, room, actor.platform === 'dingtalk' ? 'refuse' : 'decline'));
  }
  return answers;
}
