import { Type } from '@sinclair/typebox';
import { issueStreamTicket } from '../../../core/auth/stream-tickets.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { OpenConnectionReply } from '../replies.ts';

/** The WebSocket path a ticket opens (the platform's own is `wss://wss-open-connection.dingtalk.com:443/connect`). */
export const DINGTALK_STREAM_PATH = '/connect';

/** `DWClient.getEndpoint()`'s body: the app's credentials and what it subscribes to (any list is accepted). */
const OpenConnectionBody = Type.Object({
  clientId: Type.String(),
  clientSecret: Type.String(),
  ua: Type.Optional(Type.String()),
  localIp: Type.Optional(Type.String()),
  subscriptions: Type.Optional(Type.Array(Type.Object({ type: Type.String(), topic: Type.String() }))),
});

/**
 * `POST /v1.0/gateway/connections/open` (DingTalk Stream Mode's connection request; reference
 * long-connections.md §1.1): appKey and appSecret as `clientId`/`clientSecret` →
 * `{"endpoint": "ws://HOST/connect", "ticket"}`; the ticket opens one connection within 90 s.
 * A wrong or unknown credential gets DingTalk's error body (400 `invalidClientIdOrSecret`) and
 * no ticket. The endpoint names the host the request came to, so it works behind the same
 * address the SDK was pointed at.
 */
export function registerOpenConnection(app: HttpApp, deps: AppDeps): void {
  app.post('/gateway/connections/open', { schema: { body: OpenConnectionBody, response: { 200: OpenConnectionReply } }, config: { anonymous: true } }, async (request) => {
    const { ticket } = await issueStreamTicket(deps.store, 'dingtalk', request.body.clientId, request.body.clientSecret);
    return { endpoint: `ws://${request.headers.host ?? 'localhost'}${DINGTALK_STREAM_PATH}`, ticket };
  });
}
