import type { Db } from '../store.ts';
import type { AppRow } from './directory.ts';

export async function insertToken(db: Db, row: { token_hash: string; app_id: string; user_id: string | null; created_at: number; expires_at: number }): Promise<void> {
  await db.insertInto('access_tokens').values(row).execute();
}

/** The token's app, with the token's expiry, or undefined for an unknown token. */
export function findTokenApp(db: Db, tokenHash: string): Promise<(AppRow & { expires_at: number; token_user_id: string | null }) | undefined> {
  return db.selectFrom('access_tokens')
    .innerJoin('apps', 'apps.id', 'access_tokens.app_id')
    .selectAll('apps')
    .select(['access_tokens.expires_at', 'access_tokens.user_id as token_user_id'])
    .where('access_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function deleteExpiredTokens(db: Db, now: number): Promise<void> {
  await db.deleteFrom('access_tokens').where('expires_at', '<', now).execute();
}
