import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppIdentity } from '../../../core/actor.ts';
import { authenticate, issueAuthCode, verifyApp } from '../../../core/auth/access-tokens.ts';
import { findSignInUser, redeemAuthCode, redeemRefreshToken, type UserTokens } from '../../../core/auth/user-sign-in.ts';
import { fail } from '../../../core/errors.ts';
import { findApp, findUserById, type AppRow } from '../../../store/repositories/directory.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { sendConsentPage } from '../../sign-in-page.ts';
import { oauthWireError } from '../oauth-errors.ts';
import { ok } from '../reply.ts';
import { AuthorizeQuery, OAuthTokenBody, OidcBody, OidcRefreshBody } from '../schemas.ts';
import { OAuthErrorReply, OAuthTokenReply, OidcTokenReply, RedirectReply, UserInfoReply } from '../replies.ts';

/** The scope a sandbox user token carries (every calendar permission; the sandbox grants all). */
const USER_SCOPE = 'calendar:calendar offline_access';

function identityOf(app: AppRow): AppIdentity {
  return { tenantId: app.tenant_id, appId: app.id, platform: 'feishu', scopes: JSON.parse(app.scopes) as string[], bot: app.bot === 1 };
}

/**
 * User sign-in, Feishu's authen endpoints:
 * - `GET /open-apis/authen/v1/authorize` (and the v1 login page `GET /open-apis/authen/v1/index`)
 *   `?app_id|client_id&redirect_uri&state&scope`: the consent page (the tenant's people, "Sign in
 *   as …"); with the sandbox's `login_hint` (open_id, union_id or user_id) it redirects at once to
 *   `redirect_uri?code=…&state=…`. A code is good once, for 300 s of the sandbox clock.
 * - `POST /open-apis/authen/v1/oidc/access_token` {grant_type: authorization_code, code} and
 *   `…/oidc/refresh_access_token` {grant_type: refresh_token, refresh_token}, with an
 *   app_access_token → `{code: 0, msg, data: {access_token, refresh_token, token_type,
 *   expires_in, refresh_expires_in, scope}}`.
 * - `POST /open-apis/authen/v2/oauth/token` (RFC 6749; client_id + client_secret in the body,
 *   grant_type authorization_code | refresh_token) → top-level `{code: 0, access_token,
 *   expires_in, refresh_token, refresh_token_expires_in, scope, token_type}`; refusals 400
 *   `{code, error, error_description}`.
 * - `GET /open-apis/authen/v1/user_info` with a user_access_token: the signed-in user.
 * Refresh tokens rotate (each works once). Errors of a refused grant: oauth-errors.ts (every
 * refusal of the v2 endpoint takes its body there, through the dialect's error handler).
 * Sources: open.feishu.cn 获取授权码, 获取 user_access_token, 刷新 user_access_token, 获取用户信息.
 */
