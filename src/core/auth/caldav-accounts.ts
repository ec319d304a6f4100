import { randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Actor, AppIdentity } from '../actor.ts';
import { fail } from '../errors.ts';
import { newId } from '../ids.ts';
import { actingUserById } from '../acl/acting-users.ts';
import { storeIdentity, type Db } from '../../store/store.ts';
import { directoryGeneration } from '../directory/directory-changes.ts';
import { findAppById, type UserRow } from '../../store/repositories/directory.ts';
import * as accounts from '../../store/repositories/caldav-accounts.ts';
import { identityOf } from './access-tokens.ts';
import { tokenHash } from './secrets.ts';

/** Longest device name kept (Feishu generate_caldav_conf: `device_name` at most 100 characters). */
export const DEVICE_NAME_MAX = 100;

/** A CalDAV account as the admin API and the console show it (never the password). */
export interface CaldavAccount {
  id: string;
  userId: string;
  appId: string;
  device: string;
  username: string;
  createdAt: number;
  revokedAt: number | null;
}

/** What minting hands back once: the password is never stored in clear nor shown again. */
export interface MintedCaldavAccount { username: string; password: string; device: string }

/**
 * Mints a CalDAV account for the acting user's device (DingTalk generateCaldavAccount, Feishu
 * setting.generateCaldavConf): a user name `u_` + 12 random base32 characters and a password
 * of 24 base64url characters (144 random bits), stored as its SHA-256. Each call makes a new
 * account (a device connected twice has two, each revocable).
 */
export async function mintCaldavAccount(tx: Db, actor: Actor, device: string, now: number): Promise<MintedCaldavAccount> {
  const username = `u_${randomBase32(12)}`;
  const password = randomBytes(18).toString('base64url');
  await accounts.insertCaldavAccount(tx, {
    id: newId(), tenant_id: actor.tenantId, user_id: actor.userId, app_id: actor.appId, device,
    username, password_hash: tokenHash(password), created_at: now, revoked_at: null,
  });
  return { username, password, device };
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
function randomBase32(length: number): string {
  return [...randomBytes(length)].map((b) => BASE32[b & 31]).join('');
}

/**
 * The user a CalDAV request acts as, from its Basic credentials, with the identity of the app
 * that minted the account (its notifications and callbacks go out as that app's would).
 * @throws KalendsError ACCESS_TOKEN_MISSING (no credentials), ACCESS_TOKEN_INVALID (unknown
 *   user name, wrong password, revoked account, app gone), USER_NOT_FOUND (the user left).
 */
export async function signInCaldav(db: Db, username: string | undefined, password: string | undefined): Promise<Actor & { user: UserRow; accountId: string }> {
  if (!username || password === undefined) fail('ACCESS_TOKEN_MISSING', 'CalDAV needs Basic credentials: the user name and password generateCaldavAccount / generateCaldavConf minted');
  const key = tokenHash(`${username}\u0000${password}`);
  const memory = signInsOf(db);
  const generation = directoryGeneration();
  const revoked = revocations;
  let known = memory.get(key);
  if (known?.generation !== generation) known = undefined;
  const signedIn = known ?? await verifyCaldav(db, username, password);
  const user = await actingUserById(db, signedIn.userId);
  if (!user || user.active !== 1 || user.bot_app_id !== null) fail('USER_NOT_FOUND', 'this user has left the directory');
  if (!known && generation === directoryGeneration() && revoked === revocations) memory.set(key, { ...signedIn, generation });
  return { ...signedIn.app, userId: user.id, user, accountId: signedIn.accountId };
}

interface SignedIn { app: AppIdentity; userId: string; accountId: string }

/**
 * Sign-ins that succeeded, per process and store, for 10 s (the 10,000 most recent), keyed by
 * the SHA-256 of the credentials: the account and app behind them, read once instead of on
 * every request. A revocation in this process forgets them all, a directory change in it
 * outdates them (the generation); either made by another process applies here within the 10 s
 * (as for acting users, acting-users.ts). The user is looked up on every request (remembered
 * by acting-users.ts), so one who left is refused.
 */
const signIns = new WeakMap<object, LRUCache<string, SignedIn & { generation: number }>>();
let revocations = 0;

function signInsOf(db: Db): LRUCache<string, SignedIn & { generation: number }> {
  let memory = signIns.get(storeIdentity(db));
  if (!memory) signIns.set(storeIdentity(db), (memory = new LRUCache({ max: 10_000, ttl: 10_000 })));
  return memory;
}

async function verifyCaldav(db: Db, username: string, password: string): Promise<SignedIn> {
  const row = await accounts.findCaldavAccountByUsername(db, username);
  const given = Buffer.from(tokenHash(password), 'hex');
  const stored = Buffer.from(row?.password_hash ?? '0'.repeat(64), 'hex');
  const matches = stored.length === given.length && timingSafeEqual(stored, given);
  if (!row || !matches) fail('ACCESS_TOKEN_INVALID', 'wrong CalDAV user name or password');
  if (row.revoked_at !== null) fail('ACCESS_TOKEN_INVALID', 'this CalDAV password was revoked');
  const app = await findAppById(db, row.app_id);
  if (!app) fail('ACCESS_TOKEN_INVALID', 'the app that minted this CalDAV password no longer exists');
  return { app: identityOf(app), userId: row.user_id, accountId: row.id };
}

/** Accounts, newest first (one user's, or all), at most `limit`. */
export async function listCaldavAccounts(db: Db, userId: string | null, limit = 1000): Promise<CaldavAccount[]> {
  return (await accounts.listCaldavAccounts(db, userId, limit)).map((row) => ({
    id: row.id, userId: row.user_id, appId: row.app_id, device: row.device, username: row.username,
    createdAt: Number(row.created_at), revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  }));
}

/**
 * Revokes an account: its password opens nothing from the next request on.
 * @throws KalendsError INVALID_PARAMETER when there is no such account.
 */
export async function revokeCaldav(tx: Db, id: string, now: number): Promise<void> {
  if (!(await accounts.revokeCaldavAccount(tx, id, now))) fail('INVALID_PARAMETER', `no CalDAV account ${id}`);
  revocations++;
  signIns.get(storeIdentity(tx))?.clear();
}
