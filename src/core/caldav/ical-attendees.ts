import type { AttendeeSpec } from '../attendees/attendee.ts';
import { findAttendeeUsers } from '../attendees/attendee-users.ts';
import { MAX_ATTENDEES_PER_EVENT } from '../attendees/limits.ts';
import type { Db } from '../../store/store.ts';
import { pageAttendees, type AttendeeRow } from '../../store/repositories/attendees.ts';
import { findChatsByIds, findRoomsByIds } from '../../store/repositories/directory.ts';
import { findUsersByEmails } from '../../store/repositories/caldav-objects.ts';
import { readAddress } from './addresses.ts';
import type { ParsedAttendee } from './ical-parse.ts';

/** An attendee a client wrote, as the core names it, with a key that compares it with stored ones. */
export interface WantedAttendee {
  key: string;
  spec: AttendeeSpec;
  parsed: ParsedAttendee;
}

/**
 * The attendees a client's ATTENDEE lines name (README, CalDAV mapping): `mailto:` a directory
 * e-mail is that user (one query for all), another e-mail an external (`third_party`) attendee,
 * `urn:x-kalends:user|room|chat:` a user, meeting room or chat; other addresses (`urn:uuid:`…)
 * name nobody Kalends can invite and are left out. ROLE=OPT-PARTICIPANT is optional.
 */
export async function wantedAttendees(db: Db, tenantId: string, attendees: readonly ParsedAttendee[]): Promise<WantedAttendee[]> {
  const emails = [...new Set(attendees.flatMap((a) => { const r = readAddress(a.address); return r.kind === 'email' ? [r.email] : []; }))];
  const users = new Map((await findUsersByEmails(db, tenantId, emails)).map((u) => [u.email, u]));
  const wanted = new Map<string, WantedAttendee>();
  for (const parsed of attendees) {
    const r = readAddress(parsed.address);
    const isOptional = parsed.optional;
    let w: WantedAttendee | undefined;
    if (r.kind === 'email') {
      const user = users.get(r.email);
      w = user
        ? { key: `user:${user.union_id}`, spec: { kind: 'user', idType: 'union_id', id: user.union_id, isOptional }, parsed }
        : { key: `third_party:${r.email}`, spec: { kind: 'third_party', email: r.email, isOptional }, parsed };
    } else if (r.kind === 'user') {
      w = { key: `user:${r.unionId}`, spec: { kind: 'user', idType: 'union_id', id: r.unionId, isOptional }, parsed };
    } else if (r.kind === 'room') {
      w = { key: `resource:${r.roomId}`, spec: { kind: 'resource', roomId: r.roomId, isOptional }, parsed };
    } else if (r.kind === 'chat') {
      w = { key: `chat:${r.chatId}`, spec: { kind: 'chat', chatId: r.chatId, isOptional }, parsed };
    }
    if (w && !wanted.has(w.key)) wanted.set(w.key, w);
  }
  return [...wanted.values()];
}

/** An event's stored attendees keyed as wantedAttendees keys them (user by unionId, room by roomId, chat by chatId, e-mail). */
export async function storedAttendees(db: Db, eventId: string): Promise<Map<string, AttendeeRow>> {
  const rows = await pageAttendees(db, eventId, 0, MAX_ATTENDEES_PER_EVENT);
  const refs = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.ref);
  const users = await findAttendeeUsers(db, refs('user'));
  const rooms = new Map((await findRoomsByIds(db, refs('resource'))).map((r) => [r.id, r.room_id]));
  const chats = new Map((await findChatsByIds(db, refs('chat'))).map((c) => [c.id, c.chat_id]));
  const keyed = new Map<string, AttendeeRow>();
  for (const row of rows) {
    const id = row.kind === 'user' ? users.get(row.ref)?.union_id : row.kind === 'resource' ? rooms.get(row.ref) : row.kind === 'chat' ? chats.get(row.ref) : row.ref;
    keyed.set(`${row.kind}:${id ?? row.ref}`, row);
  }
  return keyed;
}
