import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../core/actor.ts';
import { SCOPES } from '../../../core/auth/scopes.ts';
import { fail } from '../../../core/errors.ts';
import { listOccurrences } from '../../../core/events/read-events.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { decodeToken, encodeToken } from '../../page-token.ts';
import { actingUser, calendarRef, tokenUser, windowTime } from '../context.ts';
import { renderEvent } from '../mapper.ts';
import { CalendarParams, EventsViewQuery, MeCalendarParams } from '../schemas.ts';
import { EventsPageReply } from '../replies.ts';

type ViewQuery = (typeof EventsViewQuery)['static'];

/**
 * listEventsView: `GET /v1.0/calendar/users/{userId}/calendars/{calendarId}/eventsview`, and
 * listEventsViewByMe: `GET /v1.0/calendar/me/calendars/{calendarId}/eventsview` with a user
 * access token. Every single event and every occurrence of a recurring series with
 * end ≥ `timeMin` and start < `timeMax` ("本接口会根据循环规则展开查询区间内的所有循环日程，但不会实际在
 * 数据库中生成对应实例"), in start order; an occurrence carries `seriesMasterId` and `originStart`.
 * `maxResults` ≤ 100 (default 100), `maxAttendees` ≤ 100; `nextToken` until it is absent.
 * Source: 查询日程视图 (query-schedule-view).
 */
export function registerListEventsView(app: HttpApp, deps: AppDeps): void {
  const config = { scope: SCOPES.eventRead };
  app.get('/calendar/users/:userId/calendars/:calendarId/eventsview', { schema: { params: CalendarParams, querystring: EventsViewQuery, response: { 200: EventsPageReply } }, config }, async (request) =>
    view(deps, request.query, await actingUser(deps, request, request.params.userId), request.params.calendarId));
  app.get('/calendar/me/calendars/:calendarId/eventsview', { schema: { params: MeCalendarParams, querystring: EventsViewQuery, response: { 200: EventsPageReply } }, config }, async (request: FastifyRequest<{ Params: { calendarId: string }; Querystring: ViewQuery }>) =>
    view(deps, request.query, await tokenUser(deps, request), request.params.calendarId));
}

async function view(deps: AppDeps, q: ViewQuery, actor: Actor, calendarId: string) {
  const from = windowTime(q.timeMin, 'timeMin');
  const to = windowTime(q.timeMax, 'timeMax');
  if (to <= from) fail('INVALID_PARAMETER', 'timeMax must be after timeMin');
  const after = q.nextToken ? decodeToken<{ s: number; k: string }>(q.nextToken, 'nextToken', (v) => Number.isSafeInteger(v.s) && typeof v.k === 'string') : null;
  const list = await listOccurrences(deps.store.db, actor, calendarRef(calendarId), {
    from, to, touching: true, after: after && { start: after.s, key: after.k }, limit: q.maxResults ?? 100, maxAttendees: q.maxAttendees ?? 100,
  });
  return {
    events: list.views.map(renderEvent),
    nextToken: list.next ? encodeToken({ s: list.next.start, k: list.next.key }) : undefined,
  };
}
