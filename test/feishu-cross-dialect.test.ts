// One tenant, two dialects: an event made through DingTalk (@alicloud/dingtalk, as alice) is visible and editable
// through Feishu with alice's user token (Feishu ids and formats), and an event made through Feishu is visible
// through DingTalk with the attendees added in Feishu; answers cross over both ways.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Dt, getToken } from './helpers/dingtalk.ts';
import { buildFeishuFixture } from './helpers/feishu-directory.ts';
import {
  EVENT_ID_RE,
  TZ,
  addAttendees,
  as,
  createEvent,
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

const fx = buildFeishuFixture({ tag: 'xd' });
const { users, app, dingtalkApp } = fx.acme;
const { alice, bob, carol, dave } = users;

let srv: KalendsServer;
let client: lark.Client;
let dt: Dt;
let aliceTok = '';
let bobTok = '';
let aliceCal = '';
let bobCal = '';

before(async () => {
  srv = await startServer({ directory: fx.directory, extraArgs: ['--rate-limit', 'off'] });
  client = fsClient(srv.baseUrl, app);
  dt = new Dt(srv.endpoint, await getToken(srv.endpoint, dingtalkApp));
  aliceTok = await userToken(client, srv.baseUrl, app.appId, alice.openId);
  bobTok = await userToken(client, srv.baseUrl, app.appId, bob.openId);
  aliceCal = await primaryCalendarId(client, aliceTok);
  bobCal = await primaryCalendarId(client, bobTok);
});

after(async () => {
  await srv?.cleanup();
});

const DT_START = '2031-03-04T10:00:00+08:00';
const DT_END = '2031-03-04T11:00:00+08:00';

async function findFeishuEvent(calendarId: string, userTok: string, summary: string, day: string): Promise<any> {
  const data = ok(
    await client.calendar.v4.calendarEvent.list(
      {
        path: { calendar_id: calendarId },
        params: { start_time: unix(`${day}T00:00:00+08:00`), end_time: unix(`${day}T23:59:59+08:00`) },
      },
      as(userTok),
    ),
  );
  const hits = (data.items ?? []).filter((e: any) => e.summary === summary);
  assert.equal(hits.length, 1, `exactly one "${summary}" on ${day}: ${JSON.stringify(data.items)?.slice(0, 500)}`);
  return hits[0];
}

describe('DingTalk → Feishu', () => {
  let dtId = '';
  let fsId = '';

  it('an event made through DingTalk shows on alice’s Feishu primary calendar in Feishu formats', async () => {
    const res = await dt.createEvent(alice.unionId, {
      summary: 'Made in DingTalk',
      description: 'cross-dialect',
      start: { dateTime: DT_START, timeZone: TZ },
      end: { dateTime: DT_END, timeZone: TZ },
      attendees: [{ id: bob.unionId, isOptional: false }],
    });
    assert.equal(res.statusCode, 200);
    dtId = res.body.id;
    const r = await dt.respond(bob.unionId, dtId, 'accepted');
    assert.equal(r.statusCode, 200);

    const item = await findFeishuEvent(aliceCal, aliceTok, 'Made in DingTalk', '2031-03-04');
    fsId = item.event_id;
    assert.match(fsId, EVENT_ID_RE, 'a Feishu event id');
    assert.equal(item.start_time.timestamp, unix(DT_START));
    assert.equal(item.end_time.timestamp, unix(DT_END));

    const ev = await getEvent(client, aliceCal, fsId, { userTok: aliceTok, needAttendee: true });
    assert.equal(ev.summary, 'Made in DingTalk');
    assert.equal(ev.description, 'cross-dialect');
    assert.deepEqual(ev.start_time, { timestamp: unix(DT_START), timezone: TZ });
    assert.deepEqual(ev.end_time, { timestamp: unix(DT_END), timezone: TZ });
    assert.equal(ev.event_organizer?.user_id, alice.openId);
    const bobAtt = (ev.attendees ?? []).find((a: any) => a.type === 'user' && a.user_id === bob.openId);
    assert.ok(bobAtt, `bob is an attendee: ${JSON.stringify(ev.attendees)}`);
    assert.equal(bobAtt.rsvp_status, 'accept', 'DingTalk accepted reads as Feishu accept');
    assert.equal(bobAtt.display_name, 'Bob');

    const bobView = await getEvent(client, bobCal, fsId, { userTok: bobTok });
    assert.equal(bobView.summary, 'Made in DingTalk');
  });

  it('it is editable through Feishu: patch, add an attendee, answer — DingTalk sees all three', async () => {
    ok(
      await client.calendar.v4.calendarEvent.patch(
        { path: { calendar_id: aliceCal, event_id: fsId }, data: { summary: 'Made in DingTalk, edited in Feishu' } },
        as(aliceTok),
      ),
    );
    await addAttendees(client, aliceCal, fsId, [userAtt(carol.openId)], { userTok: aliceTok });
    ok(
      await client.calendar.v4.calendarEvent.reply(
        { path: { calendar_id: bobCal, event_id: fsId }, data: { rsvp_status: 'decline' } },
        as(bobTok),
      ),
    );
    const got = await dt.getEvent(alice.unionId, dtId);
    assert.equal(got.statusCode, 200);
    assert.equal(got.body.summary, 'Made in DingTalk, edited in Feishu');
    const byId = Object.fromEntries((got.body.attendees as any[]).map((a) => [a.id, a.responseStatus]));
    assert.equal(byId[bob.unionId], 'declined');
    assert.equal(byId[carol.unionId], 'needsAction');
    assert.equal(Date.parse(got.body.start.dateTime), Date.parse(DT_START), 'times unchanged');
  });
});

describe('Feishu → DingTalk', () => {
  let fsId = '';
  const START = '2031-03-05T14:00:00+08:00';

  it('an event made through Feishu with alice’s token, attendees added in Feishu, shows through DingTalk', async () => {
    const ev = await createEvent(
      client,
      aliceCal,
      { ...timedEvent('Made in Feishu', START, 45), description: 'from lark' },
      { userTok: aliceTok },
    );
    fsId = ev.event_id;
    await addAttendees(client, aliceCal, fsId, [userAtt(dave.openId)], { userTok: aliceTok });
    await addAttendees(client, aliceCal, fsId, [userAtt(bob.unionId)], { userTok: aliceTok, userIdType: 'union_id' });

    const events = await dt.listAllEvents(alice.unionId, {
      timeMin: '2031-03-05T00:00:00+08:00',
      timeMax: '2031-03-06T00:00:00+08:00',
    });
    const hits = events.filter((e) => e.summary === 'Made in Feishu');
    assert.equal(hits.length, 1, `DingTalk lists it once: ${JSON.stringify(events).slice(0, 500)}`);
    const dtEv = hits[0];
    assert.equal(Date.parse(dtEv.start.dateTime), Date.parse(START));
    assert.equal(Date.parse(dtEv.end.dateTime), Date.parse(START) + 45 * 60_000);
    assert.equal(dtEv.description, 'from lark');
    assert.equal(dtEv.organizer?.id, alice.unionId);

    const got = await dt.getEvent(alice.unionId, dtEv.id);
    assert.equal(got.statusCode, 200);
    // (the organizer may or may not be listed among the attendees; the invitees must be)
    const invitees = (got.body.attendees as any[]).filter((a) => a.id !== alice.unionId);
    assert.deepEqual(invitees.map((a) => a.id).sort(), [bob.unionId, dave.unionId].sort());
    for (const a of invitees) assert.equal(a.responseStatus, 'needsAction');

    // dave answers through DingTalk; Feishu shows tentative
    const r = await dt.respond(dave.unionId, dtEv.id, 'tentative');
    assert.equal(r.statusCode, 200);
    const items = await listAllAttendees(client, aliceCal, fsId, { userTok: aliceTok });
    assert.equal(items.find((a) => a.user_id === dave.openId)?.rsvp_status, 'tentative');
    assert.equal(items.find((a) => a.user_id === bob.openId)?.rsvp_status, 'needs_action');
  });

  it('the invitee’s DingTalk primary calendar has it too', async () => {
    const events = await dt.listAllEvents(dave.unionId, {
      timeMin: '2031-03-05T00:00:00+08:00',
      timeMax: '2031-03-06T00:00:00+08:00',
    });
    assert.ok(events.some((e) => e.summary === 'Made in Feishu'), 'dave sees the Feishu event through DingTalk');
  });
});
