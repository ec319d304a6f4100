import { CalendarListReply, CalendarReply, CalendarSearchReply, CalendarWrappedReply, CalendarsReply, EmptyDataReply, PrimaryCalendarsReply } from '../replies.ts';
import {
  createCalendar, deleteCalendar, findCalendarView, listCalendarViews, patchCalendar, primaryCalendarsOf,
  searchCalendars, subscribeToCalendar, unsubscribeFromCalendar, viewCalendar, type CalendarInput,
} from '../../../core/calendars/manage-calendars.ts';
import { KalendsError } from '../../../core/errors.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { decodeToken, encodeToken } from '../../page-token.ts';
import { feishuActor, idTypeOf, userIdIn } from '../context.ts';
import { parseCalendarId } from '../ids.ts';
import { FEISHU_READ, FEISHU_WRITE, ok } from '../reply.ts';
import { renderCalendar } from '../mapper.ts';
import {
  CalendarBody, CalendarListQuery, CalendarParams, IdTypeQuery, MgetBody, PrimarysBody, SearchBody, SearchQuery,
} from '../schemas.ts';

function calendarInput(body: CalendarBody): CalendarInput {
  return { summary: body.summary, description: body.description, permissions: body.permissions, color: body.color, summaryAlias: body.summary_alias };
}

/**
 * Calendar v4 `calendar` resource: create, get, patch, delete, list (page_size 50–1000, default
 * 500; page_token; sync_token), primary, primarys, mget, search, subscribe, unsubscribe.
 */
