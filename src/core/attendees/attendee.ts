import type { PartStat } from '../events/event.ts';

/** How a request names a user: the platforms' three user id types. */
export type UserIdType = 'union_id' | 'open_id' | 'user_id';

/** An attendee as a request names it, before resolution against the directory. */
export type AttendeeSpec = { isOptional: boolean } & (
  | { kind: 'user'; idType: UserIdType; id: string }
  | { kind: 'chat'; chatId: string }
  | { kind: 'resource'; roomId: string }
  | { kind: 'third_party'; email: string }
);

/** A stored attendee with what a dialect needs to render it. */
export interface AttendeeView {
  seq: number;
  kind: 'user' | 'chat' | 'resource' | 'third_party';
  isOptional: boolean;
  partstat: PartStat;
  isOrganizer: boolean;
  displayName: string;
  user?: { id: string; unionId: string; openId: string | null; userId: string | null; email: string | null };
  chat?: { chatId: string };
  room?: { roomId: string };
  email?: string;
  /** For a chat attendee: its members, each with their own answer. */
  chatMembers?: Array<{ userId: string; displayName: string; partstat: PartStat; isOrganizer: boolean }>;
}
