import type { AppIdentity, Platform } from '../actor.ts';
import { fail } from '../errors.ts';
import type { Store } from '../../store/store.ts';
import { findApp } from '../../store/repositories/directory.ts';
import { findTokenApp, insertToken } from '../../store/repositories/tokens.ts';
import { newToken, tokenHash, verifySecret } from './secrets.ts';

/** Lifetime of an app access token, in seconds (both platforms: 7,200 s, two hours). */
export const TOKEN_TTL_SECONDS = 7200;

export interface IssuedToken {
  token: string;
  /** Seconds until the token expires. */
  expiresIn: number;
}

/**
 * Issues an app access token for an app's credentials (DingTalk `POST /v1.0/oauth2/accessToken`,
 * Feishu `tenant_access_token/internal`). The token is random (256 bits) and stored hashed, so
 * every node of a cluster accepts it.
 * @throws KalendsError APP_CREDENTIALS_INVALID for an unknown client id or a wrong secret.
 */
export async function issueAppToken(store: Store, platform: Platform, clientId: string, secret: string, now: number): Promise<IssuedToken> {
  const app = await findApp(store.db, platform, clientId);
  if (!app || !verifySecret(secret, app.secret_hash)) fail('APP_CREDENTIALS_INVALID', 'invalid client id or client secret');
  const token = newToken();
  await insertToken(store.db, { token_hash: tokenHash(token), app_id: app.id, user_id: null, created_at: now, expires_at: now + TOKEN_TTL_SECONDS * 1000 });
  return { token, expiresIn: TOKEN_TTL_SECONDS };
}

/**
 * Resolves an access token to the app that holds it.
 * @throws KalendsError ACCESS_TOKEN_MISSING (no token), ACCESS_TOKEN_INVALID (unknown, of the
 *   other platform, or expired).
 */
export async function authenticate(store: Store, platform: Platform, token: string | undefined, now: number): Promise<AppIdentity> {
  if (!token) fail('ACCESS_TOKEN_MISSING', 'access token is missing');
  const app = await findTokenApp(store.db, tokenHash(token));
  if (!app || app.platform !== platform) fail('ACCESS_TOKEN_INVALID', 'invalid access token');
  if (app.expires_at <= now) fail('ACCESS_TOKEN_INVALID', 'access token has expired');
  return { tenantId: app.tenant_id, appId: app.id, platform, scopes: JSON.parse(app.scopes) as string[] };
}

/**
 * Checks that an app holds a scope.
 * @throws KalendsError SCOPE_MISSING naming the required scope.
 */
export function requireScope(app: AppIdentity, scope: string): void {
  if (!app.scopes.includes(scope)) fail('SCOPE_MISSING', `the app lacks the permission ${scope}`, { requiredScopes: [scope] });
}
