import type { Database } from '../schema.ts';
import type { Db } from '../store.ts';
import type { AppRow } from './directory.ts';

export async function insertToken(db: Db, row: Database['access_tokens']): Promise<void> {
  await db.insertInto('access_tokens').values(row).execute();
}

/** The token's app, with the token's kind, user and expiry, or undefined for an unknown token. */
export function findTokenApp(db: Db, tokenHash: string): Promise<(AppRow & { expires_at: number; token_user_id: string | null; kind: string }) | undefined> {
  return db.selectFrom('access_tokens')
    .innerJoin('apps', 'apps.id', 'access_tokens.app_id')
    .selectAll('apps')
    .select(['access_tokens.expires_at', 'access_tokens.user_id as token_user_id', 'access_tokens.kind'])
    .where('access_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function insertAuthCode(db: Db, row: Database['auth_codes']): Promise<void> {
  await db.insertInto('auth_codes').values(row).execute();
}

export function findAuthCode(db: Db, codeHash: string): Promise<Database['auth_codes'] | undefined> {
  return db.selectFrom('auth_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
}

/**
 * Marks an authorization code used; false when it already was. The conditional update is what
 * makes a code single-use under concurrency (PostgreSQL re-checks `used_at` after the row lock).
 */
export async function spendAuthCode(db: Db, codeHash: string, now: number): Promise<boolean> {
  const result = await db.updateTable('auth_codes').set({ used_at: now }).where('code_hash', '=', codeHash).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertRefreshToken(db: Db, row: Database['refresh_tokens']): Promise<void> {
  await db.insertInto('refresh_tokens').values(row).execute();
}

export function findRefreshToken(db: Db, tokenHash: string): Promise<Database['refresh_tokens'] | undefined> {
  return db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Marks a refresh token redeemed; false when it already was (as spendAuthCode). */
export async function spendRefreshToken(db: Db, tokenHash: string, now: number): Promise<boolean> {
  const result = await db.updateTable('refresh_tokens').set({ used_at: now }).where('token_hash', '=', tokenHash).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
