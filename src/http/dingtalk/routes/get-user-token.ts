import { verifyApp } from '../../../core/auth/access-tokens.ts';
import { redeemAuthCode, redeemRefreshToken } from '../../../core/auth/user-sign-in.ts';
import type { AppIdentity } from '../../../core/actor.ts';
import { fail } from '../../../core/errors.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { UserTokenBody } from '../schemas.ts';
import { UserTokenReply } from '../replies.ts';

/**
 * getUserToken: `POST /v1.0/oauth2/userAccessToken` {clientId, clientSecret, grantType,
 * code | refreshToken} → {accessToken, refreshToken, expireIn (7,200 s), corpId}. `code` is the
 * authCode the login page (`/oauth2/auth`) redirected with; a refresh token works once (the reply
 * carries its successor) for 30 days.
 * Errors: 400 invalidClientIdOrSecret (unknown clientId or wrong secret), 400
 * invalidParameter.authCode.notFound (unknown, used or expired code, or another app's), 400
 * invalidParameter (grantType other than authorization_code / refresh_token, a missing code or
 * refreshToken, an unusable refresh token), 404 itemNotFound (the user has left).
 * Source: 获取用户token (obtain-user-token).
 */
export function registerUserTokenRoute(app: HttpApp, deps: AppDeps): void {
  app.post('/oauth2/userAccessToken', { schema: { body: UserTokenBody, response: { 200: UserTokenReply } }, config: { anonymous: true } }, async (request) => {
    const b = request.body;
    const row = await verifyApp(deps.store, 'dingtalk', b.clientId, b.clientSecret ?? '');
    const client: AppIdentity = { tenantId: row.tenant_id, appId: row.id, platform: 'dingtalk', scopes: JSON.parse(row.scopes) as string[], bot: false };
    const now = deps.clock.now();
    let tokens;
    if (b.grantType === 'authorization_code') {
      if (!b.code) fail('INVALID_PARAMETER', 'code is required for grantType authorization_code');
      tokens = await redeemAuthCode(deps.store, client, b.code, '', now);
    } else if (b.grantType === 'refresh_token') {
      if (!b.refreshToken) fail('INVALID_PARAMETER', 'refreshToken is required for grantType refresh_token');
      tokens = await redeemRefreshToken(deps.store, client, b.refreshToken, '', now);
    } else {
      return fail('INVALID_PARAMETER', 'grantType must be authorization_code or refresh_token');
    }
    return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expireIn: tokens.expiresIn, corpId: tokens.user.tenant_id };
  });
}
