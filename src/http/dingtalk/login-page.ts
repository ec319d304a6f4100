import { issueAuthCode } from '../../core/auth/access-tokens.ts';
import { findSignInUser } from '../../core/auth/user-sign-in.ts';
import { KalendsError } from '../../core/errors.ts';
import { findApp } from '../../store/repositories/directory.ts';
import type { AppDeps, HttpApp } from '../deps.ts';
import { sendPage } from '../console/render.ts';
import { MessagePage } from '../console/views/message.tsx';
import { sendConsentPage } from '../sign-in-page.ts';
import { LoginPageQuery } from './schemas.ts';

/**
 * DingTalk's login page, served where `https://login.dingtalk.com/oauth2/auth` would be:
 * `GET /oauth2/auth?redirect_uri&response_type=code&client_id&scope=openid&state&prompt=consent`
 * shows the consent page (the tenant's people, "Sign in as …"); a pick (or the sandbox's
 * `login_hint`, a unionId, userId or open_id) redirects to `redirect_uri?authCode=…&state=…`,
 * the code that `POST /v1.0/oauth2/userAccessToken` exchanges (once, within 300 s of the sandbox
 * clock). A request the page cannot serve (unknown client_id, no redirect_uri, response_type not
 * `code`, scope without `openid`, no such person) gets a 400 page saying why, as the
 * platform's login page does. Source: 获取登录用户的访问凭证 (browser login, step 1).
 */
export function registerDingTalkLoginPage(app: HttpApp, deps: AppDeps): void {
  app.get('/oauth2/auth', { schema: { querystring: LoginPageQuery } }, async (request, reply) => {
    const q = request.query;
    const refuse = (message: string) => sendPage(reply, MessagePage, { title: 'Cannot sign in', message, bare: true }, 400);
    const client = q.client_id ? await findApp(deps.store.db, 'dingtalk', q.client_id) : undefined;
    if (!client) return refuse(`client_id ${q.client_id ?? '(none)'} is not an app of this server`);
    let target: URL;
    try {
      target = new URL(q.redirect_uri ?? '');
    } catch {
      return refuse('redirect_uri is missing or not a URL');
    }
    if (q.response_type !== 'code') return refuse('response_type must be code');
    if (!(q.scope ?? '').split(/[\s+]+/).includes('openid')) return refuse('scope must include openid');
    if (q.login_hint === undefined) {
      return sendConsentPage(reply, deps, { platform: 'dingtalk', tenantId: client.tenant_id, clientId: client.client_id, action: '/oauth2/auth', query: q });
    }
    let userId: string;
    try {
      userId = (await findSignInUser(deps.store, client.tenant_id, q.login_hint)).id;
    } catch (error) {
      if (error instanceof KalendsError) return refuse(error.message);
      throw error;
    }
    const identity = { tenantId: client.tenant_id, appId: client.id, platform: 'dingtalk' as const, scopes: [], bot: false };
    target.searchParams.set('authCode', await issueAuthCode(deps.store, identity, userId, deps.clock.now()));
    if (q.state !== undefined) target.searchParams.set('state', q.state);
    return reply.redirect(target.toString(), 302);
  });
}
