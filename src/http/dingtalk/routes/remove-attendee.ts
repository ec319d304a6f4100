import { SCOPES } from '../../../core/auth/scopes.ts';
import { removeAttendees } from '../../../core/attendees/remove-attendees.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { runWrite, sendStored } from '../../plugins/idempotency.ts';
import { actingUser, calendarRef, clientToken, eventKey } from '../context.ts';
import { EventParams, RemoveAttendeeBody } from '../schemas.ts';
import { EmptyReply } from '../replies.ts';

/** RemoveAttendee: `POST …/events/{eventId}/attendees/batchRemove` (seed 000) → empty 200. */
export function registerRemoveAttendee(app: HttpApp, deps: AppDeps): void {
  app.post('/calendar/users/:userId/calendars/:calendarId/events/:eventId/attendees/batchRemove', {
    schema: { params: EventParams, body: RemoveAttendeeBody, response: { 200: EmptyReply } },
    config: { scope: SCOPES.eventWrite },
  }, async (request, reply) => {
    const actor = await actingUser(deps, request, request.params.userId);
    const specs = request.body.attendeesToRemove.map((a) => ({ kind: 'user' as const, idType: 'union_id' as const, id: a.id }));
    const stored = await runWrite(deps, request, actor.appId, clientToken(request), async (tx) => {
      await removeAttendees(tx, actor, calendarRef(request.params.calendarId), eventKey(request.params.eventId), specs, ['push'], deps.clock.now());
    });
    return sendStored(reply, stored);
  });
}
