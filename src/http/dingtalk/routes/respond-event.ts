import { SCOPES } from '../../../core/auth/scopes.ts';
import { respondToEvent } from '../../../core/attendees/respond.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { runWrite, sendStored } from '../../plugins/idempotency.ts';
import { actingUser, calendarRef, clientToken, eventKey } from '../context.ts';
import { parseResponseStatus } from '../mapper.ts';
import { EventParams, RespondEventBody } from '../schemas.ts';
import { EmptyReply } from '../replies.ts';

/** RespondEvent: `POST …/events/{eventId}/respond` {responseStatus} as the attendee (seed 004) → empty 200. */
export function registerRespondEvent(app: HttpApp, deps: AppDeps): void {
  app.post('/calendar/users/:userId/calendars/:calendarId/events/:eventId/respond', {
    schema: { params: EventParams, body: RespondEventBody, response: { 200: EmptyReply } },
    config: { scope: SCOPES.eventWrite },
  }, async (request, reply) => {
    const partstat = parseResponseStatus(request.body.responseStatus);
    const actor = await actingUser(deps, request, request.params.userId);
    const stored = await runWrite(deps, request, actor.appId, clientToken(request), (tx) =>
      respondToEvent(tx, actor, calendarRef(request.params.calendarId), eventKey(request.params.eventId), partstat, deps.clock.now()));
    return sendStored(reply, stored);
  });
}
