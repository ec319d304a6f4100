import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../../core/auth/access-tokens.ts';
import { KalendsError, fail } from '../../core/errors.ts';
import type { AppDeps, HttpApp } from '../deps.ts';
import { handleErrors, statusOf } from '../errors.ts';
import { applyFaults } from '../plugins/faults.ts';
import { FEISHU_OPERATIONS } from './operations.ts';
import { refuseReservedSegments } from './reserved-segments.ts';
import { FEISHU_RATE_LIMITS, RateLimiter } from '../plugins/rate-limit.ts';
import { FEISHU_ERRORS } from './errors.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerAuthenRoutes } from './routes/authen.ts';
import { OAUTH_TOKEN_URL, oauthTokenError, oauthTokenErrorBody } from './oauth-errors.ts';
import { registerCalendarRoutes } from './routes/calendars.ts';
import { registerSubscriptionRoutes } from './routes/subscriptions.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerAttendeeRoutes } from './routes/attendees.ts';
import { registerAclRoutes } from './routes/acls.ts';
import { registerInstanceRoutes } from './routes/instances.ts';
import { registerFreeBusyRoutes } from './routes/freebusy.ts';
import { registerTimeOffRoutes } from './routes/timeoff.ts';
import { registerEventSearchRoutes } from './routes/event-search.ts';
import { registerMeetingRoutes } from './routes/meetings.ts';
import { registerExchangeBindingRoutes } from './routes/exchange-bindings.ts';
import { registerSettingRoutes } from './routes/settings.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Feishu scopes any one of which lets an app call the route. */
    feishuScopes?: string[];
  }
}

export interface FeishuOptions {
  rateLimit: boolean;
}

/**
 * The Feishu/Lark Calendar v4 dialect under `/open-apis`: auth v3 tokens, the sandbox's OAuth
 * login, and calendar v4 calendars, events and attendees, with Feishu's `{code, msg, data}`
 * replies and `{code, msg, error: {log_id}}` errors (header `X-Tt-Logid`).
 */
export async function feishuDialect(app: HttpApp, deps: AppDeps, options: FeishuOptions): Promise<void> {
  const limiter = options.rateLimit ? new RateLimiter(FEISHU_RATE_LIMITS) : null;
  app.decorateRequest('feishuAuth', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Tt-Logid', request.id);
    const config = request.routeOptions.config;
    if (config.anonymous || request.is404) return;
    refuseReservedSegments(request);
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (typeof header === 'string' && header !== '' && !token) fail('ACCESS_TOKEN_INVALID', 'malformed Authorization header');
    const auth = await authenticate(deps.store, 'feishu', token, deps.clock.now());
    if (config.feishuScopes && !config.feishuScopes.some((s) => auth.app.scopes.includes(s))) {
      fail('SCOPE_MISSING', `Access denied. One of the following scopes is required: [${config.feishuScopes.join(', ')}]`, { requiredScopes: config.feishuScopes });
    }
    const verdict = limiter?.take(auth.app.appId, `${request.method} ${request.routeOptions.url}`, deps.clock.now());
    if (verdict === 'app') fail('APP_RATE_LIMITED', 'app rate limited');
    if (verdict === 'method') fail('RATE_LIMITED', 'method rate limited');
    request.feishuAuth = auth;
    request.log = reply.log = request.log.child({ appId: auth.app.appId, tenant: auth.app.tenantId });
  });
  applyFaults(app, deps, {
    platform: 'feishu', operations: FEISHU_OPERATIONS, appOf: (request) => request.feishuAuth?.app.appId ?? null,
    clientIdOf: (body) => (body as { app_id?: unknown } | null)?.app_id ?? (body as { client_id?: unknown } | null)?.client_id,
  });
  handleErrors(app, sendFeishuError);

  for (const register of [registerAuthRoutes, registerAuthenRoutes, registerCalendarRoutes, registerSubscriptionRoutes, registerEventRoutes, registerAttendeeRoutes, registerAclRoutes, registerInstanceRoutes, registerFreeBusyRoutes, registerTimeOffRoutes, registerEventSearchRoutes, registerMeetingRoutes, registerExchangeBindingRoutes, registerSettingRoutes]) {
    register(app, deps);
  }
}

/**
 * Feishu's error body: `{code, msg, error: {log_id}}` with the HTTP status and the `msg` of seed
 * 001's table, word for word; what exactly was wrong goes in `error.troubleshooter`.
 */
export function sendFeishuError(reply: FastifyReply, request: FastifyRequest, error: KalendsError): FastifyReply {
  if (request.routeOptions.url === OAUTH_TOKEN_URL) {
    const wire = oauthTokenError(error, statusOf(error, FEISHU_ERRORS[error.code].status));
    return reply.code(wire.status).header('X-Tt-Logid', request.id).type('application/json; charset=utf-8')
      .send(oauthTokenErrorBody(wire));
  }
  const { status, body } = feishuError(error, request.id);
  return reply.code(status).header('X-Tt-Logid', request.id).type('application/json; charset=utf-8').send(body);
}

/** A catalogue error as Feishu puts it on the wire: HTTP status and body (the id also goes in `X-Tt-Logid`). */
export function feishuError(error: KalendsError, logId: string): { status: number; body: Record<string, unknown> } {
  const wire = FEISHU_ERRORS[error.code];
  const detail = error.message && error.message !== wire.msg ? { troubleshooter: error.message } : {};
  return { status: statusOf(error, wire.status), body: { code: wire.code, msg: wire.msg, error: { log_id: logId, ...detail } } };
}
