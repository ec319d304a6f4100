/**
 * Calendar user addresses (RFC 5545 §3.3.3) of the directory: a person is `mailto:` their
 * directory e-mail (`urn:x-kalends:user:<unionId>` for one without an e-mail); a meeting room
 * `urn:x-kalends:room:<roomId>` (CUTYPE=ROOM), a chat `urn:x-kalends:chat:<chatId>` (CUTYPE=GROUP):
 * neither has an e-mail, and a URN is a calendar user address clients keep as given.
 */
export function userAddress(user: { email: string | null; union_id: string } | undefined): string {
  if (!user) return 'urn:x-kalends:user:unknown';
  return user.email ? `mailto:${user.email.toLowerCase()}` : `urn:x-kalends:user:${user.union_id}`;
}

export function roomAddress(roomId: string): string {
  return `urn:x-kalends:room:${roomId}`;
}

export function chatAddress(chatId: string): string {
  return `urn:x-kalends:chat:${chatId}`;
}

/** What an address names: a directory kind and id, or an e-mail to look up. */
export type AddressRef =
  | { kind: 'email'; email: string }
  | { kind: 'user'; unionId: string }
  | { kind: 'room'; roomId: string }
  | { kind: 'chat'; chatId: string }
  | { kind: 'other' };

/** Reads an address as ical-parse gives it (`mailto:` e-mail lower-cased, URN ids as written). */
export function readAddress(address: string): AddressRef {
  if (address.startsWith('mailto:')) return { kind: 'email', email: address.slice(7) };
  const m = /^urn:x-kalends:(user|room|chat):(.+)$/i.exec(address);
  if (!m) return { kind: 'other' };
  const kind = m[1]!.toLowerCase();
  return kind === 'user' ? { kind: 'user', unionId: m[2]! } : kind === 'room' ? { kind: 'room', roomId: m[2]! } : { kind: 'chat', chatId: m[2]! };
}
