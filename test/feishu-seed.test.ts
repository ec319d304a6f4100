// Seed 001 (Feishu batch_delete attendees): its Node.js example run as written (only domain, credentials and ids
// changed), and the attendee lifecycle around it: create an event → add one attendee of each type → list → reply
// → batch_delete by attendee_ids and by delete_ids, as the app's bot, as a user, and on a shared calendar.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildFeishuFixture } from './helpers/feishu-directory.ts';
import {
  ATTENDEE_ID_RE,
  SEED_ERRORS,
  CAL_ID_RE,
  EVENT_ID_RE,
  addAttendees,
  as,
  batchDelete,
  createEvent,
  fsClient,
  getEvent,
  lark,
  listAllAttendees,
  ok,
  primaryCalendarId,
  tenantToken,
  timedEvent,
  userAtt,
  userToken,
} from './helpers/feishu.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const fx = buildFeishuFixture({ tag: 'seed' });
const { users, chat, chat2, room, app } = fx.acme;
const { alice, bob, carol, erin, dave } = users;

let srv: KalendsServer;
let client: lark.Client;
let botCal = '';
let aliceTok = '';
let carolTok = '';
let bobTok = '';
let aliceCal = '';
let carolCal = '';
let bobCal = '';

before(async () => {
  srv = await startServer({ directory: fx.directory, extraArgs: ['--rate-limit', 'off'] });
  client = fsClient(srv.baseUrl, app);
  botCal = await primaryCalendarId(client);
  aliceTok = await userToken(client, srv.baseUrl, app.appId, alice.openId);
  carolTok = await userToken(client, srv.baseUrl, app.appId, carol.openId);
  bobTok = await userToken(client, srv.baseUrl, app.appId, bob.openId);
  aliceCal = await primaryCalendarId(client, aliceTok);
  carolCal = await primaryCalendarId(client, carolTok);
  bobCal = await primaryCalendarId(client, bobTok);
});

after(async () => {
  await srv?.cleanup();
});

const byType = (items: any[], type: string) => items.filter((a) => a.type === type);

describe('seed 001: the Node.js SDK example of batch_delete, as written', () => {
  it('removes the attendee named in attendee_ids and the user named in delete_ids, and nothing else', async () => {
    // The event the example's ids come from: five attendees, one per kind, two users.
    const ev = await createEvent(client, botCal, timedEvent('Seed 001 event', '2031-06-02T09:00:00+08:00'));
    const added = await addAttendees(client, botCal, ev.event_id, [
      userAtt(alice.openId),
      userAtt(bob.openId),
      { type: 'chat', chat_id: chat.chatId },
      { type: 'resource', room_id: room.roomId },
      { type: 'third_party', third_party_email: 'wangwu@email.com' },
    ]);
    const aliceAttendeeId: string = added.find((a) => a.user_id === alice.openId)?.attendee_id;
    assert.match(aliceAttendeeId, ATTENDEE_ID_RE.user!);

    const tenantAccessToken = await tenantToken(srv.baseUrl, app);
    let result: unknown;
    let failure: unknown;

    // ---- seed 001, Nodejs SDK (domain and credentials changed; ids from the event above) ----
    const client2 = new lark.Client({
      appId: app.appId,
      appSecret: app.appSecret,
      domain: srv.baseUrl,
      // disableTokenCache为true时，SDK不会主动拉取并缓存token，这时需要在发起请求时，调用lark.withTenantToken("token")手动传递
      // disableTokenCache为false时，SDK会自动管理租户token的获取与刷新，无需使用lark.withTenantToken("token")手动传递token
      disableTokenCache: true,
    });

    await client2.calendar.v4.calendarEventAttendee
      .batchDelete(
        {
          path: {
            calendar_id: botCal,
            event_id: ev.event_id,
          },
          params: {
            user_id_type: 'open_id',
          },
          data: {
            attendee_ids: [aliceAttendeeId],
            delete_ids: [
              {
                type: 'user',
                user_id: bob.openId,
                chat_id: chat.chatId,
                room_id: room.roomId,
                third_party_email: 'wangwu@email.com',
              },
            ],
            need_notification: false,
            instance_start_time_admin: '1647320400',
            is_enable_admin: false,
          },
        },
        lark.withTenantToken(tenantAccessToken),
      )
      .then((res) => {
        result = res;
      })
      .catch((e) => {
        failure = e?.response?.data ?? e;
      });
    // ---- end of the seed example ----

    assert.equal(failure, undefined, `the seed example failed: ${JSON.stringify(failure)}`);
    assert.deepEqual(result, { code: 0, msg: 'success', data: {} });

    // type 'user' picks user_id: the chat, room and third-party attendees named in the other fields stay.
    const left = await listAllAttendees(client, botCal, ev.event_id);
    assert.deepEqual(
      left.map((a) => a.type),
      ['chat', 'resource', 'third_party'],
      `left: ${JSON.stringify(left)}`,
    );
    assert.equal(left.some((a) => a.user_id === alice.openId || a.user_id === bob.openId), false);
    assert.equal(byType(left, 'chat')[0]?.chat_id, chat.chatId);
    assert.equal(byType(left, 'resource')[0]?.room_id, room.roomId);
    assert.equal(byType(left, 'third_party')[0]?.third_party_email, 'wangwu@email.com');
  });
});

