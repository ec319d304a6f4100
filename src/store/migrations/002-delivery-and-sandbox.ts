import type { Kysely, Migration } from 'kysely';
import { serialKey } from './serial-key.ts';

/**
 * Delivery and sandbox state: the apps' event-callback registration (URL and the secrets the
 * platform signs and encrypts with), each user's notification inbox, webhook deliveries with
 * their attempts, injected faults, and sandbox settings (the clock offset).
 */
export const deliveryAndSandbox: Migration = {
  async up(db: Kysely<any>) {
    for (const column of ['event_callback_url', 'verification_token', 'encrypt_key', 'callback_token', 'aes_key']) {
      await db.schema.alterTable('apps').addColumn(column, 'text').execute();
    }
    // The console's history of an event reads its change rows.
    await db.schema.createIndex('outbox_by_event').on('outbox').columns(['event_id', 'id']).execute();
    await db.schema
      .createTable('inbox_messages')
      .addColumn('id', ...serialKey(db))
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('app_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text')
      .addColumn('outbox_id', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('inbox_by_user').on('inbox_messages').columns(['user_id', 'id']).execute();
    await db.schema
      .createTable('deliveries')
      .addColumn('id', ...serialKey(db))
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('outbox_id', 'bigint')
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text')
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('sent_body', 'text')
      .addColumn('sent_headers', 'text')
      .addColumn('last_status', 'integer')
      .addColumn('last_reply', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .execute();
    await db.schema.createIndex('deliveries_due').on('deliveries').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('deliveries_by_app').on('deliveries').columns(['app_id', 'id']).execute();
    await db.schema
      .createTable('faults')
      .addColumn('id', ...serialKey(db))
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('operation', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('http_status', 'integer')
      .addColumn('latency_ms', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('remaining', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('faults_by_app').on('faults').columns(['app_id', 'id']).execute();
    await db.schema
      .createTable('sandbox_settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
};
