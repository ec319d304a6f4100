import { EmptyDataReply, EventListReply, EventWrappedReply } from '../replies.ts';
import { respondToEvent } from '../../../core/attendees/respond.ts';
import { deleteEvent, patchEvent } from '../../../core/events/change-event.ts';
import { createEvent } from '../../../core/events/create-event.ts';
import { getEvent, listEvents } from '../../../core/events/read-events.ts';
import { fail } from '../../../core/errors.ts';
import type { NotifyChannel } from '../../../core/outbox/notify.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { decodeToken, encodeToken } from '../../page-token.ts';
import { runWrite, sendStored } from '../../plugins/idempotency.ts';
import { feishuActor, idTypeOf } from '../context.ts';
import { parseCalendarId, parseEventId } from '../ids.ts';
import { FEISHU_READ, FEISHU_WRITE, ok } from '../reply.ts';
import { parseCreateEvent, parsePatchEvent, parseRsvp, renderEvent } from '../mapper.ts';
import {
  CalendarParams, CreateEventBody, CreateEventQuery, DeleteEventQuery, EventParams, GetEventQuery, IdTypeQuery,
  ListEventsQuery, PatchEventBody, ReplyBody,
} from '../schemas.ts';

/** Feishu's `need_notification` (default true) as the bot-message channel. */
export function botChannel(needNotification: boolean | undefined): NotifyChannel[] {
  return needNotification === false ? [] : ['bot'];
}

/**
 * Calendar v4 `calendar.event` resource: create (with `idempotency_key`), get (`need_attendee`,
 * `max_attendee_num`), list (Unix-second `start_time`/`end_time`, `page_size` 50–1000 default
 * 500, `page_token`, `sync_token`, `anchor_time`), patch, delete (`need_notification` "true"/
 * "false") and reply (`rsvp_status` accept/decline/tentative).
 */
export function registerEventRoutes(app: HttpApp, deps: AppDeps): void {
  const read = { feishuScopes: FEISHU_READ };
  const write = { feishuScopes: FEISHU_WRITE };
  const base = '/calendar/v4/calendars/:calendar_id/events';

  app.post(base, { schema: { params: CalendarParams, querystring: CreateEventQuery, body: CreateEventBody, response: { 200: EventWrappedReply } }, config: write }, async (request, reply) => {
    const calendarId = parseCalendarId(request.params.calendar_id);
    const input = parseCreateEvent(request.body);
    const actor = await feishuActor(deps, request);
    const idType = idTypeOf(request.query);
    const stored = await runWrite(deps, request, actor.appId, request.query.idempotency_key || undefined, async (tx) => {
      const view = await createEvent(tx, actor, { id: calendarId }, input, [], botChannel(request.body.need_notification), deps.clock.now());
      return ok({ event: renderEvent(view, idType, false) });
    });
    return sendStored(reply, stored);
  });

  app.get(`${base}/:event_id`, { schema: { params: EventParams, querystring: GetEventQuery, response: { 200: EventWrappedReply } }, config: read }, async (request) => {
    const calendarId = parseCalendarId(request.params.calendar_id);
    const eventId = parseEventId(request.params.event_id);
    const actor = await feishuActor(deps, request);
    const q = request.query;
    const view = await getEvent(deps.store.db, actor, { id: calendarId }, eventId, q.need_attendee ? (q.max_attendee_num ?? 100) : 0, false);
    return ok({ event: renderEvent(view, idTypeOf(q), q.need_attendee === true) });
  });

  app.get(base, { schema: { params: CalendarParams, querystring: ListEventsQuery, response: { 200: EventListReply } }, config: read }, async (request) => {
    const q = request.query;
    const calendarId = parseCalendarId(request.params.calendar_id);
    const from = q.start_time ?? q.anchor_time;
    if (q.start_time && q.end_time && Number(q.end_time) < Number(q.start_time)) fail('INVALID_PARAMETER', 'end_time must not be before start_time');
    // A page token carries the first page's sync position (c) as well as the keyset cursor.
    const after = q.page_token ? decodeToken<{ s: number; i: string; c?: number }>(q.page_token, 'page_token', (v) => Number.isSafeInteger(v.s) && typeof v.i === 'string' && (v.c === undefined || Number.isSafeInteger(v.c))) : null;
    const sync = q.sync_token ? decodeToken<{ c: number }>(q.sync_token, 'sync_token', (v) => Number.isSafeInteger(v.c)) : null;
    const actor = await feishuActor(deps, request);
    const list = await listEvents(deps.store.db, actor, { id: calendarId }, {
      from: from ? Number(from) * 1000 : null, to: q.end_time ? Number(q.end_time) * 1000 : null,
      includeDeleted: false, changedAfter: sync ? sync.c : null,
      after: after ? { rangeStart: after.s, id: after.i } : null, syncSeq: after?.c ?? null, limit: q.page_size ?? 500, maxAttendees: 0,
    });
    return ok({
      has_more: list.next !== null,
      page_token: list.next ? encodeToken({ s: list.next.rangeStart, i: list.next.id, c: list.syncSeq }) : undefined,
      sync_token: list.next ? undefined : encodeToken({ c: list.syncSeq }),
      items: list.views.map((v) => renderEvent(v, idTypeOf(q), false)),
    });
  });

  app.patch(`${base}/:event_id`, { schema: { params: EventParams, querystring: IdTypeQuery, body: PatchEventBody, response: { 200: EventWrappedReply } }, config: write }, async (request) => {
    const calendarId = parseCalendarId(request.params.calendar_id);
    const eventId = parseEventId(request.params.event_id);
    const actor = await feishuActor(deps, request);
    const patch = parsePatchEvent(request.body);
    const view = await deps.store.transaction((tx) =>
      patchEvent(tx, actor, { id: calendarId }, eventId, patch, undefined, botChannel(request.body.need_notification), deps.clock.now()));
    return ok({ event: renderEvent(view, idTypeOf(request.query), false) });
  });

  app.delete(`${base}/:event_id`, { schema: { params: EventParams, querystring: DeleteEventQuery, response: { 200: EmptyDataReply } }, config: write }, async (request) => {
    const calendarId = parseCalendarId(request.params.calendar_id);
    const eventId = parseEventId(request.params.event_id);
    const actor = await feishuActor(deps, request);
    const channels = botChannel(request.query.need_notification !== 'false');
    await deps.store.transaction((tx) => deleteEvent(tx, actor, { id: calendarId }, eventId, channels, deps.clock.now()));
    return ok({});
  });

  app.post(`${base}/:event_id/reply`, { schema: { params: EventParams, body: ReplyBody, response: { 200: EmptyDataReply } }, config: write }, async (request) => {
    const calendarId = parseCalendarId(request.params.calendar_id);
    const eventId = parseEventId(request.params.event_id);
    const partstat = parseRsvp(request.body.rsvp_status);
    const actor = await feishuActor(deps, request);
    await deps.store.transaction((tx) => respondToEvent(tx, actor, { id: calendarId }, eventId, partstat, deps.clock.now()));
    return ok({});
  });
}
