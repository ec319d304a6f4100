import type { FastifyReply } from 'fastify';
import { authenticate, exchangeAuthCode, issueAppToken, issueAuthCode } from '../../../core/auth/access-tokens.ts';
import { fail, KalendsError } from '../../../core/errors.ts';
import { findApp, findUsersByIdType } from '../../../store/repositories/directory.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { ok } from '../reply.ts';
import { AuthorizeQuery, OidcBody, TokenBody } from '../schemas.ts';
import { OidcTokenReply, RedirectReply, TenantTokenReply } from '../replies.ts';

/**
 * A refused token request, as the auth v3 endpoints answer it: top-level `{code, msg}`
 * (10003 unknown app, 10014 wrong secret), which the SDK turns into
 * `failed to get tenant_access_token, code: …`.
 */
function credentialsError(reply: FastifyReply, error: unknown, requestId: string): FastifyReply {
  if (!(error instanceof KalendsError) || error.code !== 'APP_CREDENTIALS_INVALID') throw error;
  const unknown = error.detail?.reason === 'unknown_app';
  return reply.code(400).header('X-Tt-Logid', requestId)
    .send({ code: unknown ? 10003 : 10014, msg: unknown ? 'invalid app_id' : 'app secret invalid', error: { log_id: requestId } });
}

/**
 * Auth: `POST /open-apis/auth/v3/tenant_access_token/internal` and `…/app_access_token/internal`
 * `{app_id, app_secret}` → `{code: 0, msg, tenant_access_token | app_access_token, expire}` at the
 * top level (seconds); any Authorization header sent along is ignored. The sandbox's OAuth login:
 * `GET /open-apis/authen/v1/authorize?app_id&redirect_uri&state&login_hint` redirects with a
 * one-time `code` for the user named by `login_hint` (open_id, union_id or user_id), which
 * `POST /open-apis/authen/v1/oidc/access_token` exchanges for a user_access_token.
 */
export function registerAuthRoutes(app: HttpApp, deps: AppDeps): void {
  for (const [path, kind, field, prefix] of [
    ['/auth/v3/tenant_access_token/internal', 'tenant', 'tenant_access_token', 't-'],
    ['/auth/v3/app_access_token/internal', 'app', 'app_access_token', 'a-'],
  ] as const) {
    app.post(path, { schema: { body: TokenBody, response: { 200: TenantTokenReply } }, config: { anonymous: true } }, async (request, reply) => {
      try {
        const issued = await issueAppToken(deps.store, 'feishu', request.body.app_id, request.body.app_secret, kind, prefix, deps.clock.now());
        return { code: 0 as const, msg: 'ok', [field]: issued.token, expire: issued.expiresIn };
      } catch (error) {
        return credentialsError(reply, error, request.id);
      }
    });
  }

  app.get('/authen/v1/authorize', { schema: { querystring: AuthorizeQuery, response: { 302: RedirectReply } }, config: { anonymous: true } }, async (request, reply) => {
    const q = request.query;
    const client = await findApp(deps.store.db, 'feishu', q.app_id ?? q.client_id ?? '');
    if (!client) fail('INVALID_PARAMETER', 'invalid app_id');
    let target: URL;
    try {
      target = new URL(q.redirect_uri);
    } catch {
      return fail('INVALID_PARAMETER', 'redirect_uri is not a URL');
    }
    const user = await findLoginUser(deps, client.tenant_id, q.login_hint);
    const identity = { tenantId: client.tenant_id, appId: client.id, platform: 'feishu' as const, scopes: [], bot: client.bot === 1 };
    target.searchParams.set('code', await issueAuthCode(deps.store, identity, user, deps.clock.now()));
    if (q.state !== undefined) target.searchParams.set('state', q.state);
    return reply.redirect(target.toString(), 302);
  });

  app.post('/authen/v1/oidc/access_token', { schema: { body: OidcBody, security: [{ accessToken: [] }], response: { 200: OidcTokenReply } }, config: { anonymous: true } }, async (request) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const auth = await authenticate(deps.store, 'feishu', bearer, deps.clock.now());
    if (auth.kind === 'user') fail('ACCESS_TOKEN_INVALID', 'an app_access_token is required');
    if (request.body.grant_type !== 'authorization_code') fail('INVALID_PARAMETER', 'grant_type must be authorization_code');
    const issued = await exchangeAuthCode(deps.store, auth.app, request.body.code, 'u-', deps.clock.now());
    return ok({ access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn, scope: 'calendar:calendar' });
  });
}

/** The active person of the tenant a login hint names (open_id, union_id or user_id). */
async function findLoginUser(deps: AppDeps, tenantId: string, hint: string): Promise<string> {
  for (const idType of ['open_id', 'union_id', 'user_id'] as const) {
    const [user] = await findUsersByIdType(deps.store.db, tenantId, idType, [hint]);
    if (user && user.active === 1 && user.bot_app_id === null) return user.id;
  }
  return fail('USER_NOT_FOUND', `no user ${hint} in the tenant`);
}