describe('the attendee lifecycle as the bot: one of each type → list → reply → batch_delete', () => {
  let E = '';
  let ids: Record<string, string> = {};

  it('creates an event on the bot primary calendar', async () => {
    assert.match(botCal, CAL_ID_RE);
    const ev = await createEvent(
      client,
      botCal,
      timedEvent('Lifecycle', '2031-06-03T14:00:00+08:00', 30, { attendee_ability: 'can_see_others' }),
    );
    assert.match(ev.event_id, EVENT_ID_RE);
    assert.equal(ev.summary, 'Lifecycle');
    assert.equal(ev.organizer_calendar_id, botCal);
    E = ev.event_id;
  });

  it('adds one attendee of each type in one call', async () => {
    const out = await addAttendees(client, botCal, E, [
      userAtt(alice.openId),
      { type: 'chat', chat_id: chat.chatId },
      { type: 'resource', room_id: room.roomId },
      { type: 'third_party', third_party_email: 'guest@partner.example' },
    ]);
    assert.deepEqual(
      out.map((a) => a.type),
      ['user', 'chat', 'resource', 'third_party'],
    );
    for (const a of out) {
      assert.match(a.attendee_id, ATTENDEE_ID_RE[a.type]!, `attendee_id of a ${a.type}`);
      assert.equal(a.is_organizer, false, `${a.type}.is_organizer`);
      assert.equal(a.is_optional, false, `${a.type}.is_optional`);
      ids[a.type] = a.attendee_id;
    }
    assert.equal(new Set(Object.values(ids)).size, 4, 'attendee ids are distinct');
    const [u, c, r, t] = out;
    assert.equal(u.user_id, alice.openId);
    assert.equal(u.display_name, 'Alice');
    assert.equal(u.rsvp_status, 'needs_action');
    assert.equal(c.chat_id, chat.chatId);
    assert.equal(c.display_name, 'Team');
    // A chat has no answer of its own: its members answer one by one (chat_members).
    assert.equal(c.rsvp_status, undefined);
    assert.ok(Array.isArray(c.chat_members), 'chat attendee has chat_members');
    assert.deepEqual(
      c.chat_members.map((m: any) => m.display_name).sort(),
      ['Carol', 'Erin'],
    );
    for (const m of c.chat_members) {
      assert.equal(m.rsvp_status, 'needs_action');
      assert.equal(m.is_organizer, false);
      assert.equal(m.is_optional, false);
      assert.equal(m.is_external, false);
    }
    assert.equal(r.room_id, room.roomId);
    assert.equal(r.display_name, 'Orion');
    assert.equal(r.rsvp_status, 'accept');
    assert.equal(t.third_party_email, 'guest@partner.example');
    assert.equal(t.rsvp_status, 'needs_action');
  });

  it('lists them in the order added; get need_attendee returns the same', async () => {
    const res = await client.calendar.v4.calendarEventAttendee.list({ path: { calendar_id: botCal, event_id: E } });
    const data = ok(res);
    assert.equal(data.has_more, false);
    assert.deepEqual(
      data.items.map((a: any) => a.attendee_id),
      [ids.user, ids.chat, ids.resource, ids.third_party],
    );
    const ev = await getEvent(client, botCal, E, { needAttendee: true });
    assert.deepEqual(
      ev.attendees.map((a: any) => a.attendee_id),
      [ids.user, ids.chat, ids.resource, ids.third_party],
    );
    assert.equal(ev.has_more_attendee, false);
  });

  it('the invitee sees the event on her own primary calendar and replies accept', async () => {
    const mine = await getEvent(client, aliceCal, E, { userTok: aliceTok });
    assert.equal(mine.event_id, E);
    assert.equal(mine.summary, 'Lifecycle');
    const res = await client.calendar.v4.calendarEvent.reply(
      { path: { calendar_id: aliceCal, event_id: E }, data: { rsvp_status: 'accept' } },
      as(aliceTok),
    );
    assert.deepEqual(ok(res), {});
    const items = await listAllAttendees(client, botCal, E);
    assert.equal(items.find((a) => a.attendee_id === ids.user)?.rsvp_status, 'accept');
  });

  it('a chat member answers for herself: chat_members shows her rsvp, the others unchanged', async () => {
    const res = await client.calendar.v4.calendarEvent.reply(
      { path: { calendar_id: carolCal, event_id: E }, data: { rsvp_status: 'tentative' } },
      as(carolTok),
    );
    assert.deepEqual(ok(res), {});
    const cm = ok(
      await client.calendar.v4.calendarEventAttendeeChatMember.list({
        path: { calendar_id: botCal, event_id: E, attendee_id: ids.chat! },
      }),
    );
    const byName = Object.fromEntries((cm.items as any[]).map((m) => [m.display_name, m.rsvp_status]));
    assert.deepEqual(byName, { Carol: 'tentative', Erin: 'needs_action' });
    assert.equal(cm.has_more, false);
    const items = await listAllAttendees(client, botCal, E);
    const chatAtt = items.find((a) => a.attendee_id === ids.chat);
    const inList = Object.fromEntries((chatAtt.chat_members as any[]).map((m) => [m.display_name, m.rsvp_status]));
    assert.deepEqual(inList, { Carol: 'tentative', Erin: 'needs_action' });
  });

  it('batch_delete by attendee_ids removes the room', async () => {
    await batchDelete(client, botCal, E, { attendee_ids: [ids.resource!] });
    const items = await listAllAttendees(client, botCal, E);
    assert.deepEqual(
      items.map((a) => a.attendee_id),
      [ids.user, ids.chat, ids.third_party],
    );
  });

  it('batch_delete by delete_ids removes the third party and the chat', async () => {
    await batchDelete(client, botCal, E, {
      delete_ids: [
        { type: 'third_party', third_party_email: 'guest@partner.example' },
        { type: 'chat', chat_id: chat.chatId },
      ],
    });
    const items = await listAllAttendees(client, botCal, E);
    assert.deepEqual(
      items.map((a) => a.attendee_id),
      [ids.user],
    );
    assert.equal(items[0].rsvp_status, 'accept', 'the remaining attendee keeps her answer');
  });

  it('batch_delete by delete_ids of type user (open_id) empties the list; the invitee no longer has it', async () => {
    await batchDelete(client, botCal, E, { delete_ids: [{ type: 'user', user_id: alice.openId }] });
    assert.deepEqual(await listAllAttendees(client, botCal, E), []);
    // carol was only invited through the chat; erin too: nobody is left.
    const ev = await getEvent(client, botCal, E, { needAttendee: true });
    assert.deepEqual(ev.attendees ?? [], []);
  });
});

