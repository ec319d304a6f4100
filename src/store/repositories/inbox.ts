import type { Insertable, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { Db } from '../store.ts';

export type InboxMessageRow = Selectable<Database['inbox_messages']>;

/** Adds messages to users' inboxes (in the dispatcher's fan-out transaction). */
export async function insertInboxMessages(db: Db, rows: ReadonlyArray<Insertable<Database['inbox_messages']>>): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('inbox_messages').values(rows.slice(i, i + 500)).execute();
}

/** A user's messages, newest first, at most `limit`. */
export function listInbox(db: Db, userId: string, limit: number): Promise<InboxMessageRow[]> {
  return db.selectFrom('inbox_messages').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(limit).execute();
}
