import type { Actor } from '../actor.ts';
import { resolveEvent, type CalendarRef } from '../acl/access.ts';
import { fail } from '../errors.ts';
import { recordChange, type NotifyChannel } from '../outbox/notify.ts';
import type { Db } from '../../store/store.ts';
import { deleteAttendees } from '../../store/repositories/attendees.ts';
import { bumpAttendeeCount } from '../../store/repositories/events.ts';
import { nextChangeSeq } from '../../store/repositories/change-log.ts';
import { findUsersByIdType } from '../../store/repositories/directory.ts';
import type { UserIdType } from './attendee.ts';
import { checkBatchSize } from './limits.ts';

/** An attendee named for removal: by user id, or by kind and internal reference. */
export type RemovalSpec =
  | { kind: 'user'; idType: UserIdType; id: string }
  | { kind: 'chat' | 'resource' | 'third_party'; ref: string };

/**
 * Removes attendees from an event in one step (DingTalk RemoveAttendee, seed 000; Feishu
 * batch_delete, seed 001). Only the organizer or a writer/owner of the event's calendar may
 * remove. Naming someone who is not an attendee (or not a user at all) changes nothing and is
 * no error. The organizer is never removed from their own event: an event always keeps its
 * organizer, so naming them is skipped like an absent attendee.
 * @returns how many attendees were removed.
 * @throws KalendsError ATTENDEE_BATCH_TOO_LARGE (> 500 named), ATTENDEE_DELETE_DENIED, and
 *   those of resolveEvent.
 */
export async function removeAttendees(
  tx: Db, actor: Actor, ref: CalendarRef, eventId: string,
  specs: readonly RemovalSpec[], channels: readonly NotifyChannel[], now: number,
): Promise<number> {
  checkBatchSize(specs.length);
  const access = await resolveEvent(tx, actor, ref, eventId);
  if (!access.canWrite) fail('ATTENDEE_DELETE_DENIED', 'only the organizer or a writer of the calendar may remove attendees');
  const event = access.event;
  const userRefs: string[] = [];
  for (const idType of ['union_id', 'open_id', 'user_id'] as const) {
    const ids = specs.flatMap((s) => (s.kind === 'user' && s.idType === idType ? [s.id] : []));
    const users = await findUsersByIdType(tx, actor.tenantId, idType, ids);
    userRefs.push(...users.map((u) => u.id).filter((id) => id !== event.organizerId));
  }
  let removed = await deleteAttendees(tx, event.id, 'user', [...new Set(userRefs)]);
  for (const kind of ['chat', 'resource', 'third_party'] as const) {
    const refs = specs.flatMap((s) => (s.kind === kind ? [s.ref] : []));
    removed += await deleteAttendees(tx, event.id, kind, [...new Set(refs)]);
  }
  if (removed > 0) {
    const seq = await nextChangeSeq(tx, actor.tenantId);
    await bumpAttendeeCount(tx, event.id, -removed, seq, now);
    await recordChange(tx, actor, {
      topic: 'attendee.removed', eventId: event.id, recipients: userRefs, channels,
      data: { removed: specs },
    }, now);
  }
  return removed;
}
