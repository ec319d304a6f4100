import type { Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import { PreparedQuery } from '../prepared-query.ts';
import type { Db } from '../store.ts';

export type InboxMessageRow = Selectable<Database['inbox_messages']>;
/** A message to add: every column given (null where none), as a prepared statement binds them all. */
export type NewInboxMessage = Omit<InboxMessageRow, 'id'>;

const insertMessages = new PreparedQuery((db, a: { rows: readonly NewInboxMessage[] }) =>
  db.insertInto('inbox_messages').values(a.rows.map((r) => ({
    tenant_id: r.tenant_id, user_id: r.user_id, app_id: r.app_id, kind: r.kind, topic: r.topic, text: r.text,
    event_id: r.event_id, outbox_id: r.outbox_id, created_at: r.created_at,
  }))), ['rows']);

/**
 * Adds messages to users' inboxes (in the dispatcher's fan-out transaction), 500 rows per
 * statement, each statement compiled once per length.
 */
export async function insertInboxMessages(db: Db, rows: readonly NewInboxMessage[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await insertMessages.run(db, { rows: rows.slice(i, i + 500) });
}

/** A user's messages, newest first, at most `limit`. */
export function listInbox(db: Db, userId: string, limit: number): Promise<InboxMessageRow[]> {
  return db.selectFrom('inbox_messages').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(limit).execute();
}
