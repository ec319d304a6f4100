import { Type } from '@sinclair/typebox';
import { SCOPES } from '../../../core/auth/scopes.ts';
import { deleteEvent } from '../../../core/events/change-event.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { actingUser, calendarRef, eventKey } from '../context.ts';
import { EventParams } from '../schemas.ts';
import { ResultReply } from '../replies.ts';

const CancelQuery = Type.Object({ scope: Type.Optional(Type.String()) });

/**
 * cancelEvent: `POST …/events/{eventId}/cancel?scope=` → `{result: true}`. The event is
 * cancelled as by the organizer's delete, and reads `status: cancelled` afterwards: on a series'
 * id the whole series, on an instance id that occurrence alone (the id names what is cancelled;
 * `scope`, whose values no vendor page lists, is accepted and kept out of the decision). The
 * attendees hear of it as of a deletion. Source: the SDK's models (calendar_1_0 CancelEvent).
 */
export function registerCancelEvent(app: HttpApp, deps: AppDeps): void {
  app.post('/calendar/users/:userId/calendars/:calendarId/events/:eventId/cancel', {
    schema: { params: EventParams, querystring: CancelQuery, response: { 200: ResultReply } },
    config: { scope: SCOPES.eventWrite },
  }, async (request) => {
    const actor = await actingUser(deps, request, request.params.userId);
    await deps.store.transaction((tx) =>
      deleteEvent(tx, actor, calendarRef(request.params.calendarId), eventKey(request.params.eventId), ['push'], deps.clock.now()));
    return { result: true };
  });
}
