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

/** Takes (reads and deletes) an authorization code: a code is good for one exchange. */
export async function takeAuthCode(db: Db, codeHash: string): Promise<Database['auth_codes'] | undefined> {
  const row = await db.selectFrom('auth_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
  if (row) await db.deleteFrom('auth_codes').where('code_hash', '=', codeHash).execute();
  return row;
}
