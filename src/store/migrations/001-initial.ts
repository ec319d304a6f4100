import { sql, type Kysely, type Migration } from 'kysely';
import { serialKey } from './serial-key.ts';

/**
 * The first schema: directory (with each Feishu app's bot as a user), tokens and OAuth codes,
 * calendars, events, attendees (and chat attendees' members), idempotency, outbox, push subscriptions.
 */
export const initial: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('tenants')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('apps')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('bot', 'integer', (c) => c.notNull().defaultTo(0))
      .addUniqueConstraint('apps_platform_client_id', ['platform', 'client_id'])
      .execute();
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('union_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('open_id', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('bot_app_id', 'text')
      .addUniqueConstraint('users_tenant_union_id', ['tenant_id', 'union_id'])
      .addUniqueConstraint('users_tenant_user_id', ['tenant_id', 'user_id'])
      .addUniqueConstraint('users_tenant_open_id', ['tenant_id', 'open_id'])
      .execute();
    await db.schema
      .createTable('chats')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('chat_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addUniqueConstraint('chats_tenant_chat_id', ['tenant_id', 'chat_id'])
      .execute();
    await db.schema
      .createTable('chat_members')
      .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addPrimaryKeyConstraint('chat_members_pk', ['chat_id', 'user_id'])
      .execute();
    await db.schema
      .createTable('rooms')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('room_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('capacity', 'integer')
      .addColumn('calendar_id', 'text')
      .addUniqueConstraint('rooms_tenant_room_id', ['tenant_id', 'room_id'])
      .execute();
    await db.schema
      .createTable('access_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('user_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('calendars')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('owner_user_id', 'text')
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('deleted_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('calendars_one_primary_per_user')
      .on('calendars')
      .column('owner_user_id')
      .unique()
      .where(sql.ref('type'), '=', 'primary')
      .execute();
    await db.schema
      .createTable('calendar_members')
      .addColumn('calendar_id', 'text', (c) => c.notNull().references('calendars.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('calendar_members_pk', ['calendar_id', 'user_id'])
      .execute();
    await db.schema
      .createIndex('calendar_members_by_user')
      .on('calendar_members')
      .columns(['user_id'])
      .execute();
    await db.schema
      .createTable('events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('calendar_id', 'text', (c) => c.notNull().references('calendars.id'))
      .addColumn('organizer_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('is_all_day', 'integer', (c) => c.notNull())
      .addColumn('start_at', 'bigint')
      .addColumn('start_date', 'text')
      .addColumn('start_tz', 'text')
      .addColumn('end_at', 'bigint')
      .addColumn('end_date', 'text')
      .addColumn('end_tz', 'text')
      .addColumn('recurrence', 'text')
      .addColumn('range_start', 'bigint', (c) => c.notNull())
      .addColumn('range_end', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('attendee_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('change_seq', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('deleted_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('events_by_calendar_range')
      .on('events')
      .columns(['calendar_id', 'range_start', 'id'])
      .execute();
    await db.schema
      .createIndex('events_by_tenant_change')
      .on('events')
      .columns(['tenant_id', 'change_seq'])
      .execute();
    await db.schema
      .createTable('attendees')
      .addColumn('seq', ...serialKey(db))
      .addColumn('event_id', 'text', (c) => c.notNull().references('events.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull())
      .addColumn('is_optional', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('partstat', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('attendees_unique_per_event', ['event_id', 'kind', 'ref'])
      .execute();
    await db.schema
      .createIndex('attendees_by_event_seq')
      .on('attendees')
      .columns(['event_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('attendees_by_ref')
      .on('attendees')
      .columns(['ref', 'kind'])
      .execute();
    await db.schema
      .createTable('attendee_chat_members')
      .addColumn('attendee_seq', 'bigint', (c) => c.notNull().references('attendees.seq').onDelete('cascade'))
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('partstat', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('attendee_chat_members_pk', ['attendee_seq', 'user_id'])
      .execute();
    await db.schema
      .createIndex('attendee_chat_members_by_user')
      .on('attendee_chat_members')
      .columns(['user_id', 'event_id'])
      .execute();
    await db.schema
      .createTable('auth_codes')
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('push_subscriptions')
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('calendar_id', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('push_subscriptions_pk', ['app_id', 'principal_id', 'topic', 'calendar_id'])
      .execute();
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('reply_status', 'integer')
      .addColumn('reply_body', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['app_id', 'key'])
      .execute();
    await db.schema
      .createTable('outbox')
      .addColumn('id', ...serialKey(db))
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('recipient_id', 'text')
      .addColumn('event_id', 'text')
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('outbox_by_status')
      .on('outbox')
      .columns(['status', 'id'])
      .execute();
    await db.schema
      .createTable('change_log')
      .addColumn('tenant_id', 'text', (c) => c.primaryKey())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .execute();
  },
};
