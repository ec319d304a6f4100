import { v7 } from 'uuid';

/**
 * A new opaque internal id: a UUID version 7 (RFC 9562 §5.7), whose first 48 bits are the Unix
 * time in ms and whose order, within one process, is the order of creation. Rows made together
 * (a directory load's users, an event's attendees) therefore sit side by side in every index
 * keyed by these ids, so a write touching many of them dirties a few B-tree pages instead of one
 * page per id (RFC 9562 §6.2: random v4 ids scatter index inserts). Dialects render it in their
 * platform's form.
 */
export function newId(): string {
  return v7();
}
