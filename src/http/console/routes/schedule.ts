import type { FastifyReply } from 'fastify';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { fail } from '../../../core/errors.ts';
import { roomCalendarView, userCalendarView, type CalendarView, type WindowIn } from '../../../core/schedule/calendar-view.ts';
import { parseIsoDate } from '../../../core/time/zoned.ts';
import * as repo from '../../../store/repositories/console.ts';
import { findRoomById } from '../../../store/repositories/console-rooms.ts';
import { findTenant } from '../../../store/repositories/directory.ts';
import { queryParam } from '../form.ts';
import { notFound } from '../not-found.ts';
import { sendPage } from '../render.ts';
import { addDays, gridDays, layoutGrid, localDate, mondayOf, type GridDay } from '../time-grid.ts';
import { SchedulePage, type ScheduleSubject } from '../views/schedule.tsx';

type Mode = 'week' | 'day';

/** The years a view may show: enough for any calendar, and every date of them a valid JS Date. */
const YEARS = { min: 1900, max: 9998 };

/**
 * `GET /console/users/:id/week|day?date=YYYY-MM-DD` and `GET /console/rooms/:id/week|day?date=…`
 * (internal ids): a user's or a room's calendar on a time grid in the calendar's time zone, the
 * ISO week (Monday to Sunday) or the day of `date`, today by the server's (sandbox) clock when
 * none is given. A malformed date is a 400 page.
 */
export function scheduleRoutes(app: HttpApp, deps: AppDeps): void {
  for (const mode of ['week', 'day'] as const) {
    app.get<{ Params: { id: string } }>(`/users/:id/${mode}`, async (request, reply) => {
      const db = deps.store.db;
      const user = await repo.findUser(db, request.params.id);
      if (!user) return notFound(reply, 'No such user.');
      const picker = pickWindow(mode, requestedDate(request.query), deps.clock.now());
      const view = await userCalendarView(db, user.tenant_id, user.id, picker.windowIn);
      const tenant = await findTenant(db, user.tenant_id);
      const subject: ScheduleSubject = { kind: 'user', id: user.id, name: user.name, facts: [['Tenant', tenant?.name ?? user.tenant_id]] };
      return render(reply, `/console/users/${encodeURIComponent(user.id)}`, mode, subject, view, picker);
    });
    app.get<{ Params: { id: string } }>(`/rooms/:id/${mode}`, async (request, reply) => {
      const db = deps.store.db;
      const room = await findRoomById(db, request.params.id);
      if (!room) return notFound(reply, 'No such room.');
      const picker = pickWindow(mode, requestedDate(request.query), deps.clock.now());
      const view = await roomCalendarView(db, room, picker.windowIn);
      const tenant = await findTenant(db, room.tenant_id);
      const subject: ScheduleSubject = {
        kind: 'room', id: room.id, name: room.name,
        facts: [['Room id', room.room_id], ['Capacity', room.capacity === null ? '' : String(room.capacity)], ['Tenant', tenant?.name ?? room.tenant_id]],
      };
      return render(reply, `/console/rooms/${encodeURIComponent(room.id)}`, mode, subject, view, picker);
    });
  }
}

/** The `date` parameter, checked: '' when absent. @throws KalendsError INVALID_PARAMETER. */
function requestedDate(query: unknown): string {
  const date = queryParam(query, 'date');
  if (date === '') return '';
  parseIsoDate(date, 'date');
  const year = Number(date.slice(0, 4));
  if (year < YEARS.min || year > YEARS.max) fail('INVALID_PARAMETER', `date must be in the years ${YEARS.min} to ${YEARS.max}, got ${JSON.stringify(date)}`);
  return date;
}

interface Picker {
  windowIn: WindowIn;
  /** Filled once the core called windowIn with the calendar's zone. */
  picked: { date: string; today: string; days: GridDay[] };
}

/** The days shown (the week or the day of `date`, else of today) once the calendar's zone is known. */
function pickWindow(mode: Mode, date: string, now: number): Picker {
  const picker: Picker = {
    picked: { date, today: '', days: [] },
    windowIn: (timeZone) => {
      const today = localDate(now, timeZone);
      const shown = date || today;
      const days = mode === 'week' ? gridDays(mondayOf(shown), 7, timeZone) : gridDays(shown, 1, timeZone);
      picker.picked = { date: shown, today, days };
      return { from: days[0]!.start, to: days[days.length - 1]!.end };
    },
  };
  return picker;
}

function render(reply: FastifyReply, base: string, mode: Mode, subject: ScheduleSubject, view: CalendarView, picker: Picker): FastifyReply {
  const { date, today, days } = picker.picked;
  const step = mode === 'week' ? 7 : 1;
  const at = (m: Mode, d: string) => `${base}/${m}?date=${d}`;
  return sendPage(reply, SchedulePage, {
    subject, mode, date, today, timeZone: view.timeZone, calendarId: view.calendarId,
    grid: layoutGrid(days, view.items, view.timeZone),
    nav: { previous: at(mode, addDays(date, -step)), next: at(mode, addDays(date, step)), today: `${base}/${mode}`, other: at(mode === 'week' ? 'day' : 'week', date) },
    dayHref: (d: string) => at('day', d),
  });
}
