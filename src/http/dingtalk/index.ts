import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticate, requireScope } from '../../core/auth/access-tokens.ts';
import { KalendsError } from '../../core/errors.ts';
import { handleErrors, statusOf } from '../errors.ts';
import { applyFaults } from '../plugins/faults.ts';
import { DINGTALK_OPERATIONS } from './operations.ts';
import type { AppDeps, HttpApp } from '../deps.ts';
import { DINGTALK_ERRORS } from './errors.ts';
import { registerTokenRoute } from './routes/get-access-token.ts';
import { registerUserTokenRoute } from './routes/get-user-token.ts';
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
import { registerListEventsView } from './routes/list-events-view.ts';
import { registerListInstances } from './routes/list-instances.ts';
import { registerGetSchedule } from './routes/get-schedule.ts';
import { registerMeetingRooms } from './routes/meeting-rooms.ts';
import { registerCancelEvent } from './routes/cancel-event.ts';
import { registerOpenConnection } from './stream/open-connection.ts';
import { registerAcls } from './routes/acls.ts';
import { registerTransferEvent } from './routes/transfer-event.ts';
import { registerSignIn } from './routes/sign-in.ts';
import { registerCategories } from './routes/categories.ts';
import { registerConvertLegacyEventId } from './routes/convert-legacy-event-id.ts';
import { registerGenerateCaldavAccount } from './routes/generate-caldav-account.ts';

/**
 * The DingTalk Calendar v1.0 dialect under `/v1.0`: the oauth2 token endpoint and the calendar
 * operations of `@alicloud/dingtalk/calendar_1_0`, with DingTalk's error bodies.
 */
export async function dingtalkDialect(app: HttpApp, deps: AppDeps): Promise<void> {
  app.decorateRequest('dingtalkApp', null);
  app.decorateRequest('dingtalkTokenUser', null);
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    if (config.anonymous || request.is404) return;
    const header = request.headers['x-acs-dingtalk-access-token'];
    const { app, userId } = await authenticate(deps.store, 'dingtalk', typeof header === 'string' ? header : undefined, deps.clock.now());
    if (config.scope) requireScope(app, config.scope);
    request.dingtalkApp = app;
    // The request's later lines (and Fastify's "request completed", written through reply.log) name the app and its tenant.
    request.log = reply.log = request.log.child({ appId: app.appId, tenant: app.tenantId });
    request.dingtalkTokenUser = userId;
  });
  applyFaults(app, deps, {
    platform: 'dingtalk', operations: DINGTALK_OPERATIONS, appOf: (request) => request.dingtalkApp?.appId ?? null,
    clientIdOf: (body) => (body as { appKey?: unknown; clientId?: unknown } | null)?.appKey ?? (body as { clientId?: unknown } | null)?.clientId,
  });
  handleErrors(app, sendDingTalkError);

  for (const register of [
    registerTokenRoute, registerUserTokenRoute, registerCreateEvent, registerGetEvent, registerListEvents, registerPatchEvent,
    registerDeleteEvent, registerAddAttendee, registerListAttendees, registerRemoveAttendee,
    registerRespondEvent, registerListCalendars, registerSubscribeCalendar, registerUnsubscribeCalendar,
    registerSubscribedCalendars, registerListEventsView, registerListInstances,
    registerGetSchedule, registerMeetingRooms, registerCancelEvent, registerOpenConnection,
    registerAcls, registerTransferEvent, registerSignIn, registerCategories, registerConvertLegacyEventId, registerGenerateCaldavAccount,
  ]) register(app, deps);
}

/** DingTalk's error body: `{code, message, requestid}` (+ `accessdenieddetail` for scopes). */
export function sendDingTalkError(reply: FastifyReply, request: FastifyRequest, error: KalendsError): FastifyReply {
  const { status, body } = dingTalkError(error, request.id);
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/** A catalogue error as DingTalk puts it on the wire: HTTP status and body. */
export function dingTalkError(error: KalendsError, requestId: string): { status: number; body: Record<string, unknown> } {
  const wire = DINGTALK_ERRORS[error.code];
  const body: Record<string, unknown> = { code: wire.code, message: error.message, requestid: requestId };
  if (error.code === 'SCOPE_MISSING') body.accessdenieddetail = error.detail;
  return { status: statusOf(error, wire.status), body };
}
