import type { Actor } from '../actor.ts';
import { canSeeAttendees, resolveEvent, type CalendarRef } from '../acl/access.ts';
import { fail } from '../errors.ts';
import type { PartStat } from '../events/event.ts';
import type { Db } from '../../store/store.ts';
import { findAttendeeBySeq, pageChatMembers } from '../../store/repositories/attendees.ts';
import { findUsersByIds, isInChat, type UserRow } from '../../store/repositories/directory.ts';
import type { EventKey } from '../events/event.ts';

export interface ChatMember {
  userId: string;
  /** The member's directory row (ids in every type), if they still exist. */
  user: UserRow | undefined;
  displayName: string;
  partstat: PartStat;
  isOrganizer: boolean;
}

/**
 * One page of a chat attendee's members, each with their own answer (Feishu
 * `attendee.chat_member` list), keyset on the member. The caller must be in the chat itself
 * ("当前身份必须在群成员列表中": calendar-event-attendee-chat_member/list), a bot included.
 * @param after cursor: the last member's user id of the previous page ('' for the first).
 * @throws KalendsError ATTENDEE_LIST_DENIED, ATTENDEE_NOT_FOUND (no such chat attendee), those
 *   of resolveEvent.
 */
export async function listChatMembers(db: Db, actor: Actor, ref: CalendarRef, key: EventKey, attendeeSeq: number, after: string, limit: number): Promise<{ items: ChatMember[]; next: string | null }> {
  const access = await resolveEvent(db, actor, ref, key);
  if (!canSeeAttendees(access)) fail('ATTENDEE_LIST_DENIED', 'no permission to list event attendees');
  const attendee = await findAttendeeBySeq(db, access.event.id, attendeeSeq);
  if (!attendee || attendee.kind !== 'chat') fail('ATTENDEE_NOT_FOUND', `attendee not found: chat_${attendeeSeq}`);
  if (!(await isInChat(db, attendee.ref, actor.userId))) fail('ATTENDEE_LIST_DENIED', 'the caller is not a member of this chat');
  const rows = await pageChatMembers(db, attendee.seq, after, limit + 1);
  const page = rows.slice(0, limit);
  const users = new Map((await findUsersByIds(db, page.map((r) => r.user_id))).map((u) => [u.id, u]));
  return {
    items: page.map((r) => ({ userId: r.user_id, user: users.get(r.user_id), displayName: users.get(r.user_id)?.name ?? '', partstat: r.partstat as PartStat, isOrganizer: r.user_id === access.event.organizerId })),
    next: rows.length > limit ? page[page.length - 1]!.user_id : null,
  };
}
