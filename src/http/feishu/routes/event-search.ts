import { searchEvents } from '../../../core/events/search-events.ts';
import { fail } from '../../../core/errors.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { decodeToken, encodeToken } from '../../page-token.ts';
import { feishuActor, idTypeOf } from '../context.ts';
import { parseCalendarId } from '../ids.ts';
import { parseTimeBound, renderEvent } from '../mapper.ts';
import { EventSearchReply } from '../replies.ts';
import { FEISHU_READ, ok } from '../reply.ts';
import { CalendarParams, EventSearchBody, EventSearchQuery } from '../schemas.ts';

/** An id filter: a list with ids, or none (an empty list filters nothing). */
const idsOf = (list: string[] | undefined) => (list && list.length > 0 ? list : null);

/**
 * `POST /calendar/v4/calendars/:calendar_id/events/search` (calendarEvent.search and
 * searchWithIterator): `{query, filter: {start_time, end_time, user_ids, room_ids, chat_ids}}`
 * → `{items, page_token, has_more}`, `page_size` ≤ 50 (default 20), the events the caller
 * may see on the calendar. Source: calendar-v4/calendar-event/search.
 */
export function registerEventSearchRoutes(app: HttpApp, deps: AppDeps): void {
  app.post('/calendar/v4/calendars/:calendar_id/events/search', {
    schema: { params: CalendarParams, querystring: EventSearchQuery, body: EventSearchBody, response: { 200: EventSearchReply } },
    config: { feishuScopes: FEISHU_READ },
  }, async (request) => {
    const q = request.query;
    const filter = request.body.filter ?? {};
    const calendarId = parseCalendarId(request.params.calendar_id);
    const from = filter.start_time ? parseTimeBound(filter.start_time, 'filter.start_time') : null;
    const to = filter.end_time ? parseTimeBound(filter.end_time, 'filter.end_time') : null;
    if (from !== null && to !== null && to <= from) fail('INVALID_PARAMETER', 'filter.end_time must be after filter.start_time');
    const after = q.page_token
      ? decodeToken<{ s: number; i: string }>(q.page_token, 'page_token', (v) => Number.isSafeInteger(v.s) && typeof v.i === 'string')
      : null;
    const actor = await feishuActor(deps, request);
    const idType = idTypeOf(q);
    const page = await searchEvents(deps.store.db, actor, { id: calendarId }, {
      text: request.body.query.trim(), from, to, idType,
      userIds: idsOf(filter.user_ids), roomIds: idsOf(filter.room_ids), chatIds: idsOf(filter.chat_ids),
      after: after && { rangeStart: after.s, id: after.i }, limit: q.page_size ?? 20,
    });
    return ok({
      items: page.views.map((v) => renderEvent(v, idType, false)),
      page_token: page.next ? encodeToken({ s: page.next.rangeStart, i: page.next.id }) : undefined,
      has_more: page.next !== null,
    });
  });
}
