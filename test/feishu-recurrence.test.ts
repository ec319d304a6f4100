// Recurring events through the Feishu SDK: calendarEvent.instances and instance_view expand
// series, instance ids are `<uid>_<original start in seconds>`, and a patch or delete by instance
// id makes an exception (calendar-event/instances, calendar-event/instance_view, Event resource).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildFeishuFixture } from './helpers/feishu-directory.ts';
import { as, expectFsError, lark, ok, primaryCalendarId, startWithUser, TZ, unix, userToken } from './helpers/feishu.ts';
import type { KalendsServer } from './helpers/server.ts';

const fx = buildFeishuFixture({ tag: 'rec' });
const { users, app } = fx.acme;
const { alice, bob } = users;

let srv: KalendsServer;
let client: lark.Client;
let aliceTok = '';
let aliceCal = '';

before(async () => {
  ({ srv, client, userTok: aliceTok, userCal: aliceCal } = await startWithUser(fx.directory, app, alice.openId));
});

after(async () => {
  await srv?.cleanup();
});

async function createSeries(summary: string, startIso: string, minutes: number, recurrence: string): Promise<string> {
  const start = Number(unix(startIso));
  const res = await client.calendar.v4.calendarEvent.create({
    path: { calendar_id: aliceCal },
    data: { summary, start_time: { timestamp: String(start), timezone: TZ }, end_time: { timestamp: String(start + minutes * 60), timezone: TZ }, recurrence },
  }, as(aliceTok));
  return ok(res, 'create').event.event_id as string;
}

async function instances(eventId: string, fromIso: string, toIso: string, extra: Record<string, unknown> = {}): Promise<any> {
  return ok(await client.calendar.v4.calendarEvent.instances({
    path: { calendar_id: aliceCal, event_id: eventId },
    params: { start_time: unix(fromIso), end_time: unix(toIso), ...extra } as any,
  }, as(aliceTok)), 'instances');
}

async function instanceView(fromIso: string, toIso: string): Promise<any[]> {
  const data = ok(await client.calendar.v4.calendarEvent.instanceView({
    path: { calendar_id: aliceCal }, params: { start_time: unix(fromIso), end_time: unix(toIso) },
  }, as(aliceTok)), 'instance_view');
  return data.items ?? [];
}

