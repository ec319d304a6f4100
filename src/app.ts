import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config/schema.ts';
import type { AppDeps, HttpApp } from './http/deps.ts';
import { dingtalkDialect, sendDingTalkError } from './http/dingtalk/index.ts';
import { toKalendsError } from './http/errors.ts';
import { answerClientError } from './http/client-errors.ts';
import { feishuDialect, sendFeishuError } from './http/feishu/index.ts';
import { tolerantJsonBody } from './http/plugins/json-body.ts';
import { refuseNulInUrls } from './http/plugins/no-nul.ts';
import { strictBodyValidation } from './http/plugins/validation.ts';
import { recordApiCalls } from './http/plugins/api-log.ts';
import { adminApi } from './http/admin/index.ts';
import { consoleUi } from './http/console/index.ts';
import cookie from '@fastify/cookie';
import { newRequestId } from './http/request-id.ts';
import { requestForLog } from './http/log-serializers.ts';
import { longConnections } from './http/long-connections.ts';
import { registerConnectionEndpoint } from './http/feishu/ws/connection-endpoint.ts';
import { StreamHub } from './workers/stream-hub.ts';
import { StreamSender, streamSenderOptions } from './workers/stream-sender.ts';
import type { DeliverySettings } from './workers/dispatcher.ts';
import { DeliveryThread, type DeliveryThreadData } from './workers/delivery-thread.ts';
import type { LocalPushes } from './core/outbox/fan-out.ts';
import { SETTINGS } from './config/schema.ts';
import { registerOpenApi } from './http/openapi/index.ts';
import { registerDingTalkLoginPage } from './http/dingtalk/login-page.ts';
import { recordRoutes } from './http/route-list.ts';
import { registerMetrics } from './http/metrics/index.ts';
import { acceptWebDavMethods, caldavDialect, registerWellKnown } from './http/caldav/index.ts';
import { sendCaldavError } from './http/caldav/errors.ts';

/** Largest request body accepted (bytes); a 500-attendee call is about 30 KB. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * Builds the Kalends HTTP server: every wire dialect on one listener (DingTalk under `/v1.0`,
 * Feishu under `/open-apis`), the admin API (`/admin/v1`) and the console (`/console`), and
 * the long connections events are pushed over (DingTalk Stream Mode, Feishu's WebSocket client).
 * Nothing is read from the environment here; all of it comes in through `config` and `deps`.
 */

/** What `buildApp` reads of the configuration; `deliveryThread` runs event delivery on a thread of its own. */
type BuildConfig = Pick<Config, 'logLevel' | 'rateLimit'> & Partial<Pick<Config, 'logFormat' | 'metricsOpen' | 'publicUrl'>> & Partial<DeliverySettings>
  & { deliveryThread?: Omit<DeliveryThreadData, 'settings'> };

