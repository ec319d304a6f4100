// The console's week and day views (issue 16, "Seen by a person"): a user's and a room's calendar
// on a time grid in the calendar's time zone, made through the Feishu SDK against a real Kalends
// and looked at in headless Chromium, with full-page screenshots in test-output/console/.
// Alice's week of 2032-01-12 (Asia/Shanghai, the calendars' default zone) holds a Mon/Wed/Fri
// series with the Wednesday moved to Thursday and the Friday cancelled, single events shaded by
// what free/busy reports (busy, free, tentative for an unanswered invitation, none for a declined
// one) and an all-day event; the room Orion is booked on the series and on one more meeting.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildFeishuFixture } from './helpers/feishu-directory.ts';
import { TZ, as, fsClient, lark, ok, primaryCalendarId, timedEvent, unix, userToken } from './helpers/feishu.ts';
import { launchChromium, screenshot, visibleText } from './helpers/console.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const ADMIN_TOKEN = 'calendar-view-admin-0123456789abcdef';
const fx = buildFeishuFixture({ tag: 'cview' });
const { users, app, room } = fx.acme;
const { alice, bob } = users;

let srv: KalendsServer;
let client: lark.Client;
let browser: Browser;
let page: Page;
/** The series' Feishu id `<uid>_0`; its internal id (what the console's addresses use) is the uid. */
let seriesUid = '';
let aliceUrl = '';

/** One item on the grid as the browser shows it. */
interface Shown { text: string; kind: string; busy: string; href: string; occurrence: string; date: string; allDay: boolean }