describe('the same lifecycle with a user token (the user is the organizer)', () => {
  let E = '';

  it('alice creates on her primary, adds bob and a chat, removes with her own token', async () => {
    const ev = await createEvent(client, aliceCal, timedEvent('Alice hosts', '2031-06-04T10:00:00+08:00'), {
      userTok: aliceTok,
    });
    E = ev.event_id;
    assert.equal(ev.organizer_calendar_id, aliceCal);
    assert.equal(ev.event_organizer?.user_id, alice.openId);
    assert.equal(ev.event_organizer?.display_name, 'Alice');
    const out = await addAttendees(client, aliceCal, E, [userAtt(bob.openId), { type: 'chat', chat_id: chat2.chatId }], {
      userTok: aliceTok,
    });
    assert.equal(out[0].user_id, bob.openId);
    assert.equal(out[1].chat_id, chat2.chatId);
    assert.deepEqual(
      out[1].chat_members.map((m: any) => m.display_name).sort(),
      ['Alice', 'Bob', 'Dave'],
    );

    const bobView = await getEvent(client, bobCal, E, { userTok: bobTok });
    assert.equal(bobView.summary, 'Alice hosts');

    await batchDelete(client, aliceCal, E, { attendee_ids: [out[0].attendee_id] }, { userTok: aliceTok });
    await batchDelete(client, aliceCal, E, { delete_ids: [{ type: 'chat', chat_id: chat2.chatId }] }, { userTok: aliceTok });
    const items = await listAllAttendees(client, aliceCal, E, { userTok: aliceTok });
    assert.equal(
      items.some((a) => a.user_id === bob.openId || a.chat_id === chat2.chatId),
      false,
      `left: ${JSON.stringify(items)}`,
    );
  });
});

