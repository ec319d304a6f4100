import type { FastifyRequest } from 'fastify';
import type { Actor, AppIdentity } from '../../core/actor.ts';
import type { Authenticated } from '../../core/auth/access-tokens.ts';
import type { UserIdType } from '../../core/attendees/attendee.ts';
import { fail } from '../../core/errors.ts';
import { actingBot, actingUserById } from '../../core/acl/acting-users.ts';
import type { UserRow } from '../../store/repositories/directory.ts';
import type { AppDeps } from '../deps.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The identity behind the Bearer token, set by the Feishu auth hook. */
    feishuAuth: Authenticated | null;
  }
}

export type FeishuActor = Actor & { user: UserRow };

/**
 * The acting identity of a Feishu call: the user of a user_access_token, or the app's bot for a
 * tenant_access_token (which needs the app's bot enabled: seed 001); both remembered as
 * acting-users.ts says.
 * @throws KalendsError ACCESS_TOKEN_INVALID (an app_access_token), APP_BOT_DISABLED (190007),
 *   USER_NOT_FOUND (the token's user has left).
 */
export async function feishuActor(deps: AppDeps, request: FastifyRequest): Promise<FeishuActor> {
  const auth = request.feishuAuth;
  if (!auth) throw new Error('Feishu route reached without authentication');
  if (auth.kind === 'app') fail('ACCESS_TOKEN_INVALID', 'an app_access_token cannot call this API; use a tenant_access_token or user_access_token');
  if (auth.kind === 'user') {
    const user = await actingUserById(deps.store.db, auth.userId ?? '');
    if (!user || user.active !== 1) fail('USER_NOT_FOUND', 'user is dismiss or not exist in the tenant');
    return { ...auth.app, userId: user.id, user };
  }
  if (!auth.app.bot) fail('APP_BOT_DISABLED', 'app bot_id not found: enable the bot of this app');
  const bot = await actingBot(deps.store.db, auth.app.appId);
  if (!bot) fail('APP_BOT_DISABLED', 'app bot_id not found');
  return { ...auth.app, userId: bot.id, user: bot };
}

/** The app of an authenticated Feishu request. */
export function feishuApp(request: FastifyRequest): AppIdentity {
  if (!request.feishuAuth) throw new Error('Feishu route reached without authentication');
  return request.feishuAuth.app;
}

/** The `user_id_type` of a request (Feishu default `open_id`) as the core's id type. */
export function idTypeOf(query: { user_id_type?: string }): UserIdType {
  return (query.user_id_type ?? 'open_id') as UserIdType;
}

/** A user's id in the requested id type (bots have no employee `user_id`). */
export function userIdIn(user: { union_id?: string; unionId?: string; open_id?: string | null; openId?: string | null; user_id?: string | null; userId?: string | null }, type: UserIdType): string | undefined {
  if (type === 'union_id') return user.union_id ?? user.unionId;
  if (type === 'open_id') return (user.open_id ?? user.openId) ?? undefined;
  return (user.user_id ?? user.userId) ?? undefined;
}