async function itemsShown(): Promise<Shown[]> {
  return page.$$eval('.tg a.ev, .tg a.allday', (els) => els.map((el) => ({
    text: (el as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
    kind: el.getAttribute('data-kind') ?? '',
    busy: el.getAttribute('data-busy') ?? '',
    href: el.getAttribute('href') ?? '',
    occurrence: el.getAttribute('data-occurrence') ?? '',
    date: el.closest('.col')?.getAttribute('data-date') ?? '',
    allDay: el.classList.contains('allday'),
  })));
}

function one(items: Shown[], summary: string): Shown {
  const found = items.filter((i) => i.text.includes(summary));
  assert.equal(found.length, 1, `exactly one item "${summary}" in ${JSON.stringify(items.map((i) => i.text))}`);
  return found[0]!;
}

before(async () => {
  srv = await startServer({ directory: fx.directory, extraArgs: ['--rate-limit', 'off', '--admin-token', ADMIN_TOKEN] });
  client = fsClient(srv.baseUrl, app);
  const aliceTok = await userToken(client, srv.baseUrl, app.appId, alice.openId);
  const bobTok = await userToken(client, srv.baseUrl, app.appId, bob.openId);
  const aliceCal = await primaryCalendarId(client, aliceTok);
  const bobCal = await primaryCalendarId(client, bobTok);
  const create = async (cal: string, tok: string, body: Record<string, unknown>) =>
    ok(await client.calendar.v4.calendarEvent.create({ path: { calendar_id: cal }, data: body as any }, as(tok)), 'create').event.event_id as string;
  const attend = async (cal: string, tok: string, eventId: string, attendees: Array<Record<string, unknown>>) =>
    ok(await client.calendar.v4.calendarEventAttendee.create({
      path: { calendar_id: cal, event_id: eventId }, params: { user_id_type: 'open_id' }, data: { attendees: attendees as any, need_notification: false },
    }, as(tok)), 'add attendees');

  // The series: Mon, Wed, Fri 15:00–16:00 for three weeks from Monday 2032-01-05, in room Orion.
  const seriesId = await create(aliceCal, aliceTok, timedEvent('Weekly review', '2032-01-05T15:00:00+08:00', 60, { recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE,FR;COUNT=9' }));
  seriesUid = seriesId.replace(/_0$/, '');
  await attend(aliceCal, aliceTok, seriesId, [{ type: 'resource', room_id: room.roomId }]);
  // Wednesday 01-14 moved to Thursday 01-15 11:00; Friday 01-16 cancelled.
  const moved = Number(unix('2032-01-15T11:00:00+08:00'));
  ok(await client.calendar.v4.calendarEvent.patch({
    path: { calendar_id: aliceCal, event_id: `${seriesUid}_${unix('2032-01-14T15:00:00+08:00')}` },
    data: { summary: 'Weekly review (moved)', start_time: { timestamp: String(moved), timezone: TZ }, end_time: { timestamp: String(moved + 3600), timezone: TZ } },
  }, as(aliceTok)), 'move one occurrence');
  ok(await client.calendar.v4.calendarEvent.delete({
    path: { calendar_id: aliceCal, event_id: `${seriesUid}_${unix('2032-01-16T15:00:00+08:00')}` }, params: { need_notification: 'false' } as any,
  }, as(aliceTok)), 'cancel one occurrence');

  // Single events: one overlapping Monday's occurrence, one marked free, an all-day one.
  await create(aliceCal, aliceTok, timedEvent('Design sync', '2032-01-12T15:30:00+08:00', 60));
  await create(aliceCal, aliceTok, timedEvent('Focus time', '2032-01-13T14:00:00+08:00', 180, { free_busy_status: 'free' }));
  await create(aliceCal, aliceTok, { summary: 'Offsite', start_time: { date: '2032-01-16' }, end_time: { date: '2032-01-16' } });
  // Bob's invitations: one Alice has not answered (tentative), one she declined.
  const oneOnOne = await create(bobCal, bobTok, timedEvent('Bob 1:1', '2032-01-14T10:00:00+08:00', 30));
  await attend(bobCal, bobTok, oneOnOne, [{ type: 'user', user_id: alice.openId }]);
  const demo = await create(bobCal, bobTok, timedEvent('Vendor demo', '2032-01-15T16:00:00+08:00', 60));
  await attend(bobCal, bobTok, demo, [{ type: 'user', user_id: alice.openId }]);
  ok(await client.calendar.v4.calendarEvent.reply({ path: { calendar_id: aliceCal, event_id: demo }, data: { rsvp_status: 'decline' } }, as(aliceTok)), 'alice declines');
  // Bob's board meeting in Orion (Alice not invited).
  const board = await create(bobCal, bobTok, timedEvent('Board meeting', '2032-01-13T10:00:00+08:00', 90));
  await attend(bobCal, bobTok, board, [{ type: 'resource', room_id: room.roomId }]);

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(15_000);
  await page.goto(`${srv.baseUrl}/console?token=${ADMIN_TOKEN}`);
  assert.match(page.url(), /\/console$/);
});

after(async () => {
  await browser?.close();
  await srv?.cleanup();
});

describe('console week and day views', () => {
  it('the user page links to the week; the week shows each occurrence and event, marked and shaded as free/busy has it', async () => {
    await page.goto(`${srv.baseUrl}/console/search?q=${alice.openId}`);
    await page.locator('table a', { hasText: 'Alice' }).first().click();
    await page.waitForURL(/\/console\/users\/[^/]+$/);
    aliceUrl = page.url();
    await page.locator('a', { hasText: 'Week' }).first().click();
    await page.waitForURL(/\/week$/);
    await page.goto(`${aliceUrl}/week?date=2032-01-14`);
    const text = await visibleText(page);
    assert.ok(text.includes('Mon 2032-01-12 – Sun 2032-01-18'), 'the ISO week of the date');
    assert.ok(text.includes('Asia/Shanghai'), 'the calendar time zone');
    assert.ok(text.includes('8 items'));

    const items = await itemsShown();
    assert.equal(items.length, 8, JSON.stringify(items.map((i) => i.text)));
    const occurrence = items.find((i) => i.text.startsWith('15:00–16:00') && i.date === '2032-01-12')!;
    assert.deepEqual([occurrence.kind, occurrence.busy, occurrence.occurrence], ['occurrence', 'BUSY', '2032-01-12']);
    assert.equal(occurrence.href, `/console/events/${seriesUid}`, 'an expanded occurrence links to its series');
    assert.ok(occurrence.text.includes('repeats'));

    const moved = one(items, 'Weekly review (moved)');
    assert.deepEqual([moved.kind, moved.busy, moved.date, moved.occurrence], ['exception', 'BUSY', '2032-01-15', '2032-01-14']);
    assert.ok(moved.text.includes('11:00–12:00') && moved.text.includes('changed'), moved.text);
    assert.match(moved.href, /^\/console\/events\/[0-9a-f-]{36}$/);
    assert.notEqual(moved.href, occurrence.href, 'an exception links to its own row');

    const cancelled = items.filter((i) => i.kind === 'cancelled');
    assert.equal(cancelled.length, 1);
    assert.deepEqual([cancelled[0]!.date, cancelled[0]!.busy, cancelled[0]!.occurrence], ['2032-01-16', 'none', '2032-01-16']);
    assert.ok(cancelled[0]!.text.includes('cancelled') && cancelled[0]!.text.includes('15:00–16:00'));
    const struck = await page.$eval('.tg a.kind-cancelled .s', (el) => getComputedStyle(el).textDecorationLine);
    assert.equal(struck, 'line-through');
    assert.ok(Number(await page.$eval('.tg a.kind-cancelled', (el) => getComputedStyle(el).opacity)) < 1, 'ghosted');

    // Nothing else of the series that week: Monday, the moved Wednesday, the cancelled Friday.
    assert.equal(items.filter((i) => i.text.includes('Weekly review')).length, 3);
    assert.deepEqual([one(items, 'Design sync').busy, one(items, 'Design sync').kind], ['BUSY', 'single']);
    assert.equal(one(items, 'Focus time').busy, 'FREE');
    assert.equal(one(items, 'Bob 1:1').busy, 'TENTATIVE', 'an unanswered invitation is tentative');
    const declined = one(items, 'Vendor demo');
    assert.equal(declined.busy, 'none', 'a declined invitation takes no time');
    assert.ok(declined.text.includes('not busy'));
    const offsite = one(items, 'Offsite');
    assert.equal(offsite.allDay, true);
    assert.match(await page.$eval('.tg a.allday', (el) => el.getAttribute('style') ?? ''), /grid-column:6\/7/, 'Friday, the fifth day');

    // Overlapping blocks sit side by side; shading differs by status.
    const [left, right] = await page.$$eval('.col[data-date="2032-01-12"] a.ev', (els) => els.map((el) => el.getBoundingClientRect().left));
    assert.ok(left !== undefined && right !== undefined && Math.abs(left - right) > 20, 'two lanes on Monday');
    const shade = (cls: string) => page.$eval(`.tg a.${cls}`, (el) => getComputedStyle(el).backgroundImage + getComputedStyle(el).backgroundColor);
    assert.notEqual(await shade('busy-BUSY'), await shade('busy-TENTATIVE'));
    assert.notEqual(await shade('busy-BUSY'), await shade('busy-FREE'));
    await screenshot(page, 'calendar-01-user-week');

    // Each item opens its event page: the exception's own row.
    await page.click('.tg a.kind-exception');
    await page.waitForURL(/\/console\/events\//);
    let event = await visibleText(page);
    assert.ok(event.includes('Weekly review (moved)'));
    assert.ok(event.includes(`Occurrence of ${seriesUid} (its series) Original start 2032-01-14T07:00:00.000Z`), 'the exception names its series');
    await screenshot(page, 'calendar-05-exception-event');
    // The cancelled occurrence opens its (deleted) exception row.
    await page.goBack();
    await page.click('.tg a.kind-cancelled');
    await page.waitForURL(/\/console\/events\//);
    event = await visibleText(page);
    assert.ok(event.includes('State deleted') && event.includes('Original start 2032-01-16T07:00:00.000Z'), event);
  });

  it('previous and next week: the series goes on before, and ends after its ninth occurrence', async () => {
    await page.goto(`${aliceUrl}/week?date=2032-01-12`);
    await page.click('a[rel=prev]');
    await page.waitForURL(/date=2032-01-05/);
    const before = await itemsShown();
    assert.deepEqual(before.map((i) => [i.date, i.kind]), [['2032-01-05', 'occurrence'], ['2032-01-07', 'occurrence'], ['2032-01-09', 'occurrence']]);
    await page.goto(`${aliceUrl}/week?date=2032-01-19`);
    assert.equal((await itemsShown()).filter((i) => i.kind === 'occurrence').length, 3);
    await page.click('a[rel=next]');
    await page.waitForURL(/date=2032-01-26/);
    assert.equal((await itemsShown()).length, 0);
    assert.ok((await visibleText(page)).includes('0 items'));
  });

  it('the day view, from a day heading of the week: Thursday with the moved occurrence and the declined demo', async () => {
    await page.goto(`${aliceUrl}/week?date=2032-01-12`);
    await page.click('.tg div.h[data-date="2032-01-15"] a');
    await page.waitForURL(/\/day\?date=2032-01-15$/);
    const items = await itemsShown();
    assert.deepEqual(items.map((i) => [i.kind, i.busy]), [['exception', 'BUSY'], ['single', 'none']]);
    assert.ok((await visibleText(page)).includes('Thu 2032-01-15'));
    await screenshot(page, 'calendar-02-user-day');
    await page.click('a[rel=prev]');
    await page.waitForURL(/date=2032-01-14/);
    assert.deepEqual((await itemsShown()).map((i) => i.text.includes('Bob 1:1')), [true], 'Wednesday: only the 1:1, its occurrence moved away');
    await page.click('a[rel=next]');
    await page.click('a[rel=next]');
    await page.waitForURL(/date=2032-01-16/);
    const friday = await itemsShown();
    assert.deepEqual(friday.map((i) => i.kind).sort(), ['cancelled', 'single']);
  });

  it('a room: the rooms list links to its week, with its bookings as room free/busy has them and the cancellation', async () => {
    await page.goto(`${srv.baseUrl}/console`);
    await page.click('header a[href="/console/rooms"]');
    await page.waitForURL(/\/console\/rooms$/);
    const list = await visibleText(page);
    assert.ok(list.includes(room.roomId) && list.includes('Lyra'), list);
    await screenshot(page, 'calendar-03-rooms');
    await page.locator('table a', { hasText: 'Orion' }).first().click();
    await page.waitForURL(/\/console\/rooms\/[^/]+\/week$/);
    const roomUrl = page.url().replace(/\/week$/, '');
    await page.goto(`${roomUrl}/week?date=2032-01-12`);
    const text = await visibleText(page);
    assert.ok(text.includes('Room Orion') && text.includes('Asia/Shanghai'));
    const items = await itemsShown();
    assert.deepEqual(items.map((i) => [i.date, i.kind, i.busy]), [
      ['2032-01-12', 'occurrence', 'BUSY'],
      ['2032-01-13', 'single', 'BUSY'],
      ['2032-01-15', 'exception', 'BUSY'],
      ['2032-01-16', 'cancelled', 'none'],
    ]);
    assert.ok(one(items, 'Board meeting').text.includes('10:00–11:30'));
    await screenshot(page, 'calendar-04-room-week');

    // The room's calendar page links back to the same view.
    await page.click('dd a.mono');
    await page.waitForURL(/\/console\/calendars\//);
    await page.locator('a', { hasText: 'Week' }).first().click();
    await page.waitForURL(/\/console\/rooms\/[^/]+\/week$/);
    assert.equal(page.url(), `${roomUrl}/week`);
    await page.goto(`${roomUrl}/day?date=2032-01-13`);
    assert.deepEqual((await itemsShown()).map((i) => i.text.includes('Board meeting')), [true]);
  });

  it('without a date: the week of today by the sandbox clock', async () => {
    const setClock = (body: unknown) => fetch(`${srv.baseUrl}/admin/v1/clock`, {
      method: 'PUT', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    assert.equal((await setClock({ now: '2032-01-15T01:00:00+08:00' })).status, 200);
    try {
      await page.goto(`${aliceUrl}/week`);
      assert.ok((await visibleText(page)).includes('Mon 2032-01-12 – Sun 2032-01-18'));
      assert.equal(await page.$eval('.tg div.h.today', (el) => el.getAttribute('data-date')), '2032-01-15', "today in the calendar's zone (in UTC still the 14th)");
      await page.goto(`${aliceUrl}/day`);
      assert.ok((await visibleText(page)).includes('Thu 2032-01-15'));
    } finally {
      assert.equal((await setClock({ offsetMs: 0 })).status, 200);
    }
  });

  it('a malformed date is a 400 page; an unknown user or room a 404', async () => {
    for (const date of ['2032-13-01', '2032-02-30', 'tomorrow', '0999-01-01']) {
      const res = await page.goto(`${aliceUrl}/week?date=${date}`);
      assert.equal(res?.status(), 400, date);
      assert.ok((await visibleText(page)).includes('date must be'), date);
    }
    assert.equal((await page.goto(`${srv.baseUrl}/console/users/no-such-user/week`))?.status(), 404);
    assert.equal((await page.goto(`${srv.baseUrl}/console/rooms/no-such-room/day`))?.status(), 404);
  });
});
