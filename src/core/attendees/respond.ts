import type { Actor } from '../actor.ts';
import { resolveEvent, type CalendarRef } from '../acl/access.ts';
import { fail } from '../errors.ts';
import type { Answer } from './answer.ts';
import { recordChange } from '../outbox/notify.ts';
import type { Db } from '../../store/store.ts';
import { findUserAttendee, setChatMemberPartstat, setPartstat } from '../../store/repositories/attendees.ts';
import { touchEvent } from '../../store/repositories/events.ts';
import { nextChangeSeq } from '../../store/repositories/change-log.ts';
import type { EventKey } from '../events/event.ts';

/**
 * The acting user answers an invitation (DingTalk RespondEvent, seed 004; Feishu event reply).
 * Changes only the caller's own response (as a user attendee, or as a member of each chat
 * attendee they belong to). The organizer is always ACCEPTED: an answer from an
 * organizer who is not also an attendee changes nothing.
 * @throws KalendsError NOT_AN_ATTENDEE when the caller is neither invited nor the organizer;
 *   those of resolveEvent.
 */
export async function respondToEvent(tx: Db, actor: Actor, ref: CalendarRef, key: EventKey, partstat: Answer, now: number): Promise<void> {
  const access = await resolveEvent(tx, actor, ref, key, false, true, now);
  const { event } = access;
  // resolveEvent looked the user's attendee row up (under the event's lock) unless they can write.
  const attendee = access.canWrite ? await findUserAttendee(tx, event.id, actor.userId) : access.attendee;
  if (attendee) {
    if (attendee.partstat === partstat) return;
    await setPartstat(tx, attendee.seq, partstat, now);
  } else if ((await setChatMemberPartstat(tx, event.id, actor.userId, partstat, now)) === 0) {
    if (event.organizerId === actor.userId) return;
    fail('NOT_AN_ATTENDEE', 'the user is not an attendee of this event');
  }
  await touchEvent(tx, event.id, await nextChangeSeq(tx, actor.tenantId), now);
  await recordChange(tx, actor, {
    // The organizer hears of it the way the answering platform tells: a DingTalk reminder, a Feishu bot message.
    topic: 'attendee.responded', eventId: event.id, recipients: [event.organizerId], channels: [actor.platform === 'feishu' ? 'bot' : 'push'],
    data: { partstat },
  }, now);
}
