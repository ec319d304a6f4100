import { SCOPES } from '../../../core/auth/scopes.ts';
import { listAttendees } from '../../../core/attendees/list-attendees.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { decodeToken, encodeToken } from '../../page-token.ts';
import { actingUser, calendarRef, eventKey } from '../context.ts';
import { renderAttendee } from '../mapper.ts';
import { EventParams, ListAttendeesQuery } from '../schemas.ts';
import { ListAttendeesReply } from '../replies.ts';

/**
 * ListAttendees: `GET …/events/{eventId}/attendees?maxResults=&nextToken=` → `{attendees,
 * nextToken}`; maxResults 1–500 (default 100), nextToken absent on the last page.
 */
export function registerListAttendees(app: HttpApp, deps: AppDeps): void {
  app.get('/calendar/users/:userId/calendars/:calendarId/events/:eventId/attendees', {
    schema: { params: EventParams, querystring: ListAttendeesQuery, response: { 200: ListAttendeesReply } },
    config: { scope: SCOPES.eventRead },
  }, async (request) => {
    const token = request.query.nextToken;
    const after = token ? decodeToken<{ a: number }>(token, 'nextToken', (v) => Number.isSafeInteger(v.a)).a : 0;
    const actor = await actingUser(deps, request, request.params.userId);
    const page = await listAttendees(deps.store.db, actor, calendarRef(request.params.calendarId), eventKey(request.params.eventId), after, request.query.maxResults ?? 100);
    return {
      attendees: page.items.map((a) => renderAttendee(a, actor.userId)),
      nextToken: page.next === null ? undefined : encodeToken({ a: page.next }),
    };
  });
}
