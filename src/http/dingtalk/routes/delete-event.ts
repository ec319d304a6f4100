import { SCOPES } from '../../../core/auth/scopes.ts';
import { deleteEvent } from '../../../core/events/change-event.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { runWrite, sendStored } from '../../plugins/idempotency.ts';
import { actingUser, calendarRef, clientToken, eventKey } from '../context.ts';
import { DeleteEventQuery, EventParams } from '../schemas.ts';
import { EmptyReply } from '../replies.ts';

/** DeleteEvent: `DELETE …/events/{eventId}?pushNotification=` → empty 200. */
export function registerDeleteEvent(app: HttpApp, deps: AppDeps): void {
  app.delete('/calendar/users/:userId/calendars/:calendarId/events/:eventId', {
    schema: { params: EventParams, querystring: DeleteEventQuery, response: { 200: EmptyReply } },
    config: { scope: SCOPES.eventWrite },
  }, async (request, reply) => {
    const actor = await actingUser(deps, request, request.params.userId);
    const channels = request.query.pushNotification ? ['push' as const] : [];
    const stored = await runWrite(deps, request, actor.appId, clientToken(request), (tx) =>
      deleteEvent(tx, actor, calendarRef(request.params.calendarId), eventKey(request.params.eventId), channels, deps.clock.now()));
    return sendStored(reply, stored);
  });
}
