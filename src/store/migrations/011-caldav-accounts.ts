import type { Kysely, Migration } from 'kysely';

/**
 * CalDAV accounts: one per device a user connected (DingTalk generateCaldavAccount, Feishu
 * setting.generateCaldavConf). `username` is what the client sends in Basic auth, unique;
 * `password_hash` the SHA-256 (hex) of the minted password (a random 144-bit secret, so a
 * fast hash is enough, as for access tokens); `app_id` the app that minted it (the CalDAV
 * requests act as that app for the user: its notifications and callbacks);
 * `revoked_at` set by the admin API or the console, after which the password opens nothing.
 *
 * `caldav_collections`: the path segment a client chose for a calendar it made (MKCALENDAR /
 * extended MKCOL at `/caldav/<user>/<name>/`), so the calendar stays at the URL the client made
 * it at (other calendars are at their id).
 */
export const caldavAccounts: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('caldav_accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('device', 'text', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('caldav_accounts_by_user').on('caldav_accounts').columns(['user_id', 'created_at']).execute();
    await db.schema
      .createTable('caldav_collections')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('calendar_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('caldav_collections_pk', ['user_id', 'name'])
      .execute();
    await db.schema.createIndex('caldav_collections_by_calendar').on('caldav_collections').columns(['calendar_id']).execute();
  },
};
