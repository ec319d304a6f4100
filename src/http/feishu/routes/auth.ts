import type { FastifyReply } from 'fastify';
import { issueAppToken } from '../../../core/auth/access-tokens.ts';
import { KalendsError } from '../../../core/errors.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { TokenBody } from '../schemas.ts';
import { TenantTokenReply } from '../replies.ts';

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
 * top level (seconds); any Authorization header sent along is ignored. User sign-in is in authen.ts.
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
}
