import type { FastifyRequest } from 'fastify';
import { SCOPES } from '../../../core/auth/scopes.ts';
import { unsubscribeCalendar } from '../../../core/calendars/subscribed-calendars.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { actingUser, calendarRef } from '../context.ts';
import { ResultReply } from '../replies.ts';

type UnsubscribeRequest = FastifyRequest<{ Params: { userId: string; calendarId?: string } }>;

/**
 * UnsubscribeCalendar: `POST …/calendars/{calendarId}/unsubscribe` → `{result: true}` (seed 003).
 * A blank calendarId (`…/calendars//unsubscribe`: the SDK puts an empty string in the path)
 * gets `invalidParameter: calendarId cannot be blank`; `primary` is not a subscribed calendar
 * (`calendar type invalid`).
 */
export function registerUnsubscribeCalendar(app: HttpApp, deps: AppDeps): void {
  const handler = async (request: UnsubscribeRequest) => {
    const actor = await actingUser(deps, request, request.params.userId);
    await deps.store.transaction((tx) => unsubscribeCalendar(tx, actor, calendarRef(request.params.calendarId ?? '')));
    return { result: true };
  };
  const config = { scope: SCOPES.calendarWrite };
  app.post('/calendar/users/:userId/calendars/:calendarId/unsubscribe', { schema: { response: { 200: ResultReply } }, config }, handler);
  // The same operation with a blank calendarId: left out of the OpenAPI document (an alias, not a path to call).
  app.post('/calendar/users/:userId/calendars//unsubscribe', { schema: { hide: true }, config }, handler);
}
