import type { AttendeeSpec } from '../../../core/attendees/attendee.ts';
import { SCOPES } from '../../../core/auth/scopes.ts';
import { patchEvent } from '../../../core/events/change-event.ts';
import { fail } from '../../../core/errors.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { runWrite, sendStored } from '../../plugins/idempotency.ts';
import { actingUser, calendarRef, clientToken, eventKey } from '../context.ts';
import { parsePatchEvent, renderEvent } from '../mapper.ts';
import { creationChannels } from '../notifications.ts';
import { EventParams, PatchEventBody } from '../schemas.ts';
import { EventReply } from '../replies.ts';

/**
 * PatchEvent: `PUT …/calendars/{calendarId}/events/{eventId}` with the event id again in the
 * body (`id`). Given `attendees` replace the attendee list.
 */
export function registerPatchEvent(app: HttpApp, deps: AppDeps): void {
  app.put('/calendar/users/:userId/calendars/:calendarId/events/:eventId', {
    schema: { params: EventParams, body: PatchEventBody, response: { 200: EventReply } },
    config: { scope: SCOPES.eventWrite },
  }, async (request, reply) => {
    if (request.body.id !== request.params.eventId) fail('INVALID_PARAMETER', 'id in the body must be the event id of the path');
    const actor = await actingUser(deps, request, request.params.userId);
    const eventId = eventKey(request.params.eventId);
    const attendees: AttendeeSpec[] | undefined = request.body.attendees?.map((a) => ({ kind: 'user', idType: 'union_id', id: a.id, isOptional: a.isOptional ?? false }));
    const patch = parsePatchEvent(request.body);
    const stored = await runWrite(deps, request, actor.appId, clientToken(request), async (tx) =>
      renderEvent(await patchEvent(tx, actor, calendarRef(request.params.calendarId), eventId, patch, attendees, creationChannels(request.body.extra), deps.clock.now())));
    return sendStored(reply, stored);
  });
}
