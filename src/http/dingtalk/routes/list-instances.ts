import { SCOPES } from '../../../core/auth/scopes.ts';
import { fail } from '../../../core/errors.ts';
import { listSeriesInstances } from '../../../core/events/series-instances.ts';
import { END_OF_TIME } from '../../../core/recurrence/rrule.ts';
import { parseIsoDateTime } from '../../../core/time/zoned.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { decodeStartToken, encodeToken } from '../../page-token.ts';
import { actingUser, calendarRef, eventKey } from '../context.ts';
import { renderEvent } from '../mapper.ts';
import { CalendarParams, EventParams, ListEventsInstancesQuery, ListInstancesQuery } from '../schemas.ts';
import { EventsOnlyReply, EventsPageReply } from '../replies.ts';

/**
 * listInstances: `GET …/calendars/{calendarId}/events/{eventId}/instances` (`timeMin`, `timeMax`
 * "yyyy-MM-ddTHH:mmZ", `maxResults` ≤ 100, `nextToken`, `maxAttendees`): the instances of one
 * recurring series whose original start is in the window, changed ones as changed, cancelled
 * ones left out. listEventsInstances: `GET …/calendars/{calendarId}/instances?seriesMasterId=`
 * ("查询同一个循环日程序列下已生成的实例", `startRecurrenceId` the original start to begin at,
 * `maxResults`): the same instances from there, one page, no token. Source: the SDK's models
 * (calendar_1_0), the only documentation of both.
 */
export function registerListInstances(app: HttpApp, deps: AppDeps): void {
  const config = { scope: SCOPES.eventRead };
  app.get('/calendar/users/:userId/calendars/:calendarId/events/:eventId/instances', { schema: { params: EventParams, querystring: ListInstancesQuery, response: { 200: EventsPageReply } }, config }, async (request) => {
    const q = request.query;
    const from = q.timeMin ? parseIsoDateTime(q.timeMin, 'timeMin').instant : -END_OF_TIME;
    const to = q.timeMax ? parseIsoDateTime(q.timeMax, 'timeMax').instant : END_OF_TIME;
    if (to <= from) fail('INVALID_PARAMETER', 'timeMax must be after timeMin');
    const after = q.nextToken ? decodeStartToken(q.nextToken, 'nextToken') : null;
    const actor = await actingUser(deps, request, request.params.userId);
    const page = await listSeriesInstances(deps.store.db, actor, calendarRef(request.params.calendarId), eventKey(request.params.eventId), {
      from, to, after, limit: q.maxResults ?? 100, maxAttendees: q.maxAttendees ?? 100,
    });
    return { events: page.views.map(renderEvent), nextToken: page.next === null ? undefined : encodeToken({ o: page.next }) };
  });

  app.get('/calendar/users/:userId/calendars/:calendarId/instances', { schema: { params: CalendarParams, querystring: ListEventsInstancesQuery, response: { 200: EventsOnlyReply } }, config }, async (request) => {
    const q = request.query;
    const from = q.startRecurrenceId ? recurrenceId(q.startRecurrenceId) : -END_OF_TIME;
    const actor = await actingUser(deps, request, request.params.userId);
    const page = await listSeriesInstances(deps.store.db, actor, calendarRef(request.params.calendarId), eventKey(q.seriesMasterId), {
      from, to: END_OF_TIME, after: null, limit: q.maxResults ?? 100, maxAttendees: q.maxAttendees ?? 100,
    });
    return { events: page.views.map(renderEvent) };
  });
}

/**
 * An occurrence's original start as `startRecurrenceId`: an ISO 8601 time (as `originStart`), or
 * ms since the epoch (the legacy API's `recurrence_id`, "1609466400000").
 */
function recurrenceId(value: string): number {
  return /^\d{1,16}$/.test(value) ? Number(value) : parseIsoDateTime(value, 'startRecurrenceId').instant;
}
