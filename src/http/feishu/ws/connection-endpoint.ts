import { issueStreamTicket } from '../../../core/auth/stream-tickets.ts';
import { KalendsError } from '../../../core/errors.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { FEISHU_ERRORS } from '../errors.ts';

/** The WebSocket path of the URL handed out (the platform's own is `wss://msg-frontier.feishu.cn/ws/v2`). */
export const FEISHU_WS_PATH = '/ws/v2';
/** `service_id` in the URL: echoed as `Frame.service` by the client's pings. */
export const FEISHU_SERVICE_ID = 1;

/**
 * The client's connection settings, in seconds (ReconnectCount a count, -1 forever), sent with
 * the URL and with every pong (reference §3.2, §4.2). The platform's are 120/-1/120/30; a
 * sandbox reconnects sooner: after a drop the client waits ReconnectNonce × random, then tries
 * every ReconnectInterval.
 */
export const CLIENT_CONFIG = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 2, ReconnectNonce: 1 };

/** What the SDK sends; checked here rather than by a schema, so a bad body is refused in the SDK's format too. */
interface EndpointBody { AppID?: unknown; AppSecret?: unknown; ClientAssertion?: unknown }

/**
 * `POST /callback/ws/endpoint` (`WSClient.pullConnectConfig`, reference §3.2): `{AppID,
 * AppSecret}` → HTTP 200 `{"code":0,"msg":"ok","data":{"URL","ClientConfig"}}`, the URL
 * `ws://HOST/ws/v2?fpid=…&aid=…&device_id=…&access_key=…&service_id=1&ticket=…` (the SDK reads
 * `device_id` and `service_id` with a parser that loses the first parameter, so neither is
 * first). A wrong or unknown credential (or a client assertion, which Kalends does not take) is
 * refused the way the SDK expects a refusal: HTTP 200, a non-zero `code` (Feishu's 10014 "app
 * secret invalid") and `data: {}`, which the SDK reports through `onError` without retrying.
 */
export function registerConnectionEndpoint(app: HttpApp, deps: AppDeps): void {
  app.post('/callback/ws/endpoint', async (request) => {
    const body = (request.body ?? {}) as EndpointBody;
    try {
      if (typeof body.AppID !== 'string' || (body.AppSecret !== undefined && typeof body.AppSecret !== 'string')) {
        throw new KalendsError('INVALID_PARAMETER', 'AppID and AppSecret must be strings');
      }
      const { ticket, app: row } = await issueStreamTicket(deps.store, 'feishu', body.AppID, typeof body.AppSecret === 'string' ? body.AppSecret : '');
      const query = new URLSearchParams({
        fpid: '493', aid: row.client_id, device_id: row.id.replace(/-/g, '').slice(0, 16), access_key: ticket.slice(0, 8),
        service_id: String(FEISHU_SERVICE_ID), ticket,
      });
      return { code: 0, msg: 'ok', data: { URL: `ws://${request.headers.host ?? 'localhost'}${FEISHU_WS_PATH}?${query}`, ClientConfig: CLIENT_CONFIG } };
    } catch (error) {
      if (!(error instanceof KalendsError)) throw error;
      const wire = FEISHU_ERRORS[error.code];
      return { code: wire.code, msg: error.message, data: {} };
    }
  });
}
