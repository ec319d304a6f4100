import type { AttendeeSpec } from '../../../core/attendees/attendee.ts';
import { SCOPES } from '../../../core/auth/scopes.ts';
import { createEvent } from '../../../core/events/create-event.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { runWrite, sendStored } from '../../plugins/idempotency.ts';
import { actingUser, calendarRef, clientToken } from '../context.ts';
import { parseCreateEvent, renderEvent } from '../mapper.ts';
import { creationChannels } from '../notifications.ts';
import { CalendarParams, CreateEventBody } from '../schemas.ts';
import { EventReply } from '../replies.ts';

/** CreateEvent: `POST /v1.0/calendar/users/{userId}/calendars/{calendarId}/events` (seed 004). */
export function registerCreateEvent(app: HttpApp, deps: AppDeps): void {
  app.post('/calendar/users/:userId/calendars/:calendarId/events', {
    schema: { params: CalendarParams, body: CreateEventBody, response: { 200: EventReply } },
    config: { scope: SCOPES.eventWrite },
  }, async (request, reply) => {
    const actor = await actingUser(deps, request, request.params.userId);
    const input = parseCreateEvent(request.body);
    const attendees: AttendeeSpec[] = (request.body.attendees ?? []).map((a) => ({ kind: 'user', idType: 'union_id', id: a.id, isOptional: a.isOptional ?? false }));
    const stored = await runWrite(deps, request, actor.appId, clientToken(request), async (tx) =>
      renderEvent(await createEvent(tx, actor, calendarRef(request.params.calendarId), input, attendees, creationChannels(request.body.extra), deps.clock.now())));
    return sendStored(reply, stored);
  });
}
