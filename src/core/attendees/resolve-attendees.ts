import { fail } from '../errors.ts';
import type { Db } from '../../store/store.ts';
import * as dir from '../../store/repositories/directory.ts';
import type { AttendeeSpec, UserIdType } from './attendee.ts';
import { findAttendeeUserIds } from './attendee-user-ids.ts';

/** An attendee resolved to the directory: its kind and internal reference. */
export interface ResolvedAttendee {
  kind: AttendeeSpec['kind'];
  ref: string;
  /** A user's number (`users.seq`); null for the other kinds. */
  userSeq: number | null;
  isOptional: boolean;
}

const NONE: ReadonlyMap<string, dir.ActiveUserId> = new Map();
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ID_TYPES = ['union_id', 'open_id', 'user_id'] as const satisfies readonly UserIdType[];

/**
 * Resolves requested attendees against the tenant's directory, with one query per kind and id
 * type (people already remembered by attendee-user-ids.ts cost none), and drops duplicates
 * within the request (the first one wins).
 * @throws KalendsError ATTENDEE_USER_NOT_FOUND naming every user id that is not an active person
 *   of the tenant, ATTENDEE_NOT_FOUND for unknown chats and rooms, INVALID_PARAMETER for a
 *   malformed e-mail address.
 */
export async function resolveAttendees(db: Db, tenantId: string, specs: readonly AttendeeSpec[]): Promise<ResolvedAttendee[]> {
  const userIds: Record<UserIdType, string[]> = { union_id: [], open_id: [], user_id: [] };
  const chatIds: string[] = [];
  const roomIds: string[] = [];
  for (const spec of specs) {
    if (spec.kind === 'user') userIds[spec.idType].push(spec.id);
    else if (spec.kind === 'chat') chatIds.push(spec.chatId);
    else if (spec.kind === 'resource') roomIds.push(spec.roomId);
  }
  // Keyed by the id as given, one map per id type: no key strings to build for a batch of 500.
  const users = {} as Record<UserIdType, ReadonlyMap<string, dir.ActiveUserId>>;
  const missingUsers: string[] = [];
  for (const idType of ID_TYPES) {
    users[idType] = userIds[idType].length === 0 ? NONE : await findAttendeeUserIds(db, tenantId, idType, userIds[idType]);
    for (const id of userIds[idType]) if (!users[idType].has(id)) missingUsers.push(id);
  }
  const chats = new Map((await dir.findChatsByChatIds(db, tenantId, chatIds)).map((c) => [c.chat_id, c.id]));
  const rooms = new Map((await dir.findRoomsByRoomIds(db, tenantId, roomIds)).map((r) => [r.room_id, r.id]));

  const resolved: ResolvedAttendee[] = [];
  const missing: string[] = [];
  const seen: Record<AttendeeSpec['kind'], Set<string>> = { user: new Set(), chat: new Set(), resource: new Set(), third_party: new Set() };
  for (const spec of specs) {
    const user = spec.kind === 'user' ? users[spec.idType].get(spec.id) : undefined;
    const ref = user ? user.id : refOf(spec, chats, rooms, missing);
    if (ref === undefined || seen[spec.kind].has(ref)) continue;
    seen[spec.kind].add(ref);
    resolved.push({ kind: spec.kind, ref, userSeq: user ? user.seq : null, isOptional: spec.isOptional });
  }
  if (missingUsers.length > 0) {
    fail('ATTENDEE_USER_NOT_FOUND', `user is not in the tenant or has left: ${[...new Set(missingUsers)].slice(0, 20).join(', ')}`, { ids: missingUsers });
  }
  if (missing.length > 0) {
    fail('ATTENDEE_NOT_FOUND', `attendee not found: ${[...new Set(missing)].slice(0, 20).join(', ')}`, { ids: missing });
  }
  return resolved;
}

/** The reference of a chat, room or e-mail attendee (users are resolved above; a missing one has none). */
function refOf(spec: AttendeeSpec, chats: Map<string, string>, rooms: Map<string, string>, missing: string[]): string | undefined {
  switch (spec.kind) {
    case 'user':
      return undefined;
    case 'chat': {
      const id = chats.get(spec.chatId);
      if (!id) missing.push(spec.chatId);
      return id;
    }
    case 'resource': {
      const id = rooms.get(spec.roomId);
      if (!id) missing.push(spec.roomId);
      return id;
    }
    case 'third_party':
      if (!EMAIL.test(spec.email)) fail('INVALID_PARAMETER', `invalid third_party_email: ${spec.email}`);
      return spec.email.toLowerCase();
  }
}
