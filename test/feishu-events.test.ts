// Feishu events through the SDK: create (every writable field round-trips), get (need_attendee,
// max_attendee_num), list (time window, paging, sync_token), patch, delete, reply, idempotency_key, and
// user_id_type on the organizer and attendees.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { buildFeishuFixture } from './helpers/feishu-directory.ts';
import {
  CAL_ID_RE,
  EVENT_ID_RE,
  TZ,
  addAttendees,
  as,
  createEvent,
  expectFsError,
  fsClient,
  getEvent,
  lark,
  listAllAttendees,
  ok,
  primaryCalendarId,
  timedEvent,
  unix,
  userAtt,
  userToken,
} from './helpers/feishu.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const fx = buildFeishuFixture({ tag: 'evt' });
const { users, app } = fx.acme;
const { alice, bob, carol, dave } = users;

let srv: KalendsServer;
let client: lark.Client;
let botCal = '';
let aliceTok = '';
let aliceCal = '';

before(async () => {
  srv = await startServer({ directory: fx.directory, extraArgs: ['--rate-limit', 'off'] });
  client = fsClient(srv.baseUrl, app);
  botCal = await primaryCalendarId(client);
  aliceTok = await userToken(client, srv.baseUrl, app.appId, alice.openId);
  aliceCal = await primaryCalendarId(client, aliceTok);
});

after(async () => {
  await srv?.cleanup();
});

async function newSharedCalendar(summary: string): Promise<string> {
  const cal = ok(await client.calendar.v4.calendar.create({ data: { summary } })).calendar;
  assert.match(cal.calendar_id, CAL_ID_RE);
  return cal.calendar_id;
}

async function listEvents(calendarId: string, params: Record<string, unknown>, userTok?: string): Promise<any> {
  return ok(await client.calendar.v4.calendarEvent.list({ path: { calendar_id: calendarId }, params: params as any }, as(userTok)));
}

/** All events of a calendar through page_token (no time window); returns the items and the final sync_token. */
async function listAllEvents(calendarId: string, pageSize = 50): Promise<{ items: any[]; syncToken: unknown }> {
  const items: any[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < 100; page++) {
    const params: Record<string, unknown> = { page_size: pageSize };
    if (pageToken) params.page_token = pageToken;
    const data = await listEvents(calendarId, params);
    items.push(...(data.items ?? []));
    if (!data.has_more) return { items, syncToken: data.sync_token };
    assert.equal(typeof data.page_token, 'string', 'has_more without page_token');
    pageToken = data.page_token;
  }
  throw new Error('event list did not finish in 100 pages');
}

const FULL = {
  summary: 'Quarterly review',
  description: 'numbers and plans',
  need_notification: false,
  start_time: { timestamp: unix('2031-08-01T10:00:00+08:00'), timezone: TZ },
  end_time: { timestamp: unix('2031-08-01T11:30:00+08:00'), timezone: TZ },
  visibility: 'private',
  attendee_ability: 'can_invite_others',
  free_busy_status: 'free',
  location: { name: 'Tower A, 9F', address: '1 Main Street', latitude: 31.2304, longitude: 121.4737 },
  color: -14513409,
  reminders: [{ minutes: 15 }, { minutes: 60 }],
  recurrence: 'FREQ=DAILY;INTERVAL=1;COUNT=3',
  vchat: { vc_type: 'third_party', icon_type: 'vc', description: 'join here', meeting_url: 'https://meet.example/abc' },
};

function assertFull(ev: any, label: string) {
  assert.match(ev.event_id, EVENT_ID_RE, `${label}: event_id`);
  assert.equal(ev.summary, FULL.summary, `${label}: summary`);
  assert.equal(ev.description, FULL.description, `${label}: description`);
  assert.deepEqual(ev.start_time, FULL.start_time, `${label}: start_time`);
  assert.deepEqual(ev.end_time, FULL.end_time, `${label}: end_time`);
  assert.equal(ev.visibility, 'private', `${label}: visibility`);
  assert.equal(ev.attendee_ability, 'can_invite_others', `${label}: attendee_ability`);
  assert.equal(ev.free_busy_status, 'free', `${label}: free_busy_status`);
  assert.deepEqual(ev.location, FULL.location, `${label}: location`);
  assert.equal(ev.color, FULL.color, `${label}: color`);
  assert.deepEqual(ev.reminders, FULL.reminders, `${label}: reminders`);
  assert.equal(ev.recurrence, FULL.recurrence, `${label}: recurrence`);
  assert.equal(ev.vchat?.vc_type, 'third_party', `${label}: vchat.vc_type`);
  assert.equal(ev.vchat?.icon_type, 'vc', `${label}: vchat.icon_type`);
  assert.equal(ev.vchat?.description, 'join here', `${label}: vchat.description`);
  assert.equal(ev.vchat?.meeting_url, 'https://meet.example/abc', `${label}: vchat.meeting_url`);
  assert.equal(ev.status, 'confirmed', `${label}: status`);
  assert.equal(ev.organizer_calendar_id, botCal, `${label}: organizer_calendar_id`);
  assert.match(String(ev.create_time), /^\d{9,11}$/, `${label}: create_time is Unix seconds`);
}