export function registerCalendarRoutes(app: HttpApp, deps: AppDeps): void {
  const read = { feishuScopes: FEISHU_READ };
  const write = { feishuScopes: FEISHU_WRITE };
  const now = () => deps.clock.now();

  app.post('/calendar/v4/calendars', { schema: { body: CalendarBody, response: { 200: CalendarWrappedReply } }, config: write }, async (request) => {
    const actor = await feishuActor(deps, request);
    const view = await deps.store.transaction((tx) => createCalendar(tx, actor, calendarInput(request.body), now()));
    return ok({ calendar: renderCalendar(view) });
  });

  app.get('/calendar/v4/calendars/:calendar_id', { schema: { params: CalendarParams, response: { 200: CalendarReply } }, config: read }, async (request) => {
    const actor = await feishuActor(deps, request);
    return ok(renderCalendar(await viewCalendar(deps.store.db, actor, { id: parseCalendarId(request.params.calendar_id) })));
  });

  app.patch('/calendar/v4/calendars/:calendar_id', { schema: { params: CalendarParams, body: CalendarBody, response: { 200: CalendarWrappedReply } }, config: write }, async (request) => {
    const actor = await feishuActor(deps, request);
    const id = parseCalendarId(request.params.calendar_id);
    const view = await deps.store.transaction((tx) => patchCalendar(tx, actor, { id }, calendarInput(request.body), now()));
    return ok({ calendar: renderCalendar(view) });
  });

  app.delete('/calendar/v4/calendars/:calendar_id', { schema: { params: CalendarParams, response: { 200: EmptyDataReply } }, config: write }, async (request) => {
    const actor = await feishuActor(deps, request);
    const id = parseCalendarId(request.params.calendar_id);
    await deps.store.transaction((tx) => deleteCalendar(tx, actor, { id }, now()));
    return ok({});
  });

  app.get('/calendar/v4/calendars', { schema: { querystring: CalendarListQuery, response: { 200: CalendarListReply } }, config: read }, async (request) => {
    const q = request.query;
    const offset = q.page_token ? decodeToken<{ o: number }>(q.page_token, 'page_token', (v) => Number.isSafeInteger(v.o) && (v.o as number) >= 0).o : 0;
    const since = q.sync_token ? decodeToken<{ t: number }>(q.sync_token, 'sync_token', (v) => Number.isSafeInteger(v.t)).t : null;
    const actor = await feishuActor(deps, request);
    const views = await listCalendarViews(deps.store.db, actor, since);
    const size = q.page_size ?? 500;
    const page = views.slice(offset, offset + size);
    const hasMore = offset + size < views.length;
    return ok({
      has_more: hasMore,
      page_token: hasMore ? encodeToken({ o: offset + size }) : undefined,
      sync_token: hasMore ? undefined : encodeToken({ t: deps.clock.now() }),
      calendar_list: page.map(renderCalendar),
    });
  });

  app.post('/calendar/v4/calendars/primary', { schema: { querystring: IdTypeQuery, response: { 200: PrimaryCalendarsReply } }, config: read }, async (request) => {
    const actor = await feishuActor(deps, request);
    const view = await viewCalendar(deps.store.db, actor, { primary: true });
    return ok({ calendars: [{ calendar: renderCalendar(view), user_id: userIdIn(actor.user, idTypeOf(request.query)) }] });
  });

  app.post('/calendar/v4/calendars/primarys', { schema: { querystring: IdTypeQuery, body: PrimarysBody, response: { 200: PrimaryCalendarsReply } }, config: read }, async (request) => {
    const actor = await feishuActor(deps, request);
    const idType = idTypeOf(request.query);
    const found = await primaryCalendarsOf(deps.store.db, actor, request.body.user_ids, idType);
    return ok({ calendars: found.map(({ user, view }) => ({ calendar: renderCalendar(view), user_id: userIdIn(user, idType) })) });
  });

  app.post('/calendar/v4/calendars/mget', { schema: { querystring: IdTypeQuery, body: MgetBody, response: { 200: CalendarsReply } }, config: read }, async (request) => {
    const actor = await feishuActor(deps, request);
    const calendars = [];
    for (const calendarId of request.body.calendar_ids) {
      try {
        calendars.push(renderCalendar(await findCalendarView(deps.store.db, actor, { id: parseCalendarId(calendarId) })));
      } catch (error) {
        if (!(error instanceof KalendsError) || !['CALENDAR_NOT_FOUND', 'CALENDAR_DELETED', 'CALENDAR_ID_INVALID'].includes(error.code)) throw error;
      }
    }
    return ok({ calendars });
  });

  app.post('/calendar/v4/calendars/search', { schema: { querystring: SearchQuery, body: SearchBody, response: { 200: CalendarSearchReply } }, config: read }, async (request) => {
    const q = request.query;
    const offset = q.page_token ? decodeToken<{ o: number }>(q.page_token, 'page_token', (v) => Number.isSafeInteger(v.o) && (v.o as number) >= 0).o : 0;
    const size = q.page_size ?? 20;
    const actor = await feishuActor(deps, request);
    const views = await searchCalendars(deps.store.db, actor, request.body.query, offset + size + 1);
    const page = views.slice(offset, offset + size);
    return ok({ items: page.map(renderCalendar), page_token: views.length > offset + size ? encodeToken({ o: offset + size }) : undefined });
  });

  app.post('/calendar/v4/calendars/:calendar_id/subscribe', { schema: { params: CalendarParams, response: { 200: CalendarWrappedReply } }, config: write }, async (request) => {
    const actor = await feishuActor(deps, request);
    const id = parseCalendarId(request.params.calendar_id);
    const view = await deps.store.transaction((tx) => subscribeToCalendar(tx, actor, { id }, now()));
    return ok({ calendar: renderCalendar(view) });
  });

  app.post('/calendar/v4/calendars/:calendar_id/unsubscribe', { schema: { params: CalendarParams, response: { 200: EmptyDataReply } }, config: write }, async (request) => {
    const actor = await feishuActor(deps, request);
    const id = parseCalendarId(request.params.calendar_id);
    await deps.store.transaction((tx) => unsubscribeFromCalendar(tx, actor, { id }, now()));
    return ok({});
  });
}
