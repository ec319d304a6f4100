// Feishu free/busy through the SDK: freebusy.list for a user or a meeting room and
// freebusy.batch for 1–10 users, built on the same expansion as the views
// (calendar-v4/calendar/list's free/busy page, calendar-v4/calendar/batch).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildFeishuFixture } from './helpers/feishu-directory.ts';
import { as, expectFsError, lark, ok, startWithUser, TZ, unix, userToken } from './helpers/feishu.ts';
import type { KalendsServer } from './helpers/server.ts';

const fx = buildFeishuFixture({ tag: 'fb' });
const { users, app, room } = fx.acme;
const { alice, bob, carol } = users;

let srv: KalendsServer;
let client: lark.Client;
let aliceTok = '';
let aliceCal = '';

before(async () => {
  ({ srv, client, userTok: aliceTok, userCal: aliceCal } = await startWithUser(fx.directory, app, alice.openId));
  // Alice: a daily 10:00 series (3 days) with Bob and the room; a single event marked free.
  const start = Number(unix('2035-04-02T10:00:00+08:00'));
  const series = ok(await client.calendar.v4.calendarEvent.create({
    path: { calendar_id: aliceCal },
    data: { summary: 'Daily', start_time: { timestamp: String(start), timezone: TZ }, end_time: { timestamp: String(start + 1800), timezone: TZ }, recurrence: 'FREQ=DAILY;COUNT=3' },
  }, as(aliceTok)), 'create series').event.event_id;
  ok(await client.calendar.v4.calendarEventAttendee.create({
    path: { calendar_id: aliceCal, event_id: series }, params: { user_id_type: 'open_id' },
    data: { attendees: [{ type: 'user', user_id: bob.openId }, { type: 'resource', room_id: room.roomId }], need_notification: false },
  }, as(aliceTok)), 'add bob and room');
  const free = Number(unix('2035-04-03T15:00:00+08:00'));
  ok(await client.calendar.v4.calendarEvent.create({
    path: { calendar_id: aliceCal },
    data: { summary: 'Free', start_time: { timestamp: String(free), timezone: TZ }, end_time: { timestamp: String(free + 3600), timezone: TZ }, free_busy_status: 'free' },
  }, as(aliceTok)), 'create free');
});

after(async () => {
  await srv?.cleanup();
});

const WINDOW = { time_min: '2035-04-01T00:00:00+08:00', time_max: '2035-04-06T00:00:00+08:00' };