export function registerAuthenRoutes(app: HttpApp, deps: AppDeps): void {
  for (const path of ['/authen/v1/authorize', '/authen/v1/index']) {
    app.get(path, { schema: { querystring: AuthorizeQuery, response: { 302: RedirectReply } }, config: { anonymous: true } }, async (request, reply) => {
      const q = request.query;
      const clientId = q.app_id ?? q.client_id ?? '';
      const client = await findApp(deps.store.db, 'feishu', clientId);
      if (!client) fail('INVALID_PARAMETER', 'invalid app_id');
      let target: URL;
      try {
        target = new URL(q.redirect_uri);
      } catch {
        return fail('INVALID_PARAMETER', 'redirect_uri is not a URL');
      }
      if (q.login_hint === undefined) {
        return sendConsentPage(reply, deps, { platform: 'feishu', tenantId: client.tenant_id, clientId, action: `/open-apis${path}`, query: q });
      }
      const user = await findSignInUser(deps.store, client.tenant_id, q.login_hint);
      target.searchParams.set('code', await issueAuthCode(deps.store, identityOf(client), user.id, deps.clock.now()));
      if (q.state !== undefined) target.searchParams.set('state', q.state);
      return reply.redirect(target.toString(), 302);
    });
  }

  const oidc = { security: [{ accessToken: [] }], response: { 200: OidcTokenReply } };
  app.post('/authen/v1/oidc/access_token', { schema: { body: OidcBody, ...oidc }, config: { anonymous: true } }, async (request, reply) => {
    const client = await appTokenClient(deps, request);
    if (request.body.grant_type !== 'authorization_code') fail('INVALID_PARAMETER', 'grant_type must be authorization_code');
    return oidcReply(reply, request, () => redeemAuthCode(deps.store, client, request.body.code, 'u-', deps.clock.now()));
  });
  app.post('/authen/v1/oidc/refresh_access_token', { schema: { body: OidcRefreshBody, ...oidc }, config: { anonymous: true } }, async (request, reply) => {
    const client = await appTokenClient(deps, request);
    if (request.body.grant_type !== 'refresh_token') fail('INVALID_PARAMETER', 'grant_type must be refresh_token');
    return oidcReply(reply, request, () => redeemRefreshToken(deps.store, client, request.body.refresh_token, 'u-', deps.clock.now()));
  });

  app.post('/authen/v2/oauth/token', { schema: { body: OAuthTokenBody, response: { 200: OAuthTokenReply, 400: OAuthErrorReply } }, config: { anonymous: true } }, async (request) => {
    const b = request.body;
    if (!b.client_id || !b.client_secret) fail('INVALID_PARAMETER', 'client_id and client_secret are required');
    const client = identityOf(await verifyApp(deps.store, 'feishu', b.client_id, b.client_secret));
    let tokens: UserTokens;
    if (b.grant_type === 'authorization_code') {
      if (!b.code) fail('INVALID_PARAMETER', 'code is required');
      tokens = await redeemAuthCode(deps.store, client, b.code, 'u-', deps.clock.now());
    } else if (b.grant_type === 'refresh_token') {
      if (!b.refresh_token) fail('INVALID_PARAMETER', 'refresh_token is required');
      tokens = await redeemRefreshToken(deps.store, client, b.refresh_token, 'u-', deps.clock.now());
    } else {
      return fail('INVALID_PARAMETER', 'grant_type must be authorization_code or refresh_token');
    }
    return {
      code: 0 as const, access_token: tokens.accessToken, expires_in: tokens.expiresIn, refresh_token: tokens.refreshToken,
      refresh_token_expires_in: tokens.refreshExpiresIn, scope: USER_SCOPE, token_type: 'Bearer' as const,
    };
  });

  app.get('/authen/v1/user_info', { schema: { security: [{ accessToken: [] }], response: { 200: UserInfoReply } } }, async (request) => {
    const auth = request.feishuAuth;
    if (auth?.kind !== 'user' || auth.userId === null) return fail('ACCESS_TOKEN_INVALID', 'a user_access_token is required');
    const user = await findUserById(deps.store.db, auth.userId);
    if (!user || user.active !== 1) fail('USER_NOT_FOUND', 'the user has left the directory');
    return ok({
      name: user.name, en_name: user.name, open_id: user.open_id ?? user.union_id, union_id: user.union_id,
      user_id: user.user_id ?? undefined, email: user.email ?? undefined, enterprise_email: user.email ?? undefined, tenant_key: user.tenant_id,
    });
  });
}

/**
 * The app behind the app_access_token of an OIDC call (the SDK sends it as the Bearer token).
 * @throws KalendsError ACCESS_TOKEN_MISSING / ACCESS_TOKEN_INVALID (none, unknown, or a user's).
 */
async function appTokenClient(deps: AppDeps, request: FastifyRequest): Promise<AppIdentity> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const auth = await authenticate(deps.store, 'feishu', bearer, deps.clock.now());
  if (auth.kind === 'user') fail('ACCESS_TOKEN_INVALID', 'an app_access_token is required');
  return auth.app;
}

/** An OIDC token reply, or the refused grant in Feishu's `{code, msg, error: {log_id}}`. */
async function oidcReply(reply: FastifyReply, request: FastifyRequest, redeem: () => Promise<UserTokens>) {
  try {
    const t = await redeem();
    return ok({
      access_token: t.accessToken, refresh_token: t.refreshToken, token_type: 'Bearer', expires_in: t.expiresIn,
      refresh_expires_in: t.refreshExpiresIn, scope: USER_SCOPE,
    });
  } catch (error) {
    const wire = oauthWireError(error);
    if (!wire) throw error;
    return reply.code(wire.status).header('X-Tt-Logid', request.id).send({ code: wire.code, msg: wire.description, error: { log_id: request.id } });
  }
}