describe('calendarEvent create / get', () => {
  let E = '';

  it('create: every writable field round-trips, status confirmed, times as Unix-second strings', async () => {
    const ev = await createEvent(client, botCal, FULL);
    assertFull(ev, 'create');
    E = ev.event_id;
  });

  it('get returns the same event', async () => {
    assertFull(await getEvent(client, botCal, E), 'get');
  });

  it('all-day events use {date}', async () => {
    const ev = await createEvent(client, botCal, {
      summary: 'Offsite',
      start_time: { date: '2031-08-05' },
      end_time: { date: '2031-08-06' },
    });
    assert.equal(ev.start_time.date, '2031-08-05');
    assert.equal(ev.end_time.date, '2031-08-06');
    assert.equal(ev.start_time.timestamp ?? undefined, undefined);
    const got = await getEvent(client, botCal, ev.event_id);
    assert.equal(got.start_time.date, '2031-08-05');
    assert.equal(got.end_time.date, '2031-08-06');
  });

  it('need_attendee / max_attendee_num / has_more_attendee', async () => {
    const ev = await createEvent(client, botCal, timedEvent('With attendees', '2031-08-02T09:00:00+08:00'));
    await addAttendees(client, botCal, ev.event_id, [userAtt(bob.openId), userAtt(carol.openId), userAtt(dave.openId)]);
    const all = await getEvent(client, botCal, ev.event_id, { needAttendee: true });
    assert.deepEqual(
      all.attendees.map((a: any) => a.user_id),
      [bob.openId, carol.openId, dave.openId],
    );
    assert.equal(all.has_more_attendee, false);
    const two = await getEvent(client, botCal, ev.event_id, { needAttendee: true, maxAttendeeNum: 2 });
    assert.deepEqual(
      two.attendees.map((a: any) => a.user_id),
      [bob.openId, carol.openId],
    );
    assert.equal(two.has_more_attendee, true);
    const none = await getEvent(client, botCal, ev.event_id, { needAttendee: false });
    assert.deepEqual(none.attendees ?? [], []);
    const union = await getEvent(client, botCal, ev.event_id, { needAttendee: true, userIdType: 'union_id' });
    assert.deepEqual(
      union.attendees.map((a: any) => a.user_id),
      [bob.unionId, carol.unionId, dave.unionId],
    );
    const plain = await getEvent(client, botCal, ev.event_id, { needAttendee: true, userIdType: 'user_id' });
    assert.deepEqual(
      plain.attendees.map((a: any) => a.user_id),
      [bob.userId, carol.userId, dave.userId],
    );
  });

  it('a user-token event: organizer is the user, event_organizer.user_id follows user_id_type', async () => {
    const ev = await createEvent(client, aliceCal, timedEvent('Alice 1:1', '2031-08-03T09:00:00+08:00'), { userTok: aliceTok });
    assert.equal(ev.organizer_calendar_id, aliceCal);
    for (const [t, id] of [
      ['open_id', alice.openId],
      ['union_id', alice.unionId],
      ['user_id', alice.userId],
    ] as const) {
      const got = await getEvent(client, aliceCal, ev.event_id, { userTok: aliceTok, userIdType: t });
      assert.equal(got.event_organizer?.user_id, id, `user_id_type ${t}`);
      assert.equal(got.event_organizer?.display_name, 'Alice');
    }
  });
});