describe('on a shared calendar (primary or shared is required)', () => {
  it('owner of a shared calendar adds and removes by delete_ids with user_id_type user_id', async () => {
    const cal = ok(
      await client.calendar.v4.calendar.create(
        { data: { summary: 'Team shared', description: 'seed 001', permissions: 'private' } },
        as(aliceTok),
      ),
    ).calendar;
    assert.equal(cal.type, 'shared');
    const ev = await createEvent(client, cal.calendar_id, timedEvent('On shared', '2031-06-05T10:00:00+08:00'), {
      userTok: aliceTok,
    });
    const out = await addAttendees(client, cal.calendar_id, ev.event_id, [userAtt(dave.userId), userAtt(erin.userId)], {
      userTok: aliceTok,
      userIdType: 'user_id',
    });
    assert.deepEqual(
      out.map((a) => a.user_id),
      [dave.userId, erin.userId],
    );
    await batchDelete(
      client,
      cal.calendar_id,
      ev.event_id,
      { delete_ids: [{ type: 'user', user_id: dave.userId }] },
      { userTok: aliceTok, userIdType: 'user_id' },
    );
    const items = await listAllAttendees(client, cal.calendar_id, ev.event_id, { userTok: aliceTok, userIdType: 'user_id' });
    assert.deepEqual(
      items.filter((a) => a.type === 'user' && !a.is_organizer).map((a) => a.user_id),
      [erin.userId],
    );
  });
});