describe('freebusy.list and freebusy.batch', () => {
  it('list: a user\'s busy spans, series expanded, free events left out by default', async () => {
    const data = ok(await client.calendar.v4.freebusy.list({ params: { user_id_type: 'open_id' }, data: { ...WINDOW, user_id: alice.openId } }), 'list');
    assert.deepEqual(data.freebusy_list.map((i: any) => [i.start_time, i.end_time]), [
      ['2035-04-02T10:00:00+08:00', '2035-04-02T10:30:00+08:00'],
      ['2035-04-03T10:00:00+08:00', '2035-04-03T10:30:00+08:00'],
      ['2035-04-04T10:00:00+08:00', '2035-04-04T10:30:00+08:00'],
    ]);
  });

  it('list: only_busy=false adds the free event; need_rsvp_status adds each span\'s rsvp_status', async () => {
    const all = ok(await client.calendar.v4.freebusy.list({ params: { user_id_type: 'open_id' }, data: { ...WINDOW, user_id: alice.openId, only_busy: false } }), 'list all');
    assert.equal(all.freebusy_list.length, 4);
    const bobs = ok(await client.calendar.v4.freebusy.list({ params: { user_id_type: 'open_id' }, data: { ...WINDOW, user_id: bob.openId, need_rsvp_status: true } }), 'bob');
    assert.deepEqual(bobs.freebusy_list.map((i: any) => i.rsvp_status), ['needs_action', 'needs_action', 'needs_action']);
  });

  it('list: a meeting room booked on a series is busy at every occurrence', async () => {
    const data = ok(await client.calendar.v4.freebusy.list({ data: { ...WINDOW, room_id: room.roomId } }), 'room');
    assert.equal(data.freebusy_list.length, 3);
  });

  it('list: a window over 90 days is refused (190002)', async () => {
    await expectFsError(client.calendar.v4.freebusy.list({ params: { user_id_type: 'open_id' }, data: { time_min: '2035-01-01T00:00:00+08:00', time_max: '2035-06-01T00:00:00+08:00', user_id: alice.openId } }), 190002);
  });

  it('batch: each user in the order named, in user_id_type', async () => {
    const bobTok = await userToken(client, srv.baseUrl, app.appId, bob.openId);
    const data = ok(await client.calendar.v4.freebusy.batch({ params: { user_id_type: 'open_id' }, data: { ...WINDOW, user_ids: [carol.openId, bob.openId] } }, as(bobTok)), 'batch');
    assert.deepEqual(data.freebusy_lists.map((l: any) => l.user_id), [carol.openId, bob.openId]);
    assert.deepEqual(data.freebusy_lists[0].freebusy_items, []);
    assert.equal(data.freebusy_lists[1].freebusy_items.length, 3);
  });

  it('batch: 0 or 11 users → 198001; over two weeks → 198003; a bad time → 198002', async () => {
    const ids = Array.from({ length: 11 }, () => alice.openId);
    await expectFsError(client.calendar.v4.freebusy.batch({ params: { user_id_type: 'open_id' }, data: { ...WINDOW, user_ids: ids } }), 198001, { status: 400, msg: null });
    await expectFsError(client.calendar.v4.freebusy.batch({ params: { user_id_type: 'open_id' }, data: { ...WINDOW, user_ids: [] } }), 198001, { status: 400, msg: null });
    await expectFsError(client.calendar.v4.freebusy.batch({ params: { user_id_type: 'open_id' }, data: { time_min: '2035-04-01T00:00:00+08:00', time_max: '2035-04-16T00:00:00+08:00', user_ids: [alice.openId] } }), 198003, { status: 400, msg: null });
    await expectFsError(client.calendar.v4.freebusy.batch({ params: { user_id_type: 'open_id' }, data: { time_min: 'yesterday', time_max: '2035-04-06T00:00:00+08:00', user_ids: [alice.openId] } }), 198002, { status: 400, msg: null });
  });

  it('timeoffEvent.create puts a time-off on the user\'s calendar and free/busy; delete removes it', async () => {
    const created = ok(await client.calendar.v4.timeoffEvent.create({
      params: { user_id_type: 'open_id' },
      data: { user_id: carol.openId, timezone: TZ, start_time: unix('2035-04-03T13:00:00+08:00'), end_time: unix('2035-04-03T18:00:00+08:00') },
    }), 'timeoff create');
    assert.match(created.timeoff_event_id, /^timeoff:/);
    assert.equal(created.user_id, carol.openId);
    assert.equal(created.title, '请假中 / Time Off');
    const busy = ok(await client.calendar.v4.freebusy.list({ params: { user_id_type: 'open_id' }, data: { ...WINDOW, user_id: carol.openId } }), 'carol busy');
    assert.deepEqual(busy.freebusy_list.map((i: any) => [i.start_time, i.end_time]), [['2035-04-03T13:00:00+08:00', '2035-04-03T18:00:00+08:00']]);
    const allDay = ok(await client.calendar.v4.timeoffEvent.create({
      params: { user_id_type: 'open_id' }, data: { user_id: carol.openId, timezone: TZ, start_time: '2035-04-04', end_time: '2035-04-05', title: 'Holiday' },
    }), 'timeoff all-day');
    const days = ok(await client.calendar.v4.freebusy.list({ params: { user_id_type: 'open_id' }, data: { ...WINDOW, user_id: carol.openId } }), 'carol days');
    assert.deepEqual(days.freebusy_list.slice(1).map((i: any) => [i.start_time, i.end_time]), [['2035-04-04T00:00:00+00:00', '2035-04-06T00:00:00+00:00']]);
    ok(await client.calendar.v4.timeoffEvent.delete({ path: { timeoff_event_id: created.timeoff_event_id } }), 'timeoff delete');
    ok(await client.calendar.v4.timeoffEvent.delete({ path: { timeoff_event_id: allDay.timeoff_event_id } }), 'timeoff delete');
    const after = ok(await client.calendar.v4.freebusy.list({ params: { user_id_type: 'open_id' }, data: { ...WINDOW, user_id: carol.openId } }), 'carol after');
    assert.deepEqual(after.freebusy_list, []);
    await expectFsError(client.calendar.v4.timeoffEvent.delete({ path: { timeoff_event_id: created.timeoff_event_id } }), 193001);
  });
});
