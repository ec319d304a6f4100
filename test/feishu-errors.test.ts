// Every Feishu error code of the contract read back through the SDK (the thrown AxiosError: HTTP status, code,
// seed 001's msg, error.log_id and X-Tt-Logid), plus the auth endpoints and their errors. The positive twin of
// each permission rule is checked too, so a server that refuses everything does not pass.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { buildFeishuFixture } from './helpers/feishu-directory.ts';
import {
  addAttendees,
  appAccessToken,
  as,
  authCode,
  createEvent,
  expectFsError,
  expectFsErrorOneOf,
  fsClient,
  fsRaw,
  getEvent,
  lark,
  listAllAttendees,
  ok,
  primaryCalendarId,
  settle,
  tenantToken,
  timedEvent,
  userAtt,
  userToken,
} from './helpers/feishu.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const fx = buildFeishuFixture({ tag: 'err' });
const { users, chat, room, app, readonlyApp, rwApp, noBotApp } = fx.acme;
const { alice, bob, carol, zed } = users;

let srv: KalendsServer;
let client: lark.Client;
let botCal = '';
let aliceTok = '';
let bobTok = '';
let aliceCal = '';
let bobCal = '';

/** bot organizes; alice attends; attendee_ability can_see_others */
let EV = '';
/** bot organizes; alice attends; attendee_ability none */
let EV_NONE = '';
/** bot organizes; alice + bob attend; attendee_ability can_invite_others */
let EV_INV = '';
/** bob's private shared calendar */
let BOB_PRIV = '';

const UNKNOWN_CAL = 'feishu.cn_0000deadbeef0000@group.calendar.feishu.cn';
const unknownEvent = () => `${randomUUID()}_0`;

before(async () => {
  srv = await startServer({ directory: fx.directory, extraArgs: ['--rate-limit', 'off'] });
  client = fsClient(srv.baseUrl, app);
  botCal = await primaryCalendarId(client);
  aliceTok = await userToken(client, srv.baseUrl, app.appId, alice.openId);
  bobTok = await userToken(client, srv.baseUrl, app.appId, bob.openId);
  aliceCal = await primaryCalendarId(client, aliceTok);
  bobCal = await primaryCalendarId(client, bobTok);

  EV = (await createEvent(client, botCal, timedEvent('Errors EV', '2031-07-01T10:00:00+08:00', 60, { attendee_ability: 'can_see_others' }))).event_id;
  await addAttendees(client, botCal, EV, [userAtt(alice.openId)]);
  EV_NONE = (await createEvent(client, botCal, timedEvent('Errors none', '2031-07-01T12:00:00+08:00', 60, { attendee_ability: 'none' }))).event_id;
  await addAttendees(client, botCal, EV_NONE, [userAtt(alice.openId)]);
  EV_INV = (await createEvent(client, botCal, timedEvent('Errors invite', '2031-07-01T14:00:00+08:00', 60, { attendee_ability: 'can_invite_others' }))).event_id;
  await addAttendees(client, botCal, EV_INV, [userAtt(alice.openId), userAtt(bob.openId)]);
  BOB_PRIV = ok(
    await client.calendar.v4.calendar.create({ data: { summary: 'Bob private', permissions: 'private' } }, as(bobTok)),
  ).calendar.calendar_id;
});

after(async () => {
  await srv?.cleanup();
});

const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
const APP_TOKEN_PATH = '/open-apis/auth/v3/app_access_token/internal';

