// One instance's attendees through the Feishu SDK: `instance_start_time_admin` names the
// instance of a recurring event whose attendees calendarEventAttendee.create / batch_delete
// change (calendar-event-attendee/create); the other instances keep the series' attendees.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildFeishuFixture } from './helpers/feishu-directory.ts';
import { as, lark, ok, startWithUser, TZ, unix } from './helpers/feishu.ts';
import type { KalendsServer } from './helpers/server.ts';

const fx = buildFeishuFixture({ tag: 'ia' });
const { users, app } = fx.acme;
const { alice, bob, carol } = users;

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

async function attendeesOf(eventId: string): Promise<string[]> {
  const data = ok(await client.calendar.v4.calendarEventAttendee.list({
    path: { calendar_id: aliceCal, event_id: eventId }, params: { user_id_type: 'open_id', page_size: 100 },
  }, as(aliceTok)), 'list');
  return (data.items as Array<{ user_id?: string }>).map((a) => a.user_id ?? '').filter(Boolean).sort();
}

describe('attendees of one instance (instance_start_time_admin)', () => {
  it('adding and removing by instance changes that occurrence alone', async () => {
    const start = Number(unix('2033-06-06T10:00:00+08:00'));
    const series = ok(await client.calendar.v4.calendarEvent.create({
      path: { calendar_id: aliceCal },
      data: { summary: 'Weekly', start_time: { timestamp: String(start), timezone: TZ }, end_time: { timestamp: String(start + 1800), timezone: TZ }, recurrence: 'FREQ=WEEKLY;COUNT=4' },
    }, as(aliceTok)), 'create').event.event_id as string;
    ok(await client.calendar.v4.calendarEventAttendee.create({
      path: { calendar_id: aliceCal, event_id: series }, params: { user_id_type: 'open_id' },
      data: { attendees: [{ type: 'user', user_id: bob.openId }], need_notification: false },
    }, as(aliceTok)), 'add bob to the series');
    const second = start + 7 * 86_400;
    ok(await client.calendar.v4.calendarEventAttendee.create({
      path: { calendar_id: aliceCal, event_id: series }, params: { user_id_type: 'open_id' },
      data: { attendees: [{ type: 'user', user_id: carol.openId }], need_notification: false, instance_start_time_admin: String(second) },
    }, as(aliceTok)), 'add carol to the second instance');
    const uid = series.replace(/_0$/, '');
    assert.deepEqual(await attendeesOf(`${uid}_${second}`), [bob.openId, carol.openId].sort());
    assert.deepEqual(await attendeesOf(`${uid}_${start + 14 * 86_400}`), [bob.openId]);
    assert.deepEqual(await attendeesOf(series), [bob.openId]);
    const got = ok(await client.calendar.v4.calendarEvent.get({ path: { calendar_id: aliceCal, event_id: `${uid}_${second}` } }, as(aliceTok)), 'get').event;
    assert.equal(got.is_exception, true);

    const first = (await client.calendar.v4.calendarEventAttendee.list({
      path: { calendar_id: aliceCal, event_id: `${uid}_${start}` }, params: { user_id_type: 'open_id', page_size: 100 },
    }, as(aliceTok))).data!.items!;
    assert.equal(first.length, 1);
    ok(await client.calendar.v4.calendarEventAttendee.batchDelete({
      path: { calendar_id: aliceCal, event_id: series }, params: { user_id_type: 'open_id' },
      data: { delete_ids: [{ type: 'user', user_id: bob.openId }], need_notification: false, instance_start_time_admin: String(start) },
    }, as(aliceTok)), 'remove bob from the first instance');
    assert.deepEqual(await attendeesOf(`${uid}_${start}`), []);
    assert.deepEqual(await attendeesOf(series), [bob.openId]);
  });
});
