// Time and scheduling rows: a month's view of a busy calendar, free/busy of 20 (DingTalk) and 10
// (Feishu) people, and the same one-week view of daily series of growing age. All at one
// connection, so their p50 compares with dingtalk-list-100-c1's (issue 16's targets).
import { call, inParallel, range } from '../lib/api.ts';
import { Work, type Bench } from '../lib/bench.ts';
import { openId, unionId } from '../lib/directory.ts';
import type { DingTalk, Feishu } from '../lib/kalends.ts';
import type { ServerProcess } from '../lib/server-process.ts';
import { walkPages } from './references.ts';

const DAY = 86_400_000;
/** The viewed month and week (UTC+8 local dates). */
export const MONTH = { timeMin: '2031-03-01T00:00:00+08:00', timeMax: '2031-04-01T00:00:00+08:00' };
export const WEEK = { startTime: '2031-03-10T00:00:00+08:00', endTime: '2031-03-17T00:00:00+08:00' };

function at(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19) + '+08:00';
}

function eventBody(summary: string, startMs: number, minutes: number, recurrence?: unknown): string {
  return JSON.stringify({
    summary, start: { dateTime: at(startMs), timeZone: 'Asia/Shanghai' }, end: { dateTime: at(startMs + minutes * 60_000), timeZone: 'Asia/Shanghai' },
    ...(recurrence ? { recurrence } : {}),
  });
}

const DAILY = { pattern: { type: 'daily', interval: 1 }, range: { type: 'noEnd' } };
const WEEKLY = (day: string) => ({ pattern: { type: 'weekly', interval: 1, daysOfWeek: day }, range: { type: 'noEnd' } });
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];

/**
 * A user's calendar with `series` series (half daily, half weekly, begun in 2030 at spread
 * times) and `singles` single events spread over the viewed month.
 */
async function fillCalendar(dt: DingTalk, user: string, series: number, singles: number): Promise<void> {
  const path = `/v1.0/calendar/users/${user}/calendars/primary/events`;
  await inParallel(calendarBodies(series, singles), 8, (body) => call(dt.origin, 'POST', path, body, { ...dt.headers, ...dt.clientToken() }));
}

/** The DingTalk createEvent bodies of fillCalendar's calendar (also bench/micro.ts's). */
export function calendarBodies(series: number, singles: number): string[] {
  const base = Date.parse('2030-06-03T00:00:00+08:00');
  const month = Date.parse(MONTH.timeMin);
  return [
    ...range(series).map((i) => eventBody(`series ${i}`, base + (8 * 60 + (i % 40) * 15) * 60_000, 30, i % 2 === 0 ? DAILY : WEEKLY(DAYS[i % 5]!))),
    ...range(singles).map((i) => eventBody(`single ${i}`, month + (i % 31) * DAY + (9 * 60 + (i % 20) * 20) * 60_000, 45)),
  ];
}

/** listAttendees pages of 100 at one connection: the reference the scheduling rows are held to. */
export async function dingtalkList100c1(bench: Bench, server: ServerProcess, dt: DingTalk): Promise<void> {
  const [eventId] = await dt.createEvents(1);
  for (const b of range(10)) await dt.add(eventId!, JSON.stringify({ attendeesToAdd: range(500).map((u) => ({ id: unionId(b * 500 + u + 1), isOptional: false })) }));
  const pages = await walkPages((token) => dt.listPage(eventId!, 100, token));
  await bench.measure('dingtalk-list-100-c1', server, Work.cycling(pages.map((token) =>
    ({ method: 'GET', path: `${dt.eventPath(eventId!)}/attendees?maxResults=100${token ? `&nextToken=${encodeURIComponent(token)}` : ''}` }))),
  { connections: 1, headers: dt.headers });
}

/**
 * listEventsView of one month for a user with 200 series (100 daily, 100 weekly) and 500 single
 * events: every page of 100 in turn (about 40 pages), one connection.
 */
export async function dingtalkEventsViewMonth(bench: Bench, server: ServerProcess, dt: DingTalk): Promise<void> {
  const user = unionId(11_000);
  await fillCalendar(dt, user, 200, 500);
  const view = `/v1.0/calendar/users/${user}/calendars/primary/eventsview?timeMin=${encodeURIComponent(MONTH.timeMin)}&timeMax=${encodeURIComponent(MONTH.timeMax)}&maxResults=100`;
  const pages = await walkPages(async (token) => {
    const page = await call<{ events: unknown[]; nextToken?: string }>(dt.origin, 'GET', `${view}${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`, undefined, dt.headers);
    return { attendees: page.events, nextToken: page.nextToken };
  });
  await bench.measure('dingtalk-eventsview-month-c1', server, Work.cycling(pages.map((token) =>
    ({ method: 'GET', path: `${view}${token ? `&nextToken=${encodeURIComponent(token)}` : ''}` }))), { connections: 1, headers: dt.headers });
}

/** getSchedule of 20 users for one week, each with 10 series and 30 single events, one connection. */
export async function dingtalkGetSchedule20(bench: Bench, server: ServerProcess, dt: DingTalk): Promise<void> {
  const users = range(20).map((i) => unionId(11_100 + i));
  await inParallel(users, 2, (u) => fillCalendar(dt, u, 10, 30));
  const body = JSON.stringify({ userIds: users, ...WEEK });
  await bench.measure('dingtalk-getschedule-20-c1', server, Work.cycling([{
    method: 'POST', path: `/v1.0/calendar/users/${unionId(0)}/querySchedule`, body,
  }]), { connections: 1, headers: dt.headers });
}

/** freebusy.batch of 10 users (the getSchedule users' first ten) for one week, one connection. */
export async function feishuFreebusyBatch10(bench: Bench, server: ServerProcess, fs: Feishu): Promise<void> {
  const body = JSON.stringify({ time_min: WEEK.startTime, time_max: WEEK.endTime, user_ids: range(10).map((i) => openId(11_100 + i)) });
  await bench.measure('feishu-freebusy-batch-10-c1', server, Work.cycling([{
    method: 'POST', path: '/open-apis/calendar/v4/freebusy/batch?user_id_type=open_id', body,
  }]), { connections: 1, headers: fs.headers });
}

/**
 * The same one-week view of a daily series that began yesterday, a year ago and ten years ago
 * (three users, one series each): what a read costs must not grow with the series' age.
 */
export async function seriesAge(bench: Bench, server: ServerProcess, dt: DingTalk): Promise<void> {
  const weekStart = Date.parse(WEEK.startTime);
  const ages: Array<[string, number]> = [['yesterday', 1], ['1y', 365], ['10y', 3652]];
  for (const [label, days] of ages) {
    const user = unionId(11_200 + ages.findIndex(([l]) => l === label));
    await call(dt.origin, 'POST', `/v1.0/calendar/users/${user}/calendars/primary/events`,
      eventBody('habit', weekStart - days * DAY + 7 * 3_600_000, 15, DAILY), { ...dt.headers, ...dt.clientToken() });
    const path = `/v1.0/calendar/users/${user}/calendars/primary/eventsview?timeMin=${encodeURIComponent(WEEK.startTime)}&timeMax=${encodeURIComponent(WEEK.endTime)}`;
    await bench.measure(`series-age-${label}-c1`, server, Work.cycling([{ method: 'GET', path }]), { connections: 1, headers: dt.headers });
  }
}
