import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate, requireScope } from '../../core/auth/access-tokens.ts';
import { KalendsError, type ErrorCode } from '../../core/errors.ts';
import type { AppDeps, HttpApp } from '../deps.ts';
import { drainRequest } from '../plugins/drain.ts';
import { DINGTALK_ERRORS } from './errors.ts';
import { registerTokenRoute } from './routes/get-access-token.ts';
import { registerCreateEvent } from './routes/create-event.ts';
import { registerGetEvent } from './routes/get-event.ts';
import { registerListEvents } from './routes/list-events.ts';
import { registerPatchEvent } from './routes/patch-event.ts';
import { registerDeleteEvent } from './routes/delete-event.ts';
import { registerAddAttendee } from './routes/add-attendee.ts';
import { registerListAttendees } from './routes/list-attendees.ts';
import { registerRemoveAttendee } from './routes/remove-attendee.ts';
import { registerRespondEvent } from './routes/respond-event.ts';
import { registerListCalendars } from './routes/list-calendars.ts';
import { registerSubscribeCalendar } from './routes/subscribe-calendar.ts';
import { registerUnsubscribeCalendar } from './routes/unsubscribe-calendar.ts';
import { registerSubscribedCalendars } from './routes/subscribed-calendars.ts';

/**
 * The DingTalk Calendar v1.0 dialect under `/v1.0`: the oauth2 token endpoint and the calendar
 * operations of `@alicloud/dingtalk/calendar_1_0`, with DingTalk's error bodies.
 */
export async function dingtalkDialect(app: HttpApp, deps: AppDeps): Promise<void> {
  app.decorateRequest('dingtalkApp', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.anonymous || request.is404) return;
    const header = request.headers['x-acs-dingtalk-access-token'];
    const { app } = await authenticate(deps.store, 'dingtalk', typeof header === 'string' ? header : undefined, deps.clock.now());
    if (config.scope) requireScope(app, config.scope);
    request.dingtalkApp = app;
  });
  app.setErrorHandler(async (error, request, reply) => {
    const kalendsError = toKalendsError(error as Error, request);
    if (kalendsError.code === 'PAYLOAD_TOO_LARGE') await drainRequest(request);
    return sendError(reply, request, kalendsError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, request, new KalendsError('ROUTE_NOT_FOUND', `no operation ${request.method} ${request.url.split('?')[0]}`)));

  for (const register of [
    registerTokenRoute, registerCreateEvent, registerGetEvent, registerListEvents, registerPatchEvent,
    registerDeleteEvent, registerAddAttendee, registerListAttendees, registerRemoveAttendee,
    registerRespondEvent, registerListCalendars, registerSubscribeCalendar, registerUnsubscribeCalendar,
    registerSubscribedCalendars,
  ]) register(app, deps);
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'INVALID_PARAMETER',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_BODY',
};

/** Any error of a request as a catalogue error; only server faults become INTERNAL (and are logged). */
function toKalendsError(error: FastifyError | Error, request: FastifyRequest): KalendsError {
  if (error instanceof KalendsError) return error;
  const e = error as FastifyError;
  if (e.validation) return new KalendsError('INVALID_PARAMETER', `${e.validationContext ?? 'request'}${e.message.replace(/^(body|querystring|params)/, '')}`);
  const code = (e.code && FASTIFY_CODES[e.code]) ?? (error instanceof SyntaxError ? 'MALFORMED_BODY' : undefined);
  if (code) return new KalendsError(code, e.message);
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new KalendsError('INVALID_PARAMETER', e.message);
  request.log.error({ err: error }, 'request failed');
  return new KalendsError('INTERNAL', 'internal error');
}

/** DingTalk's error body: `{code, message, requestid}` (+ `accessdenieddetail` for scopes). */
function sendError(reply: FastifyReply, request: FastifyRequest, error: KalendsError): FastifyReply {
  const wire = DINGTALK_ERRORS[error.code];
  const body: Record<string, unknown> = { code: wire.code, message: error.message, requestid: request.id };
  if (error.code === 'SCOPE_MISSING') body.accessdenieddetail = error.detail;
  return reply.code(wire.status).type('application/json; charset=utf-8').send(body);
}
