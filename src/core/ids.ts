import { randomUUID } from 'node:crypto';

/** A new opaque internal id (UUID v4). Dialects render it in their platform's form. */
export function newId(): string {
  return randomUUID();
}
