import type { ErrorCode } from '../../../core/errors.ts';
import { fail, KalendsError } from '../../../core/errors.ts';
import { roomFreeBusy, schedulesOf, userFreeBusy, type BusyItem, type BusySpan } from '../../../core/schedule/free-busy.ts';
import { formatZoned, parseIsoDateTime } from '../../../core/time/zoned.ts';
import { findAttendeeUserIds } from '../../../core/attendees/attendee-user-ids.ts';
import { findRoom } from '../../../store/repositories/directory.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { feishuActor, idTypeOf } from '../context.ts';
import { RSVP } from '../mapper.ts';
import { FEISHU_READ, ok } from '../reply.ts';
import { FreeBusyBatchBody, FreeBusyListBody, UserIdTypeQuery } from '../schemas.ts';
import { FreeBusyBatchReply, FreeBusyListReply } from '../replies.ts';

const DAY = 86_400_000;
/** freebusy.list: "time_min 与 time_max 之间的时间区间不能超过 90 天". */
const LIST_MAX_SPAN = 90 * DAY;
/** freebusy.batch: at most two weeks (198003) and 1–10 users (198001). */
const BATCH_MAX_SPAN = 14 * DAY;
const BATCH_MAX_USERS = 10;

/**
 * Calendar v4 free/busy: `POST /calendar/v4/freebusy/list` (one user's primary calendar, or one
 * meeting room by `room_id`; `user_id` wins when both are given; at most 90 days) and
 * `POST /calendar/v4/freebusy/batch` (1–10 users, at most two weeks). Times are RFC 3339; the
 * busy spans come from the same expansion as the views (recurring events expanded, declined
 * invitations free); `only_busy` (default true) leaves events marked free out;
 * `need_rsvp_status` adds each span's `rsvp_status`. Sources: calendar-v4/calendar/list (the
 * free/busy page) and calendar-v4/calendar/batch.
 */
export function registerFreeBusyRoutes(app: HttpApp, deps: AppDeps): void {
  const config = { feishuScopes: FEISHU_READ };

  app.post('/calendar/v4/freebusy/list', { schema: { querystring: UserIdTypeQuery, body: FreeBusyListBody, response: { 200: FreeBusyListReply } }, config }, async (request) => {
    const body = request.body;
    const { from, to } = windowOf(body.time_min, body.time_max, LIST_MAX_SPAN, 'INVALID_PARAMETER', 'INVALID_PARAMETER');
    const actor = await feishuActor(deps, request);
    const opts = { includeFree: body.only_busy === false };
    let items: Array<BusyItem<BusySpan>>;
    if (body.user_id) {
      const user = (await findAttendeeUserIds(deps.store.db, actor.tenantId, idTypeOf(request.query), [body.user_id])).get(body.user_id);
      if (!user) fail('USER_NOT_FOUND', 'user is dismiss or not exist in the tenant');
      items = await userFreeBusy(deps.store.db, actor.tenantId, user.id, from, to, opts);
    } else if (body.room_id) {
      const room = await findRoom(deps.store.db, actor.tenantId, body.room_id);
      if (!room) fail('INVALID_PARAMETER', `room_id not found: ${body.room_id}`);
      items = await roomFreeBusy(deps.store.db, actor.tenantId, room.id, from, to);
    } else {
      fail('INVALID_PARAMETER', 'user_id or room_id is required');
    }
    return ok({ freebusy_list: items.map((i) => renderItem(i, body.need_rsvp_status === true)) });
  });

  app.post('/calendar/v4/freebusy/batch', { schema: { querystring: UserIdTypeQuery, body: FreeBusyBatchBody, response: { 200: FreeBusyBatchReply } }, config }, async (request) => {
    const body = request.body;
    if (body.user_ids.length < 1 || body.user_ids.length > BATCH_MAX_USERS) fail('SCHEDULE_USER_COUNT', `user_ids takes 1 to ${BATCH_MAX_USERS} users`);
    const { from, to } = windowOf(body.time_min, body.time_max, BATCH_MAX_SPAN, 'SCHEDULE_TIME_FORMAT', 'SCHEDULE_TIME_RANGE');
    const actor = await feishuActor(deps, request);
    const answers = await schedulesOf(deps.store.db, actor.tenantId, idTypeOf(request.query), body.user_ids, from, to, { includeFree: body.only_busy === false });
    const missing = answers.find((a) => 'error' in a);
    if (missing) fail('USER_NOT_FOUND', `user is dismiss or not exist in the tenant: ${missing.id}`);
    return ok({
      freebusy_lists: answers.map((a) => ({
        user_id: a.id, freebusy_items: 'items' in a ? a.items.map((i) => renderItem(i, body.need_rsvp_status === true)) : [],
      })),
    });
  });
}

function windowOf(min: string, max: string, maxSpan: number, formatCode: ErrorCode, rangeCode: ErrorCode): { from: number; to: number } {
  const parse = (value: string, field: string) => {
    try {
      return parseIsoDateTime(value, field).instant;
    } catch (e) {
      if (e instanceof KalendsError) fail(formatCode, `${field} must be an RFC 3339 time, got ${JSON.stringify(value)}`);
      throw e;
    }
  };
  const from = parse(min, 'time_min');
  const to = parse(max, 'time_max');
  if (to <= from) fail(rangeCode, 'time_max must be after time_min');
  if (to - from > maxSpan) fail(rangeCode, `the time range of time_min and time_max exceeds ${maxSpan / DAY} days`);
  return { from, to };
}

function renderItem(item: BusyItem<BusySpan>, withRsvp: boolean) {
  const zone = 'timeZone' in item.event.start ? item.event.start.timeZone : 'UTC';
  return {
    start_time: formatZoned(item.start, zone),
    end_time: formatZoned(item.end, zone),
    ...(withRsvp ? { rsvp_status: RSVP[item.partstat] } : {}),
  };
}