describe('calendarEvent.patch and delete', () => {
  it('patch changes the given fields and keeps the rest', async () => {
    const ev = await createEvent(client, botCal, { ...FULL, summary: 'Patch me' });
    const newStart = unix('2031-08-10T15:00:00+08:00');
    const newEnd = unix('2031-08-10T16:00:00+08:00');
    const res = await client.calendar.v4.calendarEvent.patch({
      path: { calendar_id: botCal, event_id: ev.event_id },
      data: {
        summary: 'Patched',
        location: { name: 'Room 2' },
        start_time: { timestamp: newStart, timezone: TZ },
        end_time: { timestamp: newEnd, timezone: TZ },
        free_busy_status: 'busy',
      },
    });
    const patched = ok(res).event;
    assert.equal(patched.event_id, ev.event_id);
    assert.equal(patched.summary, 'Patched');
    assert.equal(patched.location?.name, 'Room 2');
    assert.equal(patched.start_time.timestamp, newStart);
    assert.equal(patched.end_time.timestamp, newEnd);
    assert.equal(patched.free_busy_status, 'busy');
    const got = await getEvent(client, botCal, ev.event_id);
    assert.equal(got.summary, 'Patched');
    assert.equal(got.start_time.timestamp, newStart);
    assert.equal(got.description, FULL.description);
    assert.equal(got.visibility, 'private');
    assert.equal(got.attendee_ability, 'can_invite_others');
    assert.deepEqual(got.reminders, FULL.reminders);
    assert.equal(got.recurrence, FULL.recurrence);
    assert.equal(got.color, FULL.color);
  });

  it('delete (need_notification "false") → {}; then 193003', async () => {
    const cal = await newSharedCalendar('Delete calendar');
    const ev = await createEvent(client, cal, timedEvent('Delete me', '2031-08-11T10:00:00+08:00'));
    const keep = await createEvent(client, cal, timedEvent('Keep me', '2031-08-11T12:00:00+08:00'));
    const res = await client.calendar.v4.calendarEvent.delete({
      path: { calendar_id: cal, event_id: ev.event_id },
      params: { need_notification: 'false' },
    });
    assert.deepEqual(ok(res), {});
    await expectFsError(client.calendar.v4.calendarEvent.get({ path: { calendar_id: cal, event_id: ev.event_id } }), 193003);
    const data = await listEvents(cal, {
      start_time: unix('2031-08-11T00:00:00+08:00'),
      end_time: unix('2031-08-12T00:00:00+08:00'),
    });
    const live = (data.items ?? []).filter((e: any) => e.status !== 'cancelled').map((e: any) => e.event_id);
    assert.deepEqual(live, [keep.event_id]);
  });
});

describe('calendarEvent.list', () => {
  it('start_time/end_time (Unix seconds) select the events of the window', async () => {
    const cal = await newSharedCalendar('Window calendar');
    const a = await createEvent(client, cal, timedEvent('Sep 1', '2031-09-01T10:00:00+08:00'));
    const b = await createEvent(client, cal, timedEvent('Sep 2', '2031-09-02T10:00:00+08:00'));
    const c = await createEvent(client, cal, timedEvent('Sep 20', '2031-09-20T10:00:00+08:00'));
    const data = await listEvents(cal, {
      start_time: unix('2031-09-01T00:00:00+08:00'),
      end_time: unix('2031-09-03T00:00:00+08:00'),
    });
    const ids = (data.items ?? []).map((e: any) => e.event_id).sort();
    assert.deepEqual(ids, [a.event_id, b.event_id].sort());
    const sep1 = data.items.find((e: any) => e.event_id === a.event_id);
    assert.equal(sep1.summary, 'Sep 1');
    assert.equal(sep1.start_time.timestamp, unix('2031-09-01T10:00:00+08:00'));
    const late = await listEvents(cal, {
      start_time: unix('2031-09-15T00:00:00+08:00'),
      end_time: unix('2031-09-30T00:00:00+08:00'),
    });
    assert.deepEqual(
      (late.items ?? []).map((e: any) => e.event_id),
      [c.event_id],
    );
  });

  it('page_token walks every event exactly once; sync_token then returns what changed', async () => {
    const cal = await newSharedCalendar('Paging calendar');
    const made: string[] = [];
    for (let i = 0; i < 60; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      made.push((await createEvent(client, cal, timedEvent(`Paged ${i}`, `2031-10-${day}T08:00:00+08:00`, 30))).event_id);
    }
    const { items, syncToken } = await listAllEvents(cal, 50);
    const ids = items.map((e) => e.event_id);
    assert.equal(new Set(ids).size, ids.length, 'no event twice');
    assert.deepEqual([...ids].sort(), [...made].sort());
    assert.equal(typeof syncToken, 'string', 'the last page carries a sync_token');

    const added = await createEvent(client, cal, timedEvent('After sync', '2031-10-29T08:00:00+08:00'));
    ok(
      await client.calendar.v4.calendarEvent.patch({
        path: { calendar_id: cal, event_id: made[0]! },
        data: { summary: 'Paged 0 (changed)' },
      }),
    );
    const inc = await listEvents(cal, { sync_token: syncToken });
    const incIds = (inc.items ?? []).map((e: any) => e.event_id);
    assert.ok(incIds.includes(added.event_id), 'the new event is in the incremental list');
    assert.ok(incIds.includes(made[0]), 'the changed event is in the incremental list');
    assert.equal(incIds.includes(made[30]), false, 'an unchanged event is not');
  });

  it('an event changed while the later pages of a listing are read is in the next sync', async () => {
    const cal = await newSharedCalendar('Paging under change');
    const made: string[] = [];
    // page_size is 50 at least (calendar-event/list): 52 events make two pages.
    for (let i = 0; i < 52; i++) {
      const start = new Date(Date.parse('2031-09-01T00:00:00Z') + i * 3_600_000).toISOString().replace('.000Z', 'Z');
      made.push((await createEvent(client, cal, timedEvent(`Moving ${i}`, start, 30))).event_id);
    }
    const first = await listEvents(cal, { page_size: 50 });
    assert.equal(first.has_more, true);
    assert.equal(first.items[0].event_id, made[0]);
    // The first page is read; its first event changes before the rest of the listing is read.
    ok(await client.calendar.v4.calendarEvent.patch({ path: { calendar_id: cal, event_id: made[0]! }, data: { summary: 'Moving 0 (changed)' } }));
    let page = first;
    while (page.has_more) page = await listEvents(cal, { page_size: 50, page_token: page.page_token });
    const inc = await listEvents(cal, { sync_token: page.sync_token });
    const changed = (inc.items ?? []).find((e: any) => e.event_id === made[0]);
    assert.equal(changed?.summary, 'Moving 0 (changed)', 'the change made during the listing is returned by the next sync');
  });

  it('a user lists the events of her primary calendar, invitations included', async () => {
    const own = await createEvent(client, aliceCal, timedEvent('Own', '2031-11-03T09:00:00+08:00'), { userTok: aliceTok });
    const inv = await createEvent(client, botCal, timedEvent('Invited', '2031-11-03T11:00:00+08:00'));
    await addAttendees(client, botCal, inv.event_id, [userAtt(alice.openId)]);
    const data = await listEvents(
      aliceCal,
      { start_time: unix('2031-11-03T00:00:00+08:00'), end_time: unix('2031-11-04T00:00:00+08:00') },
      aliceTok,
    );
    const ids = (data.items ?? []).map((e: any) => e.event_id).sort();
    assert.deepEqual(ids, [own.event_id, inv.event_id].sort());
  });
});

