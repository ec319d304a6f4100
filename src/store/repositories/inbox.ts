import type { Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import { PreparedQuery } from '../prepared-query.ts';
import type { Db } from '../store.ts';
import { powerChunks } from '../power-chunks.ts';

export type InboxMessageRow = Selectable<Database['inbox_messages']>;
/** A message to add: every column given (null where none), as a prepared statement binds them all. */
export type NewInboxMessage = Omit<InboxMessageRow, 'id'>;

const insertMessages = new PreparedQuery((db, a: { rows: readonly NewInboxMessage[] }) =>
  db.insertInto('inbox_messages').values(a.rows.map((r) => ({
    tenant_id: r.tenant_id, user_id: r.user_id, app_id: r.app_id, kind: r.kind, topic: r.topic, text: r.text,
    event_id: r.event_id, outbox_id: r.outbox_id, created_at: r.created_at,
  }))), ['rows']);

/**
 * Adds messages to users' inboxes (in the dispatcher's fan-out transaction), in chunks of
 * power-of-two lengths up to 256 rows (`powerChunks`): each statement is compiled once per
 * length, so a few compiled forms serve every count (one per count seen held thousands of
 * parameter readers each).
 */
export async function insertInboxMessages(db: Db, rows: readonly NewInboxMessage[]): Promise<void> {
  for (const chunk of powerChunks(rows, 256)) await insertMessages.run(db, { rows: chunk });
}

/** A user's messages, newest first, at most `limit`. */
export function listInbox(db: Db, userId: string, limit: number): Promise<InboxMessageRow[]> {
  return db.selectFrom('inbox_messages').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(limit).execute();
}
