import type { AppIdentity } from '../actor.ts';
import { fail } from '../errors.ts';
import type { Db, Store } from '../../store/store.ts';
import { findTenantUsers, findUserById, findUsersByIdType, type UserRow } from '../../store/repositories/directory.ts';
import { findAuthCode, findRefreshToken, insertRefreshToken, spendAuthCode, spendRefreshToken } from '../../store/repositories/tokens.ts';
import { storeAccessToken, TOKEN_TTL_SECONDS } from './access-tokens.ts';
import { newToken, tokenHash } from './secrets.ts';

/**
 * Lifetime of a refresh token, in seconds: 30 days on both platforms (DingTalk
 * "refreshToken … 有效期为 30 天", obtain-user-token; Feishu `refresh_token_expires_in`, about 30 days).
 */
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 86_400;

/** What a successful sign-in or refresh hands out (times in seconds, ids internal). */
export interface UserTokens {
  accessToken: string;
  /** Seconds until the access token expires (7,200). */
  expiresIn: number;
  refreshToken: string;
  /** Seconds until the refresh token expires. */
  refreshExpiresIn: number;
  /** The signed-in user. */
  user: UserRow;
}

/** Whether a directory row is someone who may sign in: a person (not an app's bot) who has not left. */
function maySignIn(user: UserRow | undefined): user is UserRow {
  return user !== undefined && user.active === 1 && user.bot_app_id === null;
}

/** The people of a tenant who may sign in, by name: what the consent page offers. */
export async function signInCandidates(store: Store, tenantId: string): Promise<UserRow[]> {
  return (await findTenantUsers(store.db, tenantId)).filter(maySignIn).sort((a, b) => a.name.localeCompare(b.name) || a.union_id.localeCompare(b.union_id));
}

/**
 * The person of a tenant a login hint names: a unionId, open_id or user_id (the sandbox's way to
 * sign in without the consent page).
 * @throws KalendsError USER_NOT_FOUND for an unknown id, another tenant's user, a bot or a user who left.
 */
export async function findSignInUser(store: Store, tenantId: string, hint: string): Promise<UserRow> {
  for (const idType of ['union_id', 'open_id', 'user_id'] as const) {
    const [user] = await findUsersByIdType(store.db, tenantId, idType, [hint]);
    if (maySignIn(user)) return user;
  }
  return fail('USER_NOT_FOUND', `no user ${hint} in the tenant may sign in`);
}

/**
 * Exchanges an authorization code for a user access token and a refresh token (DingTalk
 * `grantType=authorization_code`, Feishu OIDC `access_token` and v2 `oauth/token`). The code is
 * spent in the same transaction that stores the tokens: a code is good once, for AUTH_CODE_TTL
 * by the sandbox clock (`now`).
 * @param prefix put before the access token (Feishu `u-`, DingTalk none).
 * @throws KalendsError AUTH_CODE_INVALID (reason `unknown`, `other_app`, `used`, `expired`);
 *   USER_NOT_FOUND (reason `left`) when the user left the directory since the code was issued.
 */
export function redeemAuthCode(store: Store, app: AppIdentity, code: string, prefix: string, now: number): Promise<UserTokens> {
  return store.transaction(async (tx) => {
    const hash = tokenHash(code);
    const userId = await spendGrant('AUTH_CODE_INVALID', 'authorization code', await findAuthCode(tx, hash), app, now, () => spendAuthCode(tx, hash, now));
    return issueUserTokens(tx, app, userId, prefix, now);
  });
}

/**
 * Redeems a refresh token for a new access token and a new refresh token; the old refresh token
 * stops working (rotation: DingTalk `grantType=refresh_token`, Feishu OIDC `refresh_access_token`
 * and v2 `oauth/token` with `grant_type=refresh_token`).
 * @throws KalendsError REFRESH_TOKEN_INVALID (reason `unknown`, `other_app`, `used`, `expired`);
 *   USER_NOT_FOUND (reason `left`).
 */
export function redeemRefreshToken(store: Store, app: AppIdentity, refreshToken: string, prefix: string, now: number): Promise<UserTokens> {
  return store.transaction(async (tx) => {
    const hash = tokenHash(refreshToken);
    const userId = await spendGrant('REFRESH_TOKEN_INVALID', 'refresh token', await findRefreshToken(tx, hash), app, now, () => spendRefreshToken(tx, hash, now));
    return issueUserTokens(tx, app, userId, prefix, now);
  });
}

/** A stored one-time grant: an authorization code or a refresh token. */
interface Grant { app_id: string; user_id: string; expires_at: number; used_at: number | null }

/**
 * Checks a one-time grant and spends it (`spend`, a conditional update: false when a concurrent
 * redemption won); returns its user.
 */
async function spendGrant(code: 'AUTH_CODE_INVALID' | 'REFRESH_TOKEN_INVALID', noun: string, row: Grant | undefined, app: AppIdentity, now: number, spend: () => Promise<boolean>): Promise<string> {
  const used = `the ${noun} has been used${code === 'REFRESH_TOKEN_INVALID' ? ' (refresh tokens rotate)' : ''}`;
  if (!row) return fail(code, `invalid ${noun}`, { reason: 'unknown' });
  if (row.app_id !== app.appId) fail(code, `the ${noun} was issued to another app`, { reason: 'other_app' });
  if (row.used_at !== null) fail(code, used, { reason: 'used' });
  if (Number(row.expires_at) <= now) fail(code, `the ${noun} has expired`, { reason: 'expired' });
  if (!(await spend())) fail(code, used, { reason: 'used' });
  return row.user_id;
}

async function issueUserTokens(tx: Db, app: AppIdentity, userId: string, prefix: string, now: number): Promise<UserTokens> {
  const user = await findUserById(tx, userId);
  if (!maySignIn(user)) fail('USER_NOT_FOUND', 'the user has left the directory', { reason: 'left' });
  const access = await storeAccessToken(tx, app.appId, 'user', user.id, prefix, now);
  const refreshToken = newToken();
  await insertRefreshToken(tx, {
    token_hash: tokenHash(refreshToken), app_id: app.appId, user_id: user.id,
    created_at: now, expires_at: now + REFRESH_TOKEN_TTL_SECONDS * 1000, used_at: null,
  });
  return { accessToken: access.token, expiresIn: TOKEN_TTL_SECONDS, refreshToken, refreshExpiresIn: REFRESH_TOKEN_TTL_SECONDS, user };
}
