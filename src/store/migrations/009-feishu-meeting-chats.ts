import type { Kysely, Migration } from 'kysely';

/**
 * What Feishu keeps beside an event and a user that Kalends only records (nothing is sent):
 * - `meeting_chats`: an event's meeting chat (calendarEventMeetingChat.create), its
 *   `meeting_chat_id` (`oc_…`) and the identity that made it (its owner, who alone unbinds it);
 *   one per event, gone with the event.
 * - `meeting_minutes`: an event's minutes document (calendarEventMeetingMinute.create), its
 *   document token; one per event, gone with the event.
 * - `exchange_bindings`: an Exchange account bound to a user (exchangeBinding.create), keyed per
 *   tenant by its `exchange_binding_id`; no Exchange server is contacted.
 */
export const feishuMeetingChats: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('meeting_chats')
      .addColumn('event_id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('chat_id', 'text', (c) => c.notNull().unique())
      .addColumn('owner_user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('meeting_minutes')
      .addColumn('event_id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('doc_token', 'text', (c) => c.notNull().unique())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('exchange_bindings')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('admin_account', 'text', (c) => c.notNull())
      .addColumn('exchange_account', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('exchange_bindings_pkey', ['tenant_id', 'id'])
      .execute();
    // An Exchange account is bound to one user at a time.
    await db.schema.createIndex('exchange_bindings_by_account').unique().on('exchange_bindings').columns(['tenant_id', 'exchange_account']).execute();
  },
};
