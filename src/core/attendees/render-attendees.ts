import type { Db } from '../../store/store.ts';
import { chatMembersOf, type AttendeeRow, type AttendeeUser } from '../../store/repositories/attendees.ts';
import { findAttendeeUsers } from './attendee-users.ts';
import * as dir from '../../store/repositories/directory.ts';
import type { PartStat } from '../events/event.ts';
import type { AttendeeView } from './attendee.ts';

/** An attendee row to render. */
export type RenderableAttendee = Pick<AttendeeRow, 'seq' | 'kind' | 'ref' | 'is_optional' | 'partstat'>;

/**
 * Turns stored attendee rows into views, looking names and ids up with one query per kind
 * (users through what this process remembers of them: attendee-users.ts).
 * @param organizerId the event organizer's internal id, to flag `isOrganizer`.
 */
export async function renderAttendees(db: Db, rows: readonly RenderableAttendee[], organizerId: string): Promise<AttendeeView[]> {
  const refsOf = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.ref);
  const users = await findAttendeeUsers(db, refsOf('user'));
  const chats = new Map((await dir.findChatsByIds(db, refsOf('chat'))).map((c) => [c.id, c]));
  const rooms = new Map((await dir.findRoomsByIds(db, refsOf('resource'))).map((r) => [r.id, r]));
  const members = await chatMembersOf(db, rows.filter((r) => r.kind === 'chat').map((r) => r.seq));
  const memberUsers = await findAttendeeUsers(db, members.map((m) => m.user_id));
  return rows.map((row) => {
    if (row.kind === 'user') return userView(row, users.get(row.ref), organizerId);
    const base = {
      seq: row.seq, kind: row.kind as AttendeeView['kind'], isOptional: row.is_optional === 1,
      partstat: row.partstat as PartStat, isOrganizer: false,
    };
    if (row.kind === 'chat') {
      const c = chats.get(row.ref);
      const chatMembers = members.filter((m) => m.attendee_seq === row.seq).map((m) => ({
        userId: m.user_id, displayName: memberUsers.get(m.user_id)?.name ?? '', partstat: m.partstat as PartStat, isOrganizer: m.user_id === organizerId,
      }));
      return { ...base, displayName: c?.name ?? '', chat: { chatId: c?.chat_id ?? '' }, chatMembers };
    }
    if (row.kind === 'resource') {
      const r = rooms.get(row.ref);
      return { ...base, displayName: r?.name ?? '', room: { roomId: r?.room_id ?? '' } };
    }
    return { ...base, displayName: row.ref, email: row.ref };
  });
}

/** A user attendee's view, built in one literal: pages of them are the common case (list-100). */
function userView(row: RenderableAttendee, u: AttendeeUser | undefined, organizerId: string): AttendeeView {
  return {
    seq: row.seq, kind: 'user', isOptional: row.is_optional === 1, partstat: row.partstat as PartStat,
    isOrganizer: row.ref === organizerId, displayName: u?.name ?? '',
    user: { id: row.ref, unionId: u?.union_id ?? '', openId: u?.open_id ?? null, userId: u?.user_id ?? null, email: u?.email ?? null },
  };
}
