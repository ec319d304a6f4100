import type { Actor } from '../actor.ts';
import { requireAttendeeCalendar, instanceKeyOf, resolveEvent, type CalendarRef } from '../acl/access.ts';
import { fail } from '../errors.ts';
import type { CalendarEvent } from '../events/event.ts';
import { recordChange, type NotifyChannel } from '../outbox/notify.ts';
import type { Db } from '../../store/store.ts';
import { deleteAttendees, deleteAttendeesBySeq, findAttendeeBySeq } from '../../store/repositories/attendees.ts';
import { bumpAttendeeCount } from '../../store/repositories/events.ts';
import { nextChangeSeq } from '../../store/repositories/change-log.ts';
import { findChatsByChatIds, findRoomsByRoomIds, findUserIdsByIdType } from '../../store/repositories/directory.ts';
import type { AttendeeView, UserIdType } from './attendee.ts';
import { checkBatchSize } from './limits.ts';
import type { EventKey } from '../events/event.ts';

/**
 * An attendee named for removal: by the attendee id an earlier reply gave (Feishu
 * `attendee_ids`: kind and sequence number), or by who they are (DingTalk unionId, Feishu
 * `delete_ids`).
 */
export type RemovalSpec =
  | { kind: 'attendee'; type: AttendeeView['kind']; seq: number }
  | { kind: 'user'; idType: UserIdType; id: string }
  | { kind: 'chat'; chatId: string }
  | { kind: 'resource'; roomId: string }
  | { kind: 'third_party'; email: string };

/**
 * Removes attendees from an event in one step (DingTalk RemoveAttendee, seed 000; Feishu
 * batch_delete, seed 001). Only the organizer or a writer/owner of the event's calendar may
 * remove. Naming someone by who they are when they are not an attendee changes nothing and is
 * no error; naming an attendee id the event does not have rejects the call. The organizer is
 * never removed from their own event: an event always keeps its organizer, so naming them is
 * skipped like an absent attendee.
 * @returns how many attendees were removed.
 * @throws KalendsError ATTENDEE_BATCH_TOO_LARGE (> 500 named), ATTENDEE_DELETE_DENIED,
 *   ATTENDEE_NOT_FOUND (unknown attendee id), CALENDAR_TYPE_INVALID, and those of resolveEvent.
 */
export async function removeAttendees(
  tx: Db, actor: Actor, ref: CalendarRef, key: EventKey,
  specs: readonly RemovalSpec[], channels: readonly NotifyChannel[], now: number, instanceStart: number | null = null,
): Promise<number> {
  checkBatchSize(specs.length);
  const access = await resolveEvent(tx, actor, ref, await instanceKeyOf(tx, actor.tenantId, key, instanceStart), false, true, now);
  requireAttendeeCalendar(access);
  if (!access.canWrite) fail('ATTENDEE_DELETE_DENIED', 'no permission to delete event attendees: only the organizer may remove attendees');
  const event = access.event;
  const seqs = await attendeeSeqs(tx, event, specs);
  const refs = await refsByKind(tx, actor.tenantId, specs);
  const userRefs = refs.user.filter((id) => id !== event.organizerId);
  let removed = await deleteAttendeesBySeq(tx, event.id, seqs);
  removed += await deleteAttendees(tx, event.id, 'user', userRefs);
  for (const kind of ['chat', 'resource', 'third_party'] as const) removed += await deleteAttendees(tx, event.id, kind, refs[kind]);
  if (removed > 0) {
    const seq = await nextChangeSeq(tx, actor.tenantId);
    await bumpAttendeeCount(tx, event.id, -removed, seq, now);
    await recordChange(tx, actor, {
      topic: 'attendee.removed', eventId: event.id, recipients: userRefs, channels,
      data: { removed: { users: userRefs, chats: refs.chat, rooms: refs.resource, emails: refs.third_party, attendeeSeqs: seqs } },
    }, now);
  }
  return removed;
}

/** Sequence numbers of attendee ids; the organizer's own attendee entry is skipped. */
async function attendeeSeqs(tx: Db, event: CalendarEvent, specs: readonly RemovalSpec[]): Promise<number[]> {
  const seqs: number[] = [];
  for (const spec of specs) {
    if (spec.kind !== 'attendee') continue;
    const row = await findAttendeeBySeq(tx, event.id, spec.seq);
    if (!row || row.kind !== spec.type) fail('ATTENDEE_NOT_FOUND', `attendee not found: ${spec.type}_${spec.seq}`);
    if (!(row.kind === 'user' && row.ref === event.organizerId)) seqs.push(row.seq);
  }
  return [...new Set(seqs)];
}

/** Internal references of the attendees named by who they are, per kind (unknown ones dropped). */
async function refsByKind(tx: Db, tenantId: string, specs: readonly RemovalSpec[]) {
  const user: string[] = [];
  for (const idType of ['union_id', 'open_id', 'user_id'] as const) {
    const ids = specs.flatMap((s) => (s.kind === 'user' && s.idType === idType ? [s.id] : []));
    user.push(...(await findUserIdsByIdType(tx, tenantId, idType, ids)));
  }
  const chatIds = specs.flatMap((s) => (s.kind === 'chat' ? [s.chatId] : []));
  const roomIds = specs.flatMap((s) => (s.kind === 'resource' ? [s.roomId] : []));
  return {
    user: [...new Set(user)],
    chat: (await findChatsByChatIds(tx, tenantId, chatIds)).map((c) => c.id),
    resource: (await findRoomsByRoomIds(tx, tenantId, roomIds)).map((r) => r.id),
    third_party: [...new Set(specs.flatMap((s) => (s.kind === 'third_party' ? [s.email.toLowerCase()] : [])))],
  };
}