describe('auth: tenant_access_token and app_access_token', () => {
  it('tenant_access_token/internal answers top-level {code:0, msg, tenant_access_token t-…, expire 7200}', async () => {
    const res = await fsRaw(srv.baseUrl, 'POST', TOKEN_PATH, { body: { app_id: app.appId, app_secret: app.appSecret } });
    assert.equal(res.status, 200);
    assert.equal(res.json.code, 0);
    assert.equal(typeof res.json.msg, 'string');
    assert.match(res.json.tenant_access_token, /^t-\S+$/);
    assert.equal(res.json.expire, 7200);
  });

  it('app_access_token/internal answers {code:0, msg, app_access_token a-…, expire 7200}', async () => {
    const res = await fsRaw(srv.baseUrl, 'POST', APP_TOKEN_PATH, { body: { app_id: app.appId, app_secret: app.appSecret } });
    assert.equal(res.status, 200);
    assert.equal(res.json.code, 0);
    assert.match(res.json.app_access_token, /^a-\S+$/);
    assert.equal(res.json.expire, 7200);
  });

  it('token endpoints ignore an Authorization header (the SDK sends its cached Bearer)', async () => {
    const res = await fsRaw(srv.baseUrl, 'POST', TOKEN_PATH, {
      body: { app_id: app.appId, app_secret: app.appSecret },
      headers: { authorization: 'Bearer t-garbage' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.json.code, 0);
  });

  it('wrong app_secret → HTTP 400 {code:10014, msg:"app secret invalid"} on both endpoints', async () => {
    for (const p of [TOKEN_PATH, APP_TOKEN_PATH]) {
      const res = await fsRaw(srv.baseUrl, 'POST', p, { body: { app_id: app.appId, app_secret: 'wrong' } });
      assert.equal(res.status, 400, `${p}: ${res.text}`);
      assert.equal(res.json.code, 10014, p);
      assert.equal(res.json.msg, 'app secret invalid', p);
      assert.equal(res.json.tenant_access_token, undefined);
      assert.equal(res.json.app_access_token, undefined);
    }
  });

  it('unknown app_id → HTTP 400 {code:10003, msg:"invalid app_id"} on both endpoints', async () => {
    for (const p of [TOKEN_PATH, APP_TOKEN_PATH]) {
      const res = await fsRaw(srv.baseUrl, 'POST', p, { body: { app_id: 'cli_nosuchapp', app_secret: 'x' } });
      assert.equal(res.status, 400, `${p}: ${res.text}`);
      assert.equal(res.json.code, 10003, p);
      assert.equal(res.json.msg, 'invalid app_id', p);
    }
  });

  it('a DingTalk appKey is not a Feishu app_id (10003)', async () => {
    const d = fx.acme.dingtalkApp;
    const res = await fsRaw(srv.baseUrl, 'POST', TOKEN_PATH, { body: { app_id: d.appKey, app_secret: d.appSecret } });
    assert.equal(res.status, 400);
    assert.equal(res.json.code, 10003);
  });

  it('the SDK with a wrong secret fails to get its tenant_access_token (code 10014) and makes no calendar call', async () => {
    // A private cache: the default one already holds this appId's good token.
    const bad = fsClient(srv.baseUrl, { appId: app.appId, appSecret: 'wrong-secret' }, { privateCache: true });
    const r = await settle(bad.calendar.v4.calendar.primary({}));
    assert.equal(r.ok, false, 'the call must fail');
    if (!r.ok) {
      const e = r.error;
      const viaMessage = typeof e?.message === 'string' && /failed to get tenant_access_token/.test(e.message) && /10014/.test(e.message);
      const viaHttp = e?.response?.status === 400 && e?.response?.data?.code === 10014 && /tenant_access_token/.test(String(e?.config?.url));
      assert.ok(viaMessage || viaHttp, `expected a tenant_access_token failure with 10014, got ${e?.message} ${JSON.stringify(e?.response?.data)}`);
    }
  });
});

describe('auth: calendar calls', () => {
  it('no Authorization header → 400 99991661', async () => {
    const bare = fsClient(srv.baseUrl, app, { disableTokenCache: true });
    await expectFsError(bare.calendar.v4.calendar.primary({}), 99991661, { status: 400 });
    await expectFsError(
      bare.calendar.v4.calendarEvent.get({ path: { calendar_id: botCal, event_id: EV } }),
      99991661,
      { status: 400 },
    );
  });

  it('unknown or malformed token → 400 99991663', async () => {
    const bare = fsClient(srv.baseUrl, app, { disableTokenCache: true });
    for (const t of ['t-0123456789abcdef0123456789abcdef', 'not-a-token', 'u-0123456789abcdef', 'a-0123456789abcdef']) {
      await expectFsError(bare.calendar.v4.calendar.primary({}, lark.withTenantToken(t)), 99991663, { status: 400, label: t });
    }
    await expectFsError(client.calendar.v4.calendar.primary({}, lark.withUserAccessToken('u-forged')), 99991663, {
      status: 400,
    });
  });

  it('a DingTalk access token is not a Feishu token (99991663)', async () => {
    const d = fx.acme.dingtalkApp;
    const res = await fsRaw(srv.baseUrl, 'POST', '/v1.0/oauth2/accessToken', { body: { appKey: d.appKey, appSecret: d.appSecret } });
    assert.equal(res.status, 200, res.text);
    const bare = fsClient(srv.baseUrl, app, { disableTokenCache: true });
    await expectFsError(bare.calendar.v4.calendar.primary({}, lark.withTenantToken(res.json.accessToken)), 99991663, {
      status: 400,
    });
  });

  it('a token fetched explicitly works with disableTokenCache + withTenantToken', async () => {
    const bare = fsClient(srv.baseUrl, app, { disableTokenCache: true });
    const t = await tenantToken(srv.baseUrl, app);
    const data = ok(await bare.calendar.v4.calendar.primary({}, lark.withTenantToken(t)));
    assert.equal(data.calendars[0].calendar.calendar_id, botCal);
  });

  it('read-only app (calendar:calendar:readonly): reads work, writes → 400 99991672', async () => {
    const ro = fsClient(srv.baseUrl, readonlyApp);
    const roCal = await primaryCalendarId(ro);
    ok(await ro.calendar.v4.calendarEvent.list({ path: { calendar_id: roCal } }));
    ok(await ro.calendar.v4.calendar.list({}));
    await expectFsError(ro.calendar.v4.calendar.create({ data: { summary: 'nope' } }), 99991672, { status: 400 });
    await expectFsError(
      ro.calendar.v4.calendarEvent.create({ path: { calendar_id: roCal }, data: timedEvent('nope') as any }),
      99991672,
      { status: 400 },
    );
    // nothing was created
    const events = ok(await ro.calendar.v4.calendarEvent.list({ path: { calendar_id: roCal } })).items ?? [];
    assert.equal(events.length, 0);
  });

  it('app with scope calendar:calendar (read+write) writes', async () => {
    const rw = fsClient(srv.baseUrl, rwApp);
    const rwCal = await primaryCalendarId(rw);
    const ev = await createEvent(rw, rwCal, timedEvent('rw app event'));
    assert.equal(ev.summary, 'rw app event');
  });

  it('app with bot:false → 404 190007 on calendar calls', async () => {
    const nb = fsClient(srv.baseUrl, noBotApp);
    await expectFsError(nb.calendar.v4.calendar.primary({}), 190007);
    await expectFsError(nb.calendar.v4.calendar.create({ data: { summary: 'x' } }), 190007);
  });
});

describe('auth: user identity (sandbox OAuth)', () => {
  it('authorize → 302 with code and state; oidc access_token with an app_access_token → u-… for that user', async () => {
    const code = await authCode(srv.baseUrl, app.appId, carol.openId);
    const appTok = await appAccessToken(srv.baseUrl, app);
    const res = await fsRaw(srv.baseUrl, 'POST', '/open-apis/authen/v1/oidc/access_token', {
      token: appTok,
      body: { grant_type: 'authorization_code', code },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.code, 0);
    assert.match(res.json.data.access_token, /^u-\S+$/);
    const cals = ok(await client.calendar.v4.calendar.primary({}, as(res.json.data.access_token))).calendars;
    assert.equal(cals[0].user_id, carol.openId);
  });

  it('login_hint may be an open_id, union_id or user_id: the same user either way', async () => {
    const t1 = await userToken(client, srv.baseUrl, app.appId, bob.unionId);
    const t2 = await userToken(client, srv.baseUrl, app.appId, bob.userId);
    assert.equal(await primaryCalendarId(client, t1), bobCal);
    assert.equal(await primaryCalendarId(client, t2), bobCal);
  });

  it('an authorization code is single-use', async () => {
    const code = await authCode(srv.baseUrl, app.appId, bob.openId);
    ok(await client.authen.oidcAccessToken.create({ data: { grant_type: 'authorization_code', code } }));
    const again = await settle(client.authen.oidcAccessToken.create({ data: { grant_type: 'authorization_code', code } }));
    const failed = !again.ok || (again.value as any)?.code !== 0;
    assert.ok(failed, 'reusing an authorization code must not mint a second token');
  });
});

describe('19xxxx codes (seed 001 table)', () => {
  it('190002 missing required field (end_time)', async () => {
    await expectFsError(
      client.calendar.v4.calendarEvent.create({
        path: { calendar_id: botCal },
        data: { summary: 'x', start_time: { timestamp: '1930000000' } } as any,
      }),
      190002,
    );
  });

  it('190002 wrong type (summary number, start_time string)', async () => {
    await expectFsError(
      client.calendar.v4.calendarEvent.create({ path: { calendar_id: botCal }, data: { ...timedEvent('x'), summary: 42 } as any }),
      190002,
    );
    await expectFsError(
      client.calendar.v4.calendarEvent.create({ path: { calendar_id: botCal }, data: { ...timedEvent('x'), start_time: 'soon' } as any }),
      190002,
    );
  });

  it('191000 calendar not found', async () => {
    await expectFsError(client.calendar.v4.calendar.get({ path: { calendar_id: UNKNOWN_CAL } }), 191000);
    await expectFsError(client.calendar.v4.calendarEvent.list({ path: { calendar_id: UNKNOWN_CAL } }), 191000);
  });

  it('191001 invalid calendar_id', async () => {
    await expectFsError(client.calendar.v4.calendar.get({ path: { calendar_id: 'not-a-calendar-id' } }), 191001);
    await expectFsError(
      client.calendar.v4.calendarEvent.create({ path: { calendar_id: 'nope' }, data: timedEvent('x') as any }),
      191001,
    );
  });

  it('191002 no access role on the calendar (someone else’s private calendar); the owner reads it', async () => {
    await expectFsError(client.calendar.v4.calendar.get({ path: { calendar_id: BOB_PRIV } }, as(aliceTok)), 191002);
    await expectFsError(
      client.calendar.v4.calendarEvent.create({ path: { calendar_id: BOB_PRIV }, data: timedEvent('x') as any }, as(aliceTok)),
      191002,
    );
    const mine = ok(await client.calendar.v4.calendar.get({ path: { calendar_id: BOB_PRIV } }, as(bobTok)));
    assert.equal(mine.role, 'owner');
  });

  it('191003 (or 191000) for a deleted calendar', async () => {
    const cal = ok(await client.calendar.v4.calendar.create({ data: { summary: 'Doomed' } }, as(aliceTok))).calendar;
    assert.deepEqual(ok(await client.calendar.v4.calendar.delete({ path: { calendar_id: cal.calendar_id } }, as(aliceTok))), {});
    await expectFsErrorOneOf(
      client.calendar.v4.calendar.get({ path: { calendar_id: cal.calendar_id } }, as(aliceTok)),
      [191003, 191000],
      'get deleted',
    );
    await expectFsErrorOneOf(
      client.calendar.v4.calendarEvent.create(
        { path: { calendar_id: cal.calendar_id }, data: timedEvent('x') as any },
        as(aliceTok),
      ),
      [191003, 191000],
      'create on deleted',
    );
  });

  it('191004 a primary calendar cannot be deleted', async () => {
    await expectFsError(client.calendar.v4.calendar.delete({ path: { calendar_id: botCal } }), 191004);
    await expectFsError(client.calendar.v4.calendar.delete({ path: { calendar_id: aliceCal } }, as(aliceTok)), 191004);
    // still there
    assert.equal(await primaryCalendarId(client, aliceTok), aliceCal);
  });

  it('193000 invalid event_id', async () => {
    await expectFsError(client.calendar.v4.calendarEvent.get({ path: { calendar_id: botCal, event_id: 'not-an-event' } }), 193000);
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.list({ path: { calendar_id: botCal, event_id: '!!' } }),
      193000,
    );
  });

  it('193001 event not found (well-formed id, also an event of another calendar)', async () => {
    await expectFsError(client.calendar.v4.calendarEvent.get({ path: { calendar_id: botCal, event_id: unknownEvent() } }), 193001);
    await expectFsError(
      client.calendar.v4.calendarEvent.patch({ path: { calendar_id: botCal, event_id: unknownEvent() }, data: { summary: 'x' } }),
      193001,
    );
    // bob is not invited to EV: it is not on his calendar
    await expectFsError(client.calendar.v4.calendarEvent.get({ path: { calendar_id: bobCal, event_id: EV } }, as(bobTok)), 193001);
  });

  it('193002 patch/delete by a non-organizer; the event is unchanged', async () => {
    await expectFsError(
      client.calendar.v4.calendarEvent.patch({ path: { calendar_id: aliceCal, event_id: EV }, data: { summary: 'hijacked' } }, as(aliceTok)),
      193002,
    );
    await expectFsError(client.calendar.v4.calendarEvent.delete({ path: { calendar_id: aliceCal, event_id: EV } }, as(aliceTok)), 193002);
    const ev = await getEvent(client, botCal, EV);
    assert.equal(ev.summary, 'Errors EV');
  });

  it('193003 deleted event', async () => {
    const e = (await createEvent(client, botCal, timedEvent('Doomed event'))).event_id;
    assert.deepEqual(ok(await client.calendar.v4.calendarEvent.delete({ path: { calendar_id: botCal, event_id: e } })), {});
    await expectFsError(client.calendar.v4.calendarEvent.get({ path: { calendar_id: botCal, event_id: e } }), 193003);
    await expectFsError(
      client.calendar.v4.calendarEvent.patch({ path: { calendar_id: botCal, event_id: e }, data: { summary: 'x' } }),
      193003,
    );
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.create({
        path: { calendar_id: botCal, event_id: e },
        data: { attendees: [{ type: 'user', user_id: bob.openId }] },
      }),
      193003,
    );
  });

  it('194000 unknown attendee_id in batch_delete (nothing removed) and in chat_members', async () => {
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.batchDelete({
        path: { calendar_id: botCal, event_id: EV },
        data: { attendee_ids: ['user_999999999'] },
      }),
      194000,
    );
    const before = await listAllAttendees(client, botCal, EV);
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.batchDelete({
        path: { calendar_id: botCal, event_id: EV },
        data: { attendee_ids: [before[0].attendee_id, 'chat_999999999'] },
      }),
      194000,
    );
    assert.deepEqual(await listAllAttendees(client, botCal, EV), before, 'a rejected batch_delete changes nothing');
    await expectFsError(
      client.calendar.v4.calendarEventAttendeeChatMember.list({
        path: { calendar_id: botCal, event_id: EV, attendee_id: 'chat_999999999' },
      }),
      194000,
    );
  });

  it('194001 listing attendees with attendee_ability none (not the organizer); can_see_others may list', async () => {
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.list({ path: { calendar_id: aliceCal, event_id: EV_NONE } }, as(aliceTok)),
      194001,
    );
    const seen = ok(
      await client.calendar.v4.calendarEventAttendee.list({ path: { calendar_id: aliceCal, event_id: EV } }, as(aliceTok)),
    );
    assert.ok(seen.items.some((a: any) => a.user_id === alice.openId));
  });

  it('194002 adding without invite right; can_invite_others lets an attendee add', async () => {
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.create(
        { path: { calendar_id: aliceCal, event_id: EV }, data: { attendees: [{ type: 'user', user_id: carol.openId }] } },
        as(aliceTok),
      ),
      194002,
    );
    assert.equal((await listAllAttendees(client, botCal, EV)).some((a) => a.user_id === carol.openId), false);
    const out = await addAttendees(client, aliceCal, EV_INV, [userAtt(carol.openId)], { userTok: aliceTok });
    assert.equal(out[0].user_id, carol.openId);
    assert.ok((await listAllAttendees(client, botCal, EV_INV)).some((a) => a.user_id === carol.openId));
  });

  it('194003 only the organizer removes attendees (even with can_invite_others)', async () => {
    const before = await listAllAttendees(client, botCal, EV_INV);
    const bobAtt = before.find((a) => a.user_id === bob.openId);
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.batchDelete(
        { path: { calendar_id: aliceCal, event_id: EV_INV }, data: { attendee_ids: [bobAtt.attendee_id] } },
        as(aliceTok),
      ),
      194003,
    );
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.batchDelete(
        { path: { calendar_id: aliceCal, event_id: EV_INV }, data: { delete_ids: [{ type: 'user', user_id: bob.openId }] } },
        as(aliceTok),
      ),
      194003,
    );
    assert.deepEqual(await listAllAttendees(client, botCal, EV_INV), before);
  });

  it('194004 invalid attendee type or missing id field; nothing is added', async () => {
    const path = { calendar_id: botCal, event_id: EV };
    const before = await listAllAttendees(client, botCal, EV);
    for (const bad of [
      { type: 'robot', user_id: bob.openId },
      { type: 'user' },
      { type: 'chat' },
      { type: 'resource' },
      { type: 'third_party' },
      { type: 'user', chat_id: chat.chatId },
    ]) {
      await expectFsError(
        client.calendar.v4.calendarEventAttendee.create({ path, data: { attendees: [userAtt(bob.openId), bad] as any } }),
        194004,
        { label: JSON.stringify(bad) },
      );
    }
    assert.deepEqual(await listAllAttendees(client, botCal, EV), before, 'a rejected add changes nothing');
  });

  it('195100 a user who left, does not exist, or belongs to another tenant; nothing is added', async () => {
    const path = { calendar_id: botCal, event_id: EV };
    const before = await listAllAttendees(client, botCal, EV);
    for (const uid of [zed.openId, 'ou_00000000000000000000000000000000', fx.globex.users.gina.openId]) {
      await expectFsError(
        client.calendar.v4.calendarEventAttendee.create({
          path,
          data: { attendees: [{ type: 'user', user_id: bob.openId }, { type: 'user', user_id: uid }] },
        }),
        195100,
        { label: uid },
      );
    }
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.create({
        path,
        params: { user_id_type: 'user_id' },
        data: { attendees: [{ type: 'user', user_id: zed.userId }] },
      }),
      195100,
    );
    assert.deepEqual(await listAllAttendees(client, botCal, EV), before);
  });

  it('a room or chat of another tenant is not addable (4xx, nothing added)', async () => {
    const before = await listAllAttendees(client, botCal, EV);
    for (const bad of [
      { type: 'resource', room_id: fx.globex.room.roomId },
      { type: 'chat', chat_id: fx.globex.chat.chatId },
      { type: 'resource', room_id: room.roomId + 'x' },
    ]) {
      const r = await settle(client.calendar.v4.calendarEventAttendee.create({ path: { calendar_id: botCal, event_id: EV }, data: { attendees: [bad as any] } }));
      assert.equal(r.ok, false, `${JSON.stringify(bad)} must be rejected`);
      if (!r.ok) {
        const status = r.error?.response?.status;
        assert.ok(status >= 400 && status < 500, `${JSON.stringify(bad)}: HTTP ${status}`);
      }
    }
    assert.deepEqual(await listAllAttendees(client, botCal, EV), before);
  });
});