describe('Feishu instances and instance_view', () => {
  let seriesId = '';
  let uid = '';

  before(async () => {
    seriesId = await createSeries('Weekly review', '2032-01-05T15:00:00+08:00', 60, 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=6');
    uid = seriesId.replace(/_0$/, '');
  });

  it('instances lists each occurrence with the id <uid>_<original start in seconds>', async () => {
    const data = await instances(seriesId, '2032-01-01T00:00:00+08:00', '2032-03-01T00:00:00+08:00');
    const starts = ['2032-01-05', '2032-01-12', '2032-01-19', '2032-01-26', '2032-02-02', '2032-02-09'].map((d) => unix(`${d}T15:00:00+08:00`));
    assert.deepEqual(data.items.map((i: any) => i.event_id), starts.map((s) => `${uid}_${s}`));
    assert.deepEqual(data.items.map((i: any) => i.start_time.timestamp), starts);
    assert.ok(data.items.every((i: any) => i.is_exception === false && i.summary === 'Weekly review' && i.status === 'confirmed'));
    assert.equal(data.has_more, false);
  });

  it('pages by page_size with page_token until has_more is false', async () => {
    const daily = await createSeries('Daily 25', '2032-03-01T08:00:00+08:00', 30, 'FREQ=DAILY;COUNT=25');
    const ids: string[] = [];
    const sizes: number[] = [];
    let token: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await instances(daily, '2032-03-01T00:00:00+08:00', '2032-05-01T00:00:00+08:00', token ? { page_size: 10, page_token: token } : { page_size: 10 });
      ids.push(...page.items.map((x: any) => x.event_id));
      sizes.push(page.items.length);
      if (!page.has_more) break;
      token = page.page_token;
    }
    assert.deepEqual(sizes, [10, 10, 5]);
    assert.equal(new Set(ids).size, 25);
    assert.deepEqual(ids, [...ids].sort((a, b) => Number(a.split('_')[1]) - Number(b.split('_')[1])));
  });

  it('a patch by instance id makes an exception: is_exception, recurring_event_id, its id kept after a move', async () => {
    const second = `${uid}_${unix('2032-01-12T15:00:00+08:00')}`;
    const moved = Number(unix('2032-01-13T09:00:00+08:00'));
    const patched = ok(await client.calendar.v4.calendarEvent.patch({
      path: { calendar_id: aliceCal, event_id: second },
      data: { summary: 'Weekly review (Tue)', start_time: { timestamp: String(moved), timezone: TZ }, end_time: { timestamp: String(moved + 3600), timezone: TZ } },
    }, as(aliceTok)), 'patch instance').event;
    assert.equal(patched.event_id, second);
    assert.equal(patched.is_exception, true);
    assert.equal(patched.recurring_event_id, seriesId);
    assert.equal(patched.recurrence, '');
    const got = ok(await client.calendar.v4.calendarEvent.get({ path: { calendar_id: aliceCal, event_id: second } }, as(aliceTok)), 'get instance').event;
    assert.equal(got.summary, 'Weekly review (Tue)');
    assert.equal(got.start_time.timestamp, String(moved));
    const view = await instanceView('2032-01-10T00:00:00+08:00', '2032-01-17T00:00:00+08:00');
    const ofSeries = view.filter((i) => i.recurring_event_id === seriesId);
    assert.equal(ofSeries.length, 1);
    assert.equal(ofSeries[0].event_id, second);
    assert.equal(ofSeries[0].is_exception, true);
  });

  it('a delete by instance id cancels that occurrence: it leaves instances and instance_view', async () => {
    const third = `${uid}_${unix('2032-01-19T15:00:00+08:00')}`;
    ok(await client.calendar.v4.calendarEvent.delete({ path: { calendar_id: aliceCal, event_id: third }, params: { need_notification: 'false' } as any }, as(aliceTok)), 'delete instance');
    const data = await instances(seriesId, '2032-01-01T00:00:00+08:00', '2032-03-01T00:00:00+08:00');
    assert.equal(data.items.length, 5);
    assert.ok(!data.items.some((i: any) => i.event_id === third));
    const view = await instanceView('2032-01-17T00:00:00+08:00', '2032-01-24T00:00:00+08:00');
    assert.equal(view.filter((i) => i.recurring_event_id === seriesId).length, 0);
    await expectFsError(client.calendar.v4.calendarEvent.get({ path: { calendar_id: aliceCal, event_id: third } }, as(aliceTok)), 193001);
  });

  it('instance_view expands every series of the calendar beside its single events, in start order', async () => {
    const daily = await createSeries('Standup', '2032-05-03T09:30:00+08:00', 15, 'FREQ=DAILY;INTERVAL=1');
    const single = ok(await client.calendar.v4.calendarEvent.create({
      path: { calendar_id: aliceCal },
      data: { summary: 'One-off', start_time: { timestamp: unix('2032-05-04T12:00:00+08:00'), timezone: TZ }, end_time: { timestamp: unix('2032-05-04T13:00:00+08:00'), timezone: TZ } },
    }, as(aliceTok)), 'create single').event.event_id;
    const view = await instanceView('2032-05-03T00:00:00+08:00', '2032-05-06T00:00:00+08:00');
    assert.deepEqual(view.map((i) => i.summary), ['Standup', 'Standup', 'One-off', 'Standup']);
    assert.equal(view[2].event_id, single);
    assert.equal(view[2].recurring_event_id, '');
    assert.deepEqual(view.filter((i) => i.summary === 'Standup').map((i) => i.recurring_event_id), [daily, daily, daily]);
  });

  it('instance_view refuses a window of 40 days or more (193103)', async () => {
    await expectFsError(client.calendar.v4.calendarEvent.instanceView({
      path: { calendar_id: aliceCal }, params: { start_time: unix('2032-01-01T00:00:00Z'), end_time: unix('2032-02-10T00:00:00Z') },
    }, as(aliceTok)), 193103, { status: 400, msg: null });
  });

  it('instance_view refuses more than 1,000 instances (193104)', async () => {
    await createSeries('Every minute', '2033-01-01T00:00:00+08:00', 1, 'FREQ=MINUTELY;INTERVAL=1');
    await expectFsError(client.calendar.v4.calendarEvent.instanceView({
      path: { calendar_id: aliceCal }, params: { start_time: unix('2033-01-01T00:00:00+08:00'), end_time: unix('2033-01-02T00:00:00+08:00') },
    }, as(aliceTok)), 193104, { status: 400, msg: null });
  });

  it('COUNT with UNTIL is refused (190002)', async () => {
    await expectFsError(createSeries('Bad', '2032-01-05T15:00:00+08:00', 60, 'FREQ=DAILY;COUNT=3;UNTIL=20320110T000000Z'), 190002);
  });

  it('a rule that produces no occurrence (no 30 February) is refused (190002) and nothing is made', async () => {
    const before = await client.calendar.calendarEvent.list({ path: { calendar_id: aliceCal }, params: { page_size: 500 } }, as(aliceTok));
    await expectFsError(createSeries('Never', '2032-01-05T15:00:00+08:00', 60, 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=5'), 190002);
    const after = await client.calendar.calendarEvent.list({ path: { calendar_id: aliceCal }, params: { page_size: 500 } }, as(aliceTok));
    assert.equal(after.data?.items?.length ?? 0, before.data?.items?.length ?? 0);
  });

  it('an invitee sees the series on their own instance_view', async () => {
    const id = await createSeries('With Bob', '2032-07-01T10:00:00+08:00', 30, 'FREQ=DAILY;COUNT=3');
    ok(await client.calendar.v4.calendarEventAttendee.create({
      path: { calendar_id: aliceCal, event_id: id }, data: { attendees: [{ type: 'user', user_id: bob.openId }], need_notification: false },
      params: { user_id_type: 'open_id' },
    }, as(aliceTok)), 'add bob');
    const bobTok = await userToken(client, srv.baseUrl, app.appId, bob.openId);
    const bobCal = await primaryCalendarId(client, bobTok);
    const data = ok(await client.calendar.v4.calendarEvent.instanceView({
      path: { calendar_id: bobCal }, params: { start_time: unix('2032-07-01T00:00:00+08:00'), end_time: unix('2032-07-05T00:00:00+08:00') },
    }, as(bobTok)), 'bob view');
    assert.equal(data.items.filter((i: any) => i.recurring_event_id === id).length, 3);
    assert.ok(data.items.every((i: any) => i.self_rsvp_status === 'needs_action'));
  });
});
