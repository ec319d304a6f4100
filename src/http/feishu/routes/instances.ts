import { fail } from '../../../core/errors.ts';
import { listOccurrences } from '../../../core/events/read-events.ts';
import { listSeriesInstances } from '../../../core/events/series-instances.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { decodeStartToken, encodeToken } from '../../page-token.ts';
import { feishuActor, idTypeOf } from '../context.ts';
import { parseCalendarId, parseEventId } from '../ids.ts';
import { renderInstance } from '../mapper.ts';
import { FEISHU_READ, ok } from '../reply.ts';
import { CalendarParams, EventParams, InstanceViewQuery, InstancesQuery } from '../schemas.ts';
import { InstanceViewReply, InstancesReply } from '../replies.ts';

const DAY = 86_400_000;
/** instance_view: "start_time 与 end_time 之间的时间区间不能超过 40 天" (193103). */
const VIEW_MAX_SPAN = 40 * DAY;
/** instance_view: at most 1,000 instances (193104). */
const VIEW_MAX_INSTANCES = 1000;
/** instances: the window spans at most two years. */
const INSTANCES_MAX_SPAN = 2 * 366 * DAY;

/**
 * Calendar v4 instances of recurring events: `GET …/events/:event_id/instances` (one series'
 * instances whose original start is in the window, Unix seconds, ≤ two years, `page_size`
 * 10–500 default 50) and `GET …/events/instance_view` (every event of the calendar in a window
 * under 40 days with series expanded, at most 1,000 instances; `attendees` lists meeting rooms
 * only). Exceptions carry `is_exception`; cancelled occurrences are left out.
 * Sources: calendar-event/instances and calendar-event/instance_view.
 */
export function registerInstanceRoutes(app: HttpApp, deps: AppDeps): void {
  const base = '/calendar/v4/calendars/:calendar_id/events';
  const config = { feishuScopes: FEISHU_READ };

  app.get(`${base}/instance_view`, { schema: { params: CalendarParams, querystring: InstanceViewQuery, response: { 200: InstanceViewReply } }, config }, async (request) => {
    const q = request.query;
    const calendarId = parseCalendarId(request.params.calendar_id);
    const { from, to } = windowOf(q.start_time, q.end_time);
    if (to - from >= VIEW_MAX_SPAN) fail('TIME_RANGE_TOO_LONG', 'requested time exceeds the allowed range: under 40 days');
    const actor = await feishuActor(deps, request);
    const list = await listOccurrences(deps.store.db, actor, { id: calendarId }, {
      from, to, touching: false, after: null, limit: VIEW_MAX_INSTANCES, maxAttendees: 100,
    });
    if (list.next !== null) fail('INSTANCE_LIMIT_EXCEEDED', `exceeded the maximum instance number: more than ${VIEW_MAX_INSTANCES}`);
    return ok({ items: list.views.map((v) => renderInstance(v, idTypeOf(q), true)) });
  });

  app.get(`${base}/:event_id/instances`, { schema: { params: EventParams, querystring: InstancesQuery, response: { 200: InstancesReply } }, config }, async (request) => {
    const q = request.query;
    const calendarId = parseCalendarId(request.params.calendar_id);
    const key = parseEventId(request.params.event_id);
    const { from, to } = windowOf(q.start_time, q.end_time);
    if (to - from > INSTANCES_MAX_SPAN) fail('INVALID_PARAMETER', 'the window of start_time and end_time spans at most two years');
    const after = q.page_token ? decodeStartToken(q.page_token, 'page_token') : null;
    const actor = await feishuActor(deps, request);
    const page = await listSeriesInstances(deps.store.db, actor, { id: calendarId }, key, {
      from, to, after, limit: q.page_size ?? 50, maxAttendees: 0,
    });
    return ok({
      items: page.views.map((v) => renderInstance(v, 'open_id', false)),
      has_more: page.next !== null,
      page_token: page.next === null ? undefined : encodeToken({ o: page.next }),
    });
  });
}

function windowOf(start: string, end: string): { from: number; to: number } {
  const from = Number(start) * 1000;
  const to = Number(end) * 1000;
  if (to <= from) fail('INVALID_PARAMETER', 'end_time must be after start_time');
  return { from, to };
}
