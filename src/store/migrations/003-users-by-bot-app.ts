import type { Kysely, Migration } from 'kysely';

/**
 * An index on the users' bot app: a Feishu call with a tenant_access_token acts as its app's
 * bot, looked up by `bot_app_id` on every call, which read the whole users table without it
 * (bench/micro.ts, feishu-list-100: ~0.8 ms of a ~2 ms call with 12,000 users).
 */
export const usersByBotApp: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex('users_by_bot_app').on('users').column('bot_app_id').execute();
  },
};
