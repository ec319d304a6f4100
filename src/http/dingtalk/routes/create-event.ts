import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../core/actor.ts';
import type { AttendeeSpec } from '../../../core/attendees/attendee.ts';
import { SCOPES } from '../../../core/auth/scopes.ts';
import { createEvent } from '../../../core/events/create-event.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { runWrite, sendStored } from '../../plugins/idempotency.ts';
import { actingUser, calendarRef, clientToken, tokenUser } from '../context.ts';
import { parseCreateEvent, renderEvent } from '../mapper.ts';
import { creationChannels } from '../notifications.ts';
import { CalendarParams, CreateEventBody, MeCalendarParams } from '../schemas.ts';
import { EventReply } from '../replies.ts';

type Body = (typeof CreateEventBody)['static'];

/**
 * CreateEvent: `POST /v1.0/calendar/users/{userId}/calendars/{calendarId}/events` (seed 004), and
 * createEventByMe: `POST /v1.0/calendar/me/calendars/{calendarId}/events` with a user access
 * token (getUserToken), acting as that token's user; same body and reply.
 */
export function registerCreateEvent(app: HttpApp, deps: AppDeps): void {
  const config = { scope: SCOPES.eventWrite };
  app.post('/calendar/users/:userId/calendars/:calendarId/events', { schema: { params: CalendarParams, body: CreateEventBody, response: { 200: EventReply } }, config }, async (request, reply) =>
    create(deps, request, request.body, reply, await actingUser(deps, request, request.params.userId), request.params.calendarId));
  app.post('/calendar/me/calendars/:calendarId/events', { schema: { params: MeCalendarParams, body: CreateEventBody, response: { 200: EventReply } }, config }, async (request: FastifyRequest<{ Params: { calendarId: string }; Body: Body }>, reply) =>
    create(deps, request, request.body, reply, await tokenUser(deps, request), request.params.calendarId));
}

async function create(deps: AppDeps, request: FastifyRequest, body: Body, reply: FastifyReply, actor: Actor, calendarId: string) {
  const input = parseCreateEvent(body);
  const attendees: AttendeeSpec[] = (body.attendees ?? []).map((a) => ({ kind: 'user', idType: 'union_id', id: a.id, isOptional: a.isOptional ?? false }));
  const stored = await runWrite(deps, request, actor.appId, clientToken(request), async (tx) =>
    renderEvent(await createEvent(tx, actor, calendarRef(calendarId), input, attendees, creationChannels(body.extra), deps.clock.now())));
  return sendStored(reply, stored);
}
