import { LRUCache } from 'lru-cache';
import type { AppIdentity, Platform } from '../actor.ts';
import { fail } from '../errors.ts';
import type { Db, Store } from '../../store/store.ts';
import { findApp, type AppRow } from '../../store/repositories/directory.ts';
import { findTokenApp, insertAuthCode, insertToken } from '../../store/repositories/tokens.ts';
import { newToken, tokenHash, verifySecret } from './secrets.ts';
import { directoryGeneration } from '../directory/directory-changes.ts';

/** Lifetime of an access token, in seconds (both platforms: 7,200 s, two hours). */
export const TOKEN_TTL_SECONDS = 7200;
/** Lifetime of an OAuth authorization code, in seconds. */
export const AUTH_CODE_TTL_SECONDS = 300;

/**
 * What a token stands for: `tenant` acts as the app (a DingTalk app token; a Feishu
 * tenant_access_token, whose identity is the app's bot), `app` is a Feishu app_access_token
 * (only good for exchanging user codes), `user` acts as one user (Feishu user_access_token).
 */
export type TokenKind = 'tenant' | 'app' | 'user';

export interface IssuedToken {
  token: string;
  /** Seconds until the token expires. */
  expiresIn: number;
}

export interface Authenticated {
  app: AppIdentity;
  kind: TokenKind;
  /** The user of a `user` token (internal id), else null. */
  userId: string | null;
}

/** The identity an app acts with (tenant, scopes, bot) from its row. */
export function identityOf(app: AppRow): AppIdentity {
  return { tenantId: app.tenant_id, appId: app.id, platform: app.platform as Platform, scopes: JSON.parse(app.scopes) as string[], bot: app.bot === 1 };
}

/** Stores a new random access token (on `db`, which may be a transaction) and returns it. */
export async function storeAccessToken(db: Db, appId: string, kind: TokenKind, userId: string | null, prefix: string, now: number): Promise<IssuedToken> {
  const token = `${prefix}${newToken()}`;
  await insertToken(db, { token_hash: tokenHash(token), app_id: appId, user_id: userId, kind, created_at: now, expires_at: now + TOKEN_TTL_SECONDS * 1000 });
  return { token, expiresIn: TOKEN_TTL_SECONDS };
}

/**
 * Checks an app's credentials (DingTalk appKey/appSecret, Feishu app_id/app_secret).
 * @throws KalendsError APP_CREDENTIALS_INVALID for an unknown client id or a wrong secret.
 */
export async function verifyApp(store: Store, platform: Platform, clientId: string, secret: string): Promise<AppRow> {
  const app = await findApp(store.db, platform, clientId);
  if (!app) fail('APP_CREDENTIALS_INVALID', 'invalid app id', { reason: 'unknown_app' });
  if (!verifySecret(secret, app.secret_hash)) fail('APP_CREDENTIALS_INVALID', 'app secret invalid', { reason: 'wrong_secret' });
  return app;
}

/**
 * Issues an access token for an app's credentials (DingTalk `POST /v1.0/oauth2/accessToken`,
 * Feishu `…/tenant_access_token/internal` and `…/app_access_token/internal`). Tokens are random
 * (256 bits) and stored hashed, so every node of a cluster accepts them.
 * @param prefix text put before the random part (Feishu `t-`, `a-`; DingTalk none).
 * @throws KalendsError APP_CREDENTIALS_INVALID.
 */
export async function issueAppToken(store: Store, platform: Platform, clientId: string, secret: string, kind: Exclude<TokenKind, 'user'>, prefix: string, now: number): Promise<IssuedToken> {
  const appId = (await verifyApp(store, platform, clientId, secret)).id;
  return store.transaction((tx) => storeAccessToken(tx, appId, kind, null, prefix, now));
}

/**
 * Resolves an access token.
 * @throws KalendsError ACCESS_TOKEN_MISSING (no token), ACCESS_TOKEN_INVALID (unknown, of the
 *   other platform, or expired).
 */
export async function authenticate(store: Store, platform: Platform, token: string | undefined, now: number): Promise<Authenticated> {
  if (!token) fail('ACCESS_TOKEN_MISSING', 'access token is missing');
  const hash = tokenHash(token);
  const cache = tokenCacheOf(store);
  let known = cache.get(hash);
  if (!known) {
    const row = await findTokenApp(store.db, hash);
    if (!row) fail('ACCESS_TOKEN_INVALID', 'invalid access token');
    known = { platform: row.platform, expiresAt: Number(row.expires_at), auth: { app: identityOf(row), kind: row.kind as TokenKind, userId: row.token_user_id } };
    cache.set(hash, known);
  }
  if (known.platform !== platform) fail('ACCESS_TOKEN_INVALID', 'invalid access token');
  if (known.expiresAt <= now) fail('ACCESS_TOKEN_INVALID', 'access token has expired');
  return known.auth;
}

interface KnownToken { platform: string; expiresAt: number; auth: Authenticated }

/**
 * Tokens remembered per process and store (the 10,000 most recently used, each for a minute at
 * most): a token never changes after it is issued, it only expires, which is checked on every
 * use; its app's identity (scopes, bot) may change with the directory, so every token is
 * forgotten when this process changes the directory, and a change made by another process
 * applies here within the minute.
 */
const tokenCaches = new WeakMap<Store, { generation: number; cache: LRUCache<string, KnownToken> }>();

/** The store's token memory; one made before this process's last directory change is dropped. */
function tokenCacheOf(store: Store): LRUCache<string, KnownToken> {
  let entry = tokenCaches.get(store);
  if (entry?.generation !== directoryGeneration()) {
    entry = { generation: directoryGeneration(), cache: new LRUCache({ max: 10_000, ttl: 60_000 }) };
    tokenCaches.set(store, entry);
  }
  return entry.cache;
}

/**
 * Checks that an app holds one of the scopes an operation accepts.
 * @throws KalendsError SCOPE_MISSING naming the scopes that would do.
 */
export function requireScope(app: AppIdentity, ...scopes: string[]): void {
  if (!scopes.some((s) => app.scopes.includes(s))) {
    fail('SCOPE_MISSING', `the app lacks the permission ${scopes.join(' or ')}`, { requiredScopes: scopes });
  }
}

/**
 * Mints a one-time authorization code for a user of the app's tenant (the sandbox's OAuth login),
 * good for AUTH_CODE_TTL_SECONDS by the server's (sandbox) clock; redeemed by `redeemAuthCode`.
 */
export async function issueAuthCode(store: Store, app: AppIdentity, userId: string, now: number): Promise<string> {
  const code = newToken();
  await store.transaction((tx) => insertAuthCode(tx, { code_hash: tokenHash(code), app_id: app.appId, user_id: userId, expires_at: now + AUTH_CODE_TTL_SECONDS * 1000, used_at: null }));
  return code;
}

/**
 * Issues a user access token without a login (the sandbox's admin API and console): a Feishu
 * user_access_token or a DingTalk user token for one user of the app's tenant.
 * @param prefix as for issueAppToken (Feishu `u-`).
 */
export function mintUserToken(store: Store, appId: string, userId: string, prefix: string, now: number): Promise<IssuedToken> {
  return store.transaction((tx) => storeAccessToken(tx, appId, 'user', userId, prefix, now));
}
