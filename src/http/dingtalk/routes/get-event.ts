import { SCOPES } from '../../../core/auth/scopes.ts';
import { getEvent } from '../../../core/events/read-events.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { actingUser, calendarRef, eventKey } from '../context.ts';
import { renderEvent } from '../mapper.ts';
import { EventParams, GetEventQuery } from '../schemas.ts';
import { EventReply } from '../replies.ts';

/** GetEvent: `GET …/calendars/{calendarId}/events/{eventId}?maxAttendees=`. */
export function registerGetEvent(app: HttpApp, deps: AppDeps): void {
  app.get('/calendar/users/:userId/calendars/:calendarId/events/:eventId', {
    schema: { params: EventParams, querystring: GetEventQuery, response: { 200: EventReply } },
    config: { scope: SCOPES.eventRead },
  }, async (request) => {
    const actor = await actingUser(deps, request, request.params.userId);
    const view = await getEvent(deps.store.db, actor, calendarRef(request.params.calendarId), eventKey(request.params.eventId), request.query.maxAttendees);
    return renderEvent(view);
  });
}
