import type { Actor } from '../../../core/actor.ts';
import { SCOPES } from '../../../core/auth/scopes.ts';
import { fail } from '../../../core/errors.ts';
import type { EventTime } from '../../../core/events/event.ts';
import { schedulesOf, type BusyItem, type BusySpan } from '../../../core/schedule/free-busy.ts';
import { parseIsoDateTime } from '../../../core/time/zoned.ts';
import { KalendsError } from '../../../core/errors.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { actingUser, tokenUser } from '../context.ts';
import { renderTime } from '../mapper.ts';
import { ScheduleBody, UserParams } from '../schemas.ts';
import { ScheduleReply } from '../replies.ts';

/** getSchedule: "userIds … 最多 20 个". */
const MAX_USERS = 20;

type Body = (typeof ScheduleBody)['static'];

/**
 * getSchedule: `POST /v1.0/calendar/users/{userId}/querySchedule`, and getScheduleByMe:
 * `POST /v1.0/calendar/me/schedules/query` with a user access token. Body `userIds` (unionIds,
 * at most 20, else 400 paramIllegal), `startTime`, `endTime` (ISO 8601, `Z` or offset). Reply
 * `scheduleInformation[{userId, error, scheduleItems[{status BUSY|TENTATIVE, start, end}]}]`:
 * free and declined time is absent, and a person who cannot be answered is reported in-band in
 * `error`. Timed items are given in the event's time zone, all-day items as dates in `UTC`.
 * Source: 获取用户忙闲信息 (free-schedule).
 */
export function registerGetSchedule(app: HttpApp, deps: AppDeps): void {
  const config = { scope: SCOPES.eventRead };
  app.post('/calendar/users/:userId/querySchedule', { schema: { params: UserParams, body: ScheduleBody, response: { 200: ScheduleReply } }, config }, async (request) =>
    schedule(deps, await actingUser(deps, request, request.params.userId), request.body));
  app.post('/calendar/me/schedules/query', { schema: { body: ScheduleBody, response: { 200: ScheduleReply } }, config }, async (request) =>
    schedule(deps, await tokenUser(deps, request), request.body));
}

async function schedule(deps: AppDeps, actor: Actor, body: Body) {
  if (body.userIds.length === 0 || body.userIds.length > MAX_USERS) fail('SCHEDULE_USER_COUNT', `PARAM ILLEGAL: userIds takes 1 to ${MAX_USERS} users`);
  const from = time(body.startTime, 'startTime');
  const to = time(body.endTime, 'endTime');
  if (to <= from) fail('SCHEDULE_TIME_FORMAT', 'PARAM ILLEGAL: endTime must be after startTime');
  const answers = await schedulesOf(deps.store.db, actor.tenantId, 'union_id', body.userIds, from, to, { includeFree: false });
  return {
    scheduleInformation: answers.map((a) => 'error' in a
      ? { userId: a.id, error: 'user not found', scheduleItems: [] }
      : { userId: a.id, scheduleItems: a.items.map(renderItem) }),
  };
}

function time(value: string, field: string): number {
  try {
    return parseIsoDateTime(value, field).instant;
  } catch (e) {
    if (e instanceof KalendsError) fail('SCHEDULE_TIME_FORMAT', `PARAM ILLEGAL: ${e.message}`);
    throw e;
  }
}

function renderItem(item: BusyItem<BusySpan>) {
  return { status: item.status, start: itemTime(item.event.start), end: itemTime(item.event.end) };
}

function itemTime(t: EventTime) {
  return 'date' in t ? { date: t.date, timeZone: 'UTC' } : renderTime(t);
}
