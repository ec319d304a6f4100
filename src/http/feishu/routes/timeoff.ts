import { findAttendeeUserIds } from '../../../core/attendees/attendee-user-ids.ts';
import { fail } from '../../../core/errors.ts';
import type { EventTime } from '../../../core/events/event.ts';
import { createTimeOff, deleteTimeOff } from '../../../core/events/time-off.ts';
import { isTimeZone, parseIsoDate } from '../../../core/time/zoned.ts';
import { findUserById } from '../../../store/repositories/directory.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { feishuActor, idTypeOf } from '../context.ts';
import { FEISHU_WRITE, ok } from '../reply.ts';
import { TimeOffBody, TimeOffParams, UserIdTypeQuery } from '../schemas.ts';
import { EmptyDataReply, TimeOffReply } from '../replies.ts';

const ID = /^timeoff:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * Calendar v4 time-off events: `POST /calendar/v4/timeoff_events` puts a time-off on a user's
 * calendar (by Unix seconds a timed event, by dates an all-day one through the end date;
 * default titles as the platform's) and answers it as given with its `timeoff_event_id`
 * (`timeoff:…`); `DELETE /calendar/v4/timeoff_events/:timeoff_event_id` removes one this app
 * made. The time-off shows in the user's calendar and free/busy. Sources:
 * calendar-v4/timeoff_event/create, /delete, /introduction.
 */
export function registerTimeOffRoutes(app: HttpApp, deps: AppDeps): void {
  const config = { feishuScopes: FEISHU_WRITE };

  app.post('/calendar/v4/timeoff_events', { schema: { querystring: UserIdTypeQuery, body: TimeOffBody, response: { 200: TimeOffReply } }, config }, async (request) => {
    const body = request.body;
    if (!isTimeZone(body.timezone)) fail('INVALID_PARAMETER', `timezone is not a known time zone: ${body.timezone}`);
    const start = timeOf(body.start_time, body.timezone, 'start_time');
    const end = timeOf(body.end_time, body.timezone, 'end_time');
    if ('date' in start !== 'date' in end) fail('INVALID_PARAMETER', 'start_time and end_time must both be dates or both be Unix seconds');
    const actor = await feishuActor(deps, request);
    const idType = idTypeOf(request.query);
    const found = (await findAttendeeUserIds(deps.store.db, actor.tenantId, idType, [body.user_id])).get(body.user_id);
    const user = found && (await findUserById(deps.store.db, found.id));
    if (!user) fail('USER_NOT_FOUND', 'user is dismiss or not exist in the tenant');
    const allDay = 'date' in start;
    const event = await deps.store.transaction((tx) => createTimeOff(tx, actor, user, {
      start, end, title: body.title || (allDay ? '请假中(全天) / 1-Day Time Off' : '请假中 / Time Off'), description: body.description ?? '',
      record: { timezone: body.timezone, start: body.start_time, end: body.end_time },
    }, deps.clock.now()));
    return ok({
      timeoff_event_id: `timeoff:${event.id}`, user_id: body.user_id, timezone: body.timezone,
      start_time: body.start_time, end_time: body.end_time, title: event.summary, description: event.description,
    });
  });

  app.delete('/calendar/v4/timeoff_events/:timeoff_event_id', { schema: { params: TimeOffParams, response: { 200: EmptyDataReply } }, config }, async (request) => {
    const id = ID.exec(request.params.timeoff_event_id)?.[1] ?? '';
    const actor = await feishuActor(deps, request);
    await deps.store.transaction((tx) => deleteTimeOff(tx, actor, id, deps.clock.now()));
    return ok({});
  });
}

function timeOf(value: string, timeZone: string, field: string): EventTime {
  if (/^\d{1,12}$/.test(value)) return { instant: Number(value) * 1000, timeZone };
  parseIsoDate(value, field);
  return { date: value };
}
