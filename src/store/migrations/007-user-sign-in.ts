import type { Kysely, Migration } from 'kysely';

/**
 * User sign-in through the authorization-code flow (DingTalk `oauth2/userAccessToken`, Feishu
 * `authen/v1/oidc/*` and `authen/v2/oauth/token`):
 * - `auth_codes.used_at`: a code is spent by marking it, not by deleting it, so a second
 *   exchange is told "already used" (Feishu 20065) rather than "not found".
 * - `refresh_tokens`: one row per refresh token, stored hashed like access tokens; redeeming one
 *   marks it used (it rotates: the reply carries a new one and the old one stops working).
 */
export const userSignIn: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('auth_codes').addColumn('used_at', 'bigint').execute();
    await db.schema
      .createTable('refresh_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();
  },
};
