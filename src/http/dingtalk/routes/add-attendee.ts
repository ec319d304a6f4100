import { SCOPES } from '../../../core/auth/scopes.ts';
import { addAttendees } from '../../../core/attendees/add-attendees.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { runWrite, sendStored } from '../../plugins/idempotency.ts';
import { actingUser, calendarRef, clientToken, eventKey } from '../context.ts';
import { attendeeChannels } from '../notifications.ts';
import { AddAttendeeBody, EventParams } from '../schemas.ts';
import { EmptyReply } from '../replies.ts';

/** AddAttendee: `POST …/events/{eventId}/attendees` (seed 002) → empty 200. */
export function registerAddAttendee(app: HttpApp, deps: AppDeps): void {
  app.post('/calendar/users/:userId/calendars/:calendarId/events/:eventId/attendees', {
    schema: { params: EventParams, body: AddAttendeeBody, response: { 200: EmptyReply } },
    config: { scope: SCOPES.eventWrite },
  }, async (request, reply) => {
    const actor = await actingUser(deps, request, request.params.userId);
    const specs = request.body.attendeesToAdd.map((a) => ({ kind: 'user' as const, idType: 'union_id' as const, id: a.id, isOptional: a.isOptional ?? false }));
    const stored = await runWrite(deps, request, actor.appId, clientToken(request), async (tx) => {
      await addAttendees(tx, actor, calendarRef(request.params.calendarId), eventKey(request.params.eventId), specs, attendeeChannels(request.body), deps.clock.now(), null, false);
    });
    return sendStored(reply, stored);
  });
}
