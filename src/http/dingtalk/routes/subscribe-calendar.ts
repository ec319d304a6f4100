import { SCOPES } from '../../../core/auth/scopes.ts';
import { subscribeCalendar } from '../../../core/calendars/subscribed-calendars.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { runWrite, sendStored } from '../../plugins/idempotency.ts';
import { actingUser, calendarRef } from '../context.ts';
import { CalendarParams } from '../schemas.ts';
import { EmptyReply } from '../replies.ts';

/** SubscribeCalendar: `POST …/calendars/{calendarId}/subscribe`, no body → empty 200. */
export function registerSubscribeCalendar(app: HttpApp, deps: AppDeps): void {
  app.post('/calendar/users/:userId/calendars/:calendarId/subscribe', {
    schema: { params: CalendarParams, response: { 200: EmptyReply } },
    config: { scope: SCOPES.calendarWrite },
  }, async (request, reply) => {
    const actor = await actingUser(deps, request, request.params.userId);
    const stored = await runWrite(deps, request, actor.appId, undefined, (tx) =>
      subscribeCalendar(tx, actor, calendarRef(request.params.calendarId), deps.clock.now()));
    return sendStored(reply, stored);
  });
}