describe('calendarEvent.reply', () => {
  it('an invitee answers accept / decline / tentative; the organizer sees each answer', async () => {
    const ev = await createEvent(client, botCal, timedEvent('Answer me', '2031-08-20T10:00:00+08:00'));
    await addAttendees(client, botCal, ev.event_id, [userAtt(alice.openId), userAtt(bob.openId)]);
    for (const rsvp of ['accept', 'decline', 'tentative'] as const) {
      assert.deepEqual(
        ok(
          await client.calendar.v4.calendarEvent.reply(
            { path: { calendar_id: aliceCal, event_id: ev.event_id }, data: { rsvp_status: rsvp } },
            as(aliceTok),
          ),
        ),
        {},
      );
      const items = await listAllAttendees(client, botCal, ev.event_id);
      assert.equal(items.find((a) => a.user_id === alice.openId)?.rsvp_status, rsvp);
      assert.equal(items.find((a) => a.user_id === bob.openId)?.rsvp_status, 'needs_action', 'others unchanged');
    }
  });

  it('an unknown rsvp_status → 190002', async () => {
    const ev = await createEvent(client, botCal, timedEvent('Bad answer', '2031-08-21T10:00:00+08:00'));
    await addAttendees(client, botCal, ev.event_id, [userAtt(alice.openId)]);
    await expectFsError(
      client.calendar.v4.calendarEvent.reply(
        { path: { calendar_id: aliceCal, event_id: ev.event_id }, data: { rsvp_status: 'maybe' as any } },
        as(aliceTok),
      ),
      190002,
    );
    const items = await listAllAttendees(client, botCal, ev.event_id);
    assert.equal(items[0].rsvp_status, 'needs_action');
  });
});

describe('idempotency_key', () => {
  it('the same key returns the same event, created once; another key creates another', async () => {
    const cal = await newSharedCalendar('Idempotency calendar');
    const key = randomUUID();
    const body = timedEvent('Once only', '2031-12-01T10:00:00+08:00');
    const first = await createEvent(client, cal, body, { idempotencyKey: key });
    const second = await createEvent(client, cal, body, { idempotencyKey: key });
    assert.equal(second.event_id, first.event_id);
    assert.equal(second.summary, 'Once only');
    const window = { start_time: unix('2031-12-01T00:00:00+08:00'), end_time: unix('2031-12-02T00:00:00+08:00') };
    let data = await listEvents(cal, window);
    assert.equal((data.items ?? []).length, 1, 'created once');
    const third = await createEvent(client, cal, body, { idempotencyKey: randomUUID() });
    assert.notEqual(third.event_id, first.event_id);
    data = await listEvents(cal, window);
    assert.equal((data.items ?? []).length, 2);
  });
});
