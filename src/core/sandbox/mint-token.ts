import type { Platform } from '../actor.ts';
import { mintUserToken, type IssuedToken } from '../auth/access-tokens.ts';
import { fail } from '../errors.ts';
import type { Store } from '../../store/store.ts';
import { findApp, findUsersByIdType, type UserRow } from '../../store/repositories/directory.ts';

/** Whom to mint a user token for: an app and one of its tenant's users by any of their ids. */
export interface MintRequest {
  platform: Platform;
  /** DingTalk appKey or Feishu app_id. */
  clientId: string;
  /** The user's unionId, open_id or user_id. */
  user: string;
}

/**
 * Issues a user access token (Feishu `user_access_token`, `u-…`; DingTalk user token) for any
 * active user of the app's tenant, without a login: the sandbox's way to let an app act as a user.
 * Lifetime: 7,200 s, like the platforms' own.
 * @throws KalendsError INVALID_PARAMETER for an unknown app; USER_NOT_FOUND for an unknown,
 *   departed or bot user.
 */
export async function mintTokenFor(store: Store, request: MintRequest, now: number): Promise<IssuedToken & { user: UserRow }> {
  const app = await findApp(store.db, request.platform, request.clientId);
  if (!app) fail('INVALID_PARAMETER', `no ${request.platform} app ${request.clientId}`);
  let user: UserRow | undefined;
  for (const idType of ['union_id', 'open_id', 'user_id'] as const) {
    user ??= (await findUsersByIdType(store.db, app.tenant_id, idType, [request.user]))[0];
  }
  if (!user || user.active !== 1 || user.bot_app_id !== null) fail('USER_NOT_FOUND', `no active user ${request.user} in the app's tenant`);
  const issued = await mintUserToken(store, app.id, user.id, request.platform === 'feishu' ? 'u-' : '', now);
  return { ...issued, user };
}