describe('seed 001 error table, to the letter', () => {
  it('each reachable code comes with the table’s HTTP status and exactly its description as msg', async () => {
    const ev = await createEvent(
      client,
      botCal,
      timedEvent('Table', '2031-06-06T10:00:00+08:00', 60, { attendee_ability: 'none' }),
    );
    await addAttendees(client, botCal, ev.event_id, [userAtt(alice.openId)]);
    const gone = await createEvent(client, botCal, timedEvent('Gone', '2031-06-06T12:00:00+08:00'));
    ok(await client.calendar.v4.calendarEvent.delete({ path: { calendar_id: botCal, event_id: gone.event_id } }));
    const bobPriv = ok(
      await client.calendar.v4.calendar.create({ data: { summary: 'Bob only', permissions: 'private' } }, as(bobTok)),
    ).calendar.calendar_id;
    const E = { calendar_id: botCal, event_id: ev.event_id };
    const A = { calendar_id: aliceCal, event_id: ev.event_id };
    const unknownEv = '00000000-0000-4000-8000-000000000000_0';
    const cases: Array<[number, () => Promise<unknown>]> = [
      [190002, () => client.calendar.v4.calendarEvent.create({ path: { calendar_id: botCal }, data: { summary: 'x' } as any })],
      [190007, () => fsClient(srv.baseUrl, fx.acme.noBotApp).calendar.v4.calendar.primary({})],
      [191000, () => client.calendar.v4.calendar.get({ path: { calendar_id: 'feishu.cn_0000aaaa0000@group.calendar.feishu.cn' } })],
      [191001, () => client.calendar.v4.calendar.get({ path: { calendar_id: 'bad-calendar' } })],
      [191002, () => client.calendar.v4.calendar.get({ path: { calendar_id: bobPriv } }, as(aliceTok))],
      [191004, () => client.calendar.v4.calendar.delete({ path: { calendar_id: botCal } })],
      [193000, () => client.calendar.v4.calendarEvent.get({ path: { calendar_id: botCal, event_id: 'bad-event' } })],
      [193001, () => client.calendar.v4.calendarEvent.get({ path: { calendar_id: botCal, event_id: unknownEv } })],
      [193002, () => client.calendar.v4.calendarEvent.patch({ path: A, data: { summary: 'x' } }, as(aliceTok))],
      [193003, () => client.calendar.v4.calendarEvent.get({ path: { calendar_id: botCal, event_id: gone.event_id } })],
      [194000, () => client.calendar.v4.calendarEventAttendee.batchDelete({ path: E, data: { attendee_ids: ['user_987654321'] } })],
      [194001, () => client.calendar.v4.calendarEventAttendee.list({ path: A }, as(aliceTok))],
      [194002, () => client.calendar.v4.calendarEventAttendee.create({ path: A, data: { attendees: [{ type: 'user', user_id: bob.openId }] } }, as(aliceTok))],
      [194003, () => client.calendar.v4.calendarEventAttendee.batchDelete({ path: A, data: { delete_ids: [{ type: 'user', user_id: alice.openId }] } }, as(aliceTok))],
      [194004, () => client.calendar.v4.calendarEventAttendee.create({ path: E, data: { attendees: [{ type: 'bot' as any, user_id: bob.openId }] } })],
      [195100, () => client.calendar.v4.calendarEventAttendee.create({ path: E, data: { attendees: [{ type: 'user', user_id: users.zed.openId }] } })],
    ];
    const problems: string[] = [];
    for (const [code, call] of cases) {
      const want = SEED_ERRORS[code]!;
      try {
        const v = await call();
        problems.push(`${code}: the call succeeded: ${JSON.stringify(v).slice(0, 200)}`);
      } catch (e: any) {
        const res = e?.response;
        const got = res ? `HTTP ${res.status} ${JSON.stringify(res.data).slice(0, 200)}` : String(e?.message);
        if (!res) problems.push(`${code}: no HTTP response: ${got}`);
        else if (res.data?.code !== code || res.status !== want.status || res.data?.msg !== want.msg) {
          problems.push(`${code}: want HTTP ${want.status} {code:${code}, msg:${JSON.stringify(want.msg)}}; got ${got}`);
        }
      }
    }
    assert.deepEqual(problems, [], `${problems.length} of ${cases.length} codes differ from seed 001:\n${problems.join('\n')}`);
  });
});