export async function buildApp(config: BuildConfig, deps: AppDeps): Promise<HttpApp> {
  const app = Fastify({
    // Each request's lines carry `reqId`: the id its reply carries (DingTalk requestid, Feishu X-Tt-Logid).
    logger: {
      level: config.logLevel, serializers: { req: requestForLog },
      ...(config.logFormat === 'pretty' ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } } : {}),
    },
    bodyLimit: BODY_LIMIT,
    genReqId: newRequestId,
    routerOptions: { maxParamLength: 500 },
    // While closing, a request arriving on a kept-alive connection gets 503 with
    // `Connection: close` (its client retries elsewhere); requests already running finish.
    return503OnClosing: true,
    // Errors before routing (an undecodable URL) in the format of the dialect the path names.
    frameworkErrors: (error, request, reply) => {
      const kalendsError = toKalendsError(error, request);
      if (request.url.startsWith('/open-apis')) sendFeishuError(reply, request, kalendsError);
      else if (request.url.startsWith('/caldav')) sendCaldavError(reply, request, kalendsError);
      else sendDingTalkError(reply, request, kalendsError);
    },
    // Requests Node's parser refused (headers over 16 KiB…), in the format of the dialect the path names.
    clientErrorHandler: answerClientError,
    // The Feishu SDK given a domain with a trailing slash asks for `//open-apis/…`.
    rewriteUrl: (request) => (request.url ?? '/').replace(/^\/{2,}/, '/'),
  }).withTypeProvider<TypeBoxTypeProvider>();
  recordRoutes(app);
  app.decorate('publicUrl', config.publicUrl ?? null);
  // Reply schemas document the routes (OpenAPI) and are checked by tests; they never shape the
  // wire: replies are JSON.stringify'd as they would be without a schema (no field dropped or coerced).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await registerOpenApi(app);
  registerMetrics(app, deps, { openOnLoopback: config.metricsOpen === 'on' });
  tolerantJsonBody(app);
  refuseNulInUrls(app);
  strictBodyValidation(app);
  recordApiCalls(app, deps.sandbox.apiLog, (request) => request.dingtalkApp?.appId ?? request.feishuAuth?.app.appId ?? null);
  await app.register(async (scope) => dingtalkDialect(scope, deps), { prefix: '/v1.0' });
  await app.register(async (scope) => feishuDialect(scope, deps, { rateLimit: config.rateLimit === 'on' }), { prefix: '/open-apis' });
  registerDingTalkLoginPage(app, deps);
  acceptWebDavMethods(app);
  await registerWellKnown(app);
  await app.register(async (scope) => caldavDialect(scope, deps), { prefix: '/caldav' });
  await app.register(async (scope) => {
    await scope.register(cookie);
    await scope.register(async (admin) => adminApi(admin, deps), { prefix: '/admin/v1' });
    await scope.register(async (ui) => consoleUi(ui, deps), { prefix: '/console' });
  });
  streamDelivery(app, config, deps);
  app.get('/healthz', async (_request, reply) => {
    try {
      await deps.store.ping();
      return { status: 'ok', store: deps.store.dialect };
    } catch {
      return reply.code(503).send({ status: 'unavailable', store: deps.store.dialect });
    }
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'NotFound', message: `no route ${request.method} ${request.url.split('?')[0]}`, requestid: request.id }));
  return app;
}

/** Each app's stream sender when it runs on the serving thread, for a dispatcher there (`localPushesOf`). */
const senders = new WeakMap<HttpApp, StreamSender>();

/** The long connections `app` holds, as the outbox dispatcher of its thread hands pushes to them (none with a delivery thread). */
export function localPushesOf(app: HttpApp): LocalPushes | undefined {
  return senders.get(app);
}

/**
 * Long-connection event delivery in this process: Feishu's connection request (outside
 * `/open-apis`, as on the platform; DingTalk's is in its dialect), the WebSockets, the hub of
 * open connections and the sender of their pushes, which runs as long as the server does: in a
 * delivery thread when `config.deliveryThread` is given (`kalends start` on SQLite, where the
 * thread also runs the dispatcher), else on this thread, for the dispatcher of this process
 * (`localPushesOf`).
 */
function streamDelivery(app: HttpApp, config: BuildConfig, deps: AppDeps): void {
  const log = (message: string) => app.log.error(message);
  const hub = new StreamHub(deps.store, log);
  // The pushes' delivery settings; the schema's defaults when left out.
  const settings: DeliverySettings = {
    deliveryAttempts: config.deliveryAttempts ?? SETTINGS.deliveryAttempts.default,
    deliveryBackoff: config.deliveryBackoff ?? SETTINGS.deliveryBackoff.default,
    deliveryTimeout: config.deliveryTimeout ?? SETTINGS.deliveryTimeout.default,
  };
  registerConnectionEndpoint(app, deps);
  longConnections(app, deps, hub);
  app.addHook('onReady', async () => hub.start());
  if (config.deliveryThread) {
    const thread = new DeliveryThread(hub, { ...config.deliveryThread, settings }, log);
    deps.sandbox.clock.onShift((offsetMs) => thread.shiftClock(offsetMs));
    app.addHook('onReady', async () => thread.start());
    // longConnections' preClose closes the sockets first, which settles the pushes under way.
    app.addHook('onClose', async () => thread.stop());
    return;
  }
  const sender = new StreamSender(deps.store, deps.clock, hub, streamSenderOptions(settings), log);
  senders.set(app, sender);
  app.addHook('onReady', async () => sender.start());
  app.addHook('onClose', async () => sender.stop());
}
