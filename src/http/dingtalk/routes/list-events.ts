import { SCOPES } from '../../../core/auth/scopes.ts';
import { fail } from '../../../core/errors.ts';
import type { Actor } from '../../../core/actor.ts';
import { listEvents } from '../../../core/events/read-events.ts';
import { listSeriesInstances } from '../../../core/events/series-instances.ts';
import { END_OF_TIME } from '../../../core/recurrence/rrule.ts';
import { parseIsoDateTime } from '../../../core/time/zoned.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { decodeStartToken, decodeToken, encodeToken } from '../../page-token.ts';
import { actingUser, calendarRef, eventKey } from '../context.ts';
import { renderEvent } from '../mapper.ts';
import { CalendarParams, ListEventsQuery } from '../schemas.ts';
import { ListEventsReply } from '../replies.ts';

/**
 * ListEvents: `GET …/calendars/{calendarId}/events` with timeMin/timeMax (ISO 8601, at most a
 * year apart: "timeMin 和 timeMax 最大差值为一年", else 400 invalidParameter), maxResults
 * (≤ 100, default 100), nextToken, showDeleted, syncToken (then only changes since, deletions
 * included) and maxAttendees. A recurring series is listed by its master and its past
 * instances (those begun before the sandbox's now, each with its instance `id`,
 * `seriesMasterId` and `originStart`), not its future ones: "对于循环日程，会返回所有过去的循环日程
 * 实例，但是未来的不会返回" (查询日程列表). With `seriesMasterId` ("可以通过此ID查询该循环日程的实例"),
 * only that series' past instances in the window, by original start (an exception as changed, a
 * cancelled one left out; a single event has none), with nextToken and no syncToken.
 */
export function registerListEvents(app: HttpApp, deps: AppDeps): void {
  app.get('/calendar/users/:userId/calendars/:calendarId/events', {
    schema: { params: CalendarParams, querystring: ListEventsQuery, response: { 200: ListEventsReply } },
    config: { scope: SCOPES.eventRead },
  }, async (request) => {
    const q = request.query;
    const from = q.timeMin ? parseIsoDateTime(q.timeMin, 'timeMin').instant : null;
    const to = q.timeMax ? parseIsoDateTime(q.timeMax, 'timeMax').instant : null;
    if (from !== null && to !== null && to < from) fail('INVALID_PARAMETER', 'timeMax must not be before timeMin');
    // "timeMin 和 timeMax 最大差值为一年" (查询日程列表): a year from timeMin, same date and time (UTC).
    if (from !== null && to !== null && to > new Date(from).setUTCFullYear(new Date(from).getUTCFullYear() + 1)) {
      fail('INVALID_PARAMETER', 'timeMin and timeMax may be one year apart at most');
    }
    if (q.seriesMasterId) return pastInstancesOf(deps, await actingUser(deps, request, request.params.userId), request.params.calendarId, q.seriesMasterId, from, to, q);
    // A page token carries the first page's sync position (c) as well as the keyset cursor.
    const after = q.nextToken ? decodeToken<{ s: number; i: string; c?: number }>(q.nextToken, 'nextToken', (v) => Number.isSafeInteger(v.s) && typeof v.i === 'string' && (v.c === undefined || Number.isSafeInteger(v.c))) : null;
    const sync = q.syncToken ? decodeToken<{ c: number }>(q.syncToken, 'syncToken', (v) => Number.isSafeInteger(v.c)) : null;
    const actor = await actingUser(deps, request, request.params.userId);
    const list = await listEvents(deps.store.db, actor, calendarRef(request.params.calendarId), {
      from, to, includeDeleted: q.showDeleted ?? false, changedAfter: sync ? sync.c : null,
      after: after ? { rangeStart: after.s, id: after.i } : null, syncSeq: after?.c ?? null,
      limit: q.maxResults ?? 100, maxAttendees: q.maxAttendees ?? 100, pastInstancesBefore: deps.clock.now(),
    });
    return {
      events: list.views.map(renderEvent),
      nextToken: list.next ? encodeToken({ s: list.next.rangeStart, i: list.next.id, c: list.syncSeq }) : undefined,
      syncToken: list.next ? undefined : encodeToken({ c: list.syncSeq }),
    };
  });
}

/** listEvents with `seriesMasterId`: that series' instances begun before the sandbox's now. */
async function pastInstancesOf(deps: AppDeps, actor: Actor, calendarId: string, seriesMasterId: string, from: number | null, to: number | null, q: (typeof ListEventsQuery)['static']) {
  const after = q.nextToken ? decodeStartToken(q.nextToken, 'nextToken') : null;
  const page = await listSeriesInstances(deps.store.db, actor, calendarRef(calendarId), eventKey(seriesMasterId), {
    from: from ?? -END_OF_TIME, to: Math.min(to ?? END_OF_TIME, deps.clock.now()), after, limit: q.maxResults ?? 100, maxAttendees: q.maxAttendees ?? 100,
  });
  return { events: page.views.map(renderEvent), nextToken: page.next === null ? undefined : encodeToken({ o: page.next }) };
}
