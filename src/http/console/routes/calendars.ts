import type { AppDeps, HttpApp } from '../../deps.ts';
import * as repo from '../../../store/repositories/console.ts';
import { renderId } from '../../dingtalk/ids.ts';
import { renderCalendarId } from '../../feishu/ids.ts';
import { roomOfCalendar } from '../../../store/repositories/console-rooms.ts';
import { href } from '../views/parts.tsx';
import { sendPage } from '../render.ts';
import { notFound } from '../not-found.ts';
import { CalendarPage } from '../views/calendar.tsx';

const EVENTS_SHOWN = 200;

/** `GET /console/calendars/:id` (internal calendar id). */
export function calendarRoutes(app: HttpApp, deps: AppDeps): void {
  app.get<{ Params: { id: string } }>('/calendars/:id', async (request, reply) => {
    const db = deps.store.db;
    const [calendar] = await repo.findCalendars(db, [request.params.id]);
    if (!calendar) return notFound(reply, 'No such calendar.');
    const [members, events, room] = await Promise.all([
      repo.calendarMembers(db, calendar.id, 500), repo.calendarEvents(db, calendar.id, EVENTS_SHOWN),
      calendar.type === 'resource' ? roomOfCalendar(db, calendar.id) : undefined,
    ]);
    const owner = calendar.type === 'primary' ? calendar.owner_user_id : null;
    const views = owner ? { week: href.userWeek(owner), day: href.userDay(owner) } : room ? { week: href.roomWeek(room.id), day: href.roomDay(room.id) } : null;
    const names = await repo.namesOf(db, [
      ...(calendar.owner_user_id ? [{ kind: 'user', ref: calendar.owner_user_id }] : []),
      ...members.map((m) => ({ kind: 'user', ref: m.user_id })),
      ...events.map((e) => ({ kind: 'user', ref: e.organizer_id })),
    ]);
    return sendPage(reply, CalendarPage, {
      calendar, dingtalkId: renderId(calendar.id), feishuId: renderCalendarId(calendar.id), members, events, names, limit: EVENTS_SHOWN, views,
    });
  });
}
