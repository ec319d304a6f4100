import type { Database } from '../schema.ts';
import type { Db } from '../store.ts';

export type CaldavAccountRow = Database['caldav_accounts'];

export async function insertCaldavAccount(db: Db, row: CaldavAccountRow): Promise<void> {
  await db.insertInto('caldav_accounts').values(row).execute();
}

/** The account a Basic auth user name names, revoked or not; undefined for none. */
export function findCaldavAccountByUsername(db: Db, username: string): Promise<CaldavAccountRow | undefined> {
  return db.selectFrom('caldav_accounts').selectAll().where('username', '=', username).executeTakeFirst();
}

/** Accounts, newest first: one user's when `userId` is given, else every one (at most `limit`). */
export function listCaldavAccounts(db: Db, userId: string | null, limit: number): Promise<CaldavAccountRow[]> {
  let query = db.selectFrom('caldav_accounts').selectAll();
  if (userId !== null) query = query.where('user_id', '=', userId);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Marks an account revoked (once: a second revocation keeps the first time); false when there is no such account. */
export async function revokeCaldavAccount(db: Db, id: string, now: number): Promise<boolean> {
  const found = await db.selectFrom('caldav_accounts').select('id').where('id', '=', id).executeTakeFirst();
  if (!found) return false;
  await db.updateTable('caldav_accounts').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  return true;
}
