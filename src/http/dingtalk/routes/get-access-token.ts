import { issueAppToken } from '../../../core/auth/access-tokens.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { TokenBody } from '../schemas.ts';
import { TokenReply } from '../replies.ts';

/** `POST /v1.0/oauth2/accessToken` {appKey, appSecret} → {accessToken, expireIn} (seconds). */
export function registerTokenRoute(app: HttpApp, deps: AppDeps): void {
  app.post('/oauth2/accessToken', { schema: { body: TokenBody, response: { 200: TokenReply } }, config: { anonymous: true } }, async (request) => {
    const issued = await issueAppToken(deps.store, 'dingtalk', request.body.appKey, request.body.appSecret, 'tenant', '', deps.clock.now());
    return { accessToken: issued.token, expireIn: issued.expiresIn };
  });
}
