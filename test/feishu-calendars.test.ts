// Feishu calendars through the SDK: primary, create/get/patch/delete, list (paging + sync_token), mget, primarys,
// search, subscribe/unsubscribe of a public shared calendar, and the push-subscription endpoints.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildFeishuFixture } from './helpers/feishu-directory.ts';
import {
  CAL_ID_RE,
  as,
  createEvent,
  expectFsErrorOneOf,
  fsClient,
  lark,
  ok,
  primaryCalendarId,
  timedEvent,
  userToken,
} from './helpers/feishu.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const fx = buildFeishuFixture({ tag: 'cal' });
const { users, app } = fx.acme;
const { alice, bob, carol } = users;

let srv: KalendsServer;
let client: lark.Client;
let botCal = '';
let aliceTok = '';
let bobTok = '';
let aliceCal = '';
let bobCal = '';
let carolTok = '';

before(async () => {
  srv = await startServer({ directory: fx.directory, extraArgs: ['--rate-limit', 'off'] });
  client = fsClient(srv.baseUrl, app);
  botCal = await primaryCalendarId(client);
  aliceTok = await userToken(client, srv.baseUrl, app.appId, alice.openId);
  bobTok = await userToken(client, srv.baseUrl, app.appId, bob.openId);
  aliceCal = await primaryCalendarId(client, aliceTok);
  bobCal = await primaryCalendarId(client, bobTok);
  carolTok = await userToken(client, srv.baseUrl, app.appId, carol.openId);
});

after(async () => {
  await srv?.cleanup();
});

async function listAll(userTok?: string, pageSize = 50): Promise<{ items: any[]; syncToken: unknown; pages: number }> {
  const items: any[] = [];
  let pageToken: string | undefined;
  for (let pages = 1; pages <= 100; pages++) {
    const params: Record<string, unknown> = { page_size: pageSize };
    if (pageToken) params.page_token = pageToken;
    const data = ok(await client.calendar.v4.calendar.list({ params: params as any }, as(userTok)), 'calendar.list');
    assert.ok(Array.isArray(data.calendar_list ?? []), 'calendar_list is an array');
    items.push(...(data.calendar_list ?? []));
    if (!data.has_more) return { items, syncToken: data.sync_token, pages };
    assert.equal(typeof data.page_token, 'string', 'has_more without page_token');
    pageToken = data.page_token;
  }
  throw new Error('calendar.list did not finish in 100 pages');
}

describe('calendar.primary', () => {
  it('with a tenant token: the bot’s own primary calendar, owner', async () => {
    const data = ok(await client.calendar.v4.calendar.primary({}));
    assert.equal(data.calendars.length, 1);
    const cal = data.calendars[0].calendar;
    assert.match(cal.calendar_id, CAL_ID_RE);
    assert.equal(cal.type, 'primary');
    assert.equal(cal.role, 'owner');
    assert.equal(typeof cal.summary, 'string');
    assert.ok(['private', 'show_only_free_busy', 'public'].includes(cal.permissions), `permissions ${cal.permissions}`);
  });

  it('with a user token: that user’s primary calendar and user_id in the requested id type', async () => {
    const byType: Array<[undefined | 'open_id' | 'union_id' | 'user_id', string]> = [
      [undefined, alice.openId],
      ['open_id', alice.openId],
      ['union_id', alice.unionId],
      ['user_id', alice.userId],
    ];
    for (const [t, expected] of byType) {
      const data = ok(
        await client.calendar.v4.calendar.primary({ params: t ? { user_id_type: t } : {} }, as(aliceTok)),
      );
      assert.equal(data.calendars[0].user_id, expected, `user_id_type ${t}`);
      assert.equal(data.calendars[0].calendar.calendar_id, aliceCal);
      assert.equal(data.calendars[0].calendar.type, 'primary');
      assert.equal(data.calendars[0].calendar.role, 'owner');
    }
    assert.notEqual(aliceCal, bobCal);
    assert.notEqual(aliceCal, botCal);
  });
});

describe('calendar create / get / patch / delete', () => {
  let C = '';

  it('create → data.calendar, type shared, role owner, fields as given', async () => {
    const data = ok(
      await client.calendar.v4.calendar.create(
        {
          data: {
            summary: 'Project Apollo',
            description: 'launch planning',
            permissions: 'public',
            color: -14513409,
            summary_alias: 'Apollo',
          },
        },
        as(aliceTok),
      ),
    );
    const cal = data.calendar;
    assert.match(cal.calendar_id, CAL_ID_RE);
    assert.notEqual(cal.calendar_id, aliceCal);
    assert.equal(cal.summary, 'Project Apollo');
    assert.equal(cal.description, 'launch planning');
    assert.equal(cal.permissions, 'public');
    assert.equal(typeof cal.color, 'number');
    assert.equal(cal.summary_alias, 'Apollo');
    assert.equal(cal.type, 'shared');
    assert.equal(cal.role, 'owner');
    C = cal.calendar_id;
  });

  it('get returns the calendar flat in data', async () => {
    const cal = ok(await client.calendar.v4.calendar.get({ path: { calendar_id: C } }, as(aliceTok)));
    assert.equal(cal.calendar_id, C);
    assert.equal(cal.summary, 'Project Apollo');
    assert.equal(cal.description, 'launch planning');
    assert.equal(cal.permissions, 'public');
    assert.equal(cal.summary_alias, 'Apollo');
    assert.equal(cal.type, 'shared');
    assert.equal(cal.role, 'owner');
  });

  it('patch changes only the fields given', async () => {
    const data = ok(
      await client.calendar.v4.calendar.patch(
        { path: { calendar_id: C }, data: { summary: 'Project Artemis', permissions: 'private' } },
        as(aliceTok),
      ),
    );
    assert.equal(data.calendar.calendar_id, C);
    assert.equal(data.calendar.summary, 'Project Artemis');
    assert.equal(data.calendar.permissions, 'private');
    const cal = ok(await client.calendar.v4.calendar.get({ path: { calendar_id: C } }, as(aliceTok)));
    assert.equal(cal.summary, 'Project Artemis');
    assert.equal(cal.permissions, 'private');
    assert.equal(cal.description, 'launch planning');
    assert.equal(cal.summary_alias, 'Apollo');
  });

  it('the bot creates shared calendars too', async () => {
    const cal = ok(await client.calendar.v4.calendar.create({ data: { summary: 'Bot shared' } })).calendar;
    assert.equal(cal.type, 'shared');
    assert.equal(cal.role, 'owner');
    const got = ok(await client.calendar.v4.calendar.get({ path: { calendar_id: cal.calendar_id } }));
    assert.equal(got.summary, 'Bot shared');
  });

  it('delete → {}; the calendar is gone from get and list', async () => {
    assert.deepEqual(ok(await client.calendar.v4.calendar.delete({ path: { calendar_id: C } }, as(aliceTok))), {});
    await expectFsErrorOneOf(
      client.calendar.v4.calendar.get({ path: { calendar_id: C } }, as(aliceTok)),
      [191003, 191000],
      'get after delete',
    );
    const { items } = await listAll(aliceTok, 50);
    assert.equal(
      items.some((c) => c.calendar_id === C && c.is_deleted !== true),
      false,
      'a deleted calendar is not listed as live',
    );
  });
});

describe('calendar.list', () => {
  const made: string[] = [];

  it('pages with page_size/page_token to the end: primary + every shared calendar exactly once', async () => {
    // page_size is 50 at least (calendar/list): 50 shared calendars and the primary make two pages.
    for (let i = 0; i < 50; i++) {
      made.push(ok(await client.calendar.v4.calendar.create({ data: { summary: `List ${i}` } }, as(bobTok))).calendar.calendar_id);
    }
    const { items, syncToken, pages } = await listAll(bobTok, 50);
    assert.ok(pages >= 2, `${pages} page(s)`);
    const ids = items.map((c) => c.calendar_id);
    assert.equal(new Set(ids).size, ids.length, `duplicates across pages: ${ids.join(', ')}`);
    for (const id of [bobCal, ...made]) assert.ok(ids.includes(id), `missing ${id}`);
    assert.equal(ids.includes(aliceCal), false, 'alice’s primary is not on bob’s list');
    const primary = items.find((c) => c.calendar_id === bobCal);
    assert.equal(primary.type, 'primary');
    assert.equal(primary.role, 'owner');
    for (const id of made) assert.equal(items.find((c) => c.calendar_id === id).type, 'shared');
    assert.equal(typeof syncToken, 'string', 'the last page carries a sync_token');
    assert.ok((syncToken as string).length > 0);
  });

  it('sync_token: a later list with it returns the calendars changed since', async () => {
    const { syncToken } = await listAll(bobTok, 50);
    const added = ok(await client.calendar.v4.calendar.create({ data: { summary: 'After sync' } }, as(bobTok))).calendar
      .calendar_id;
    const data = ok(await client.calendar.v4.calendar.list({ params: { sync_token: syncToken as string } }, as(bobTok)));
    const ids = (data.calendar_list ?? []).map((c: any) => c.calendar_id);
    assert.ok(ids.includes(added), `the new calendar is in the incremental list: ${ids.join(', ')}`);
    assert.equal(typeof data.sync_token, 'string');
  });
});

describe('calendar.mget and calendar.primarys', () => {
  it('mget returns the calendars asked for, in order', async () => {
    const shared = ok(await client.calendar.v4.calendar.create({ data: { summary: 'Mget me' } }, as(aliceTok))).calendar
      .calendar_id;
    const data = ok(await client.calendar.v4.calendar.mget({ data: { calendar_ids: [shared, aliceCal] } }, as(aliceTok)));
    assert.deepEqual(
      data.calendars.map((c: any) => c.calendar_id),
      [shared, aliceCal],
    );
    assert.equal(data.calendars[0].summary, 'Mget me');
    assert.equal(data.calendars[0].type, 'shared');
    assert.equal(data.calendars[1].type, 'primary');
  });

  it('primarys maps user ids (open_id default, union_id, user_id) to their primary calendars', async () => {
    const cases: Array<[undefined | 'union_id' | 'user_id', string[]]> = [
      [undefined, [alice.openId, bob.openId]],
      ['union_id', [alice.unionId, bob.unionId]],
      ['user_id', [alice.userId, bob.userId]],
    ];
    for (const [t, ids] of cases) {
      const data = ok(
        await client.calendar.v4.calendar.primarys({ params: t ? { user_id_type: t } : {}, data: { user_ids: ids } }),
      );
      assert.equal(data.calendars.length, 2, `user_id_type ${t}`);
      const map = Object.fromEntries(data.calendars.map((c: any) => [c.user_id, c.calendar.calendar_id]));
      assert.deepEqual(map, { [ids[0]!]: aliceCal, [ids[1]!]: bobCal }, `user_id_type ${t}`);
      for (const c of data.calendars) assert.equal(c.calendar.type, 'primary');
    }
  });
});

describe('calendar.search', () => {
  it('finds a public calendar by its summary', async () => {
    const id = ok(
      await client.calendar.v4.calendar.create(
        { data: { summary: 'Zebra Crossing Planning', permissions: 'public' } },
        as(aliceTok),
      ),
    ).calendar.calendar_id;
    const data = ok(await client.calendar.v4.calendar.search({ data: { query: 'Zebra' } }, as(bobTok)));
    assert.ok(
      (data.items ?? []).some((c: any) => c.calendar_id === id && c.summary === 'Zebra Crossing Planning'),
      `search results: ${JSON.stringify(data.items)}`,
    );
    const none = ok(await client.calendar.v4.calendar.search({ data: { query: 'qqq-no-such-calendar-qqq' } }, as(bobTok)));
    assert.deepEqual(none.items ?? [], []);
  });
});

describe('subscribe / unsubscribe a public shared calendar', () => {
  let P = '';

  it('subscribe → data.calendar with role reader; it shows on the subscriber’s list', async () => {
    P = ok(
      await client.calendar.v4.calendar.create({ data: { summary: 'Public holidays', permissions: 'public' } }, as(aliceTok)),
    ).calendar.calendar_id;
    await createEvent(client, P, timedEvent('Holiday', '2031-10-01T00:00:00+08:00', 60), { userTok: aliceTok });
    const data = ok(await client.calendar.v4.calendar.subscribe({ path: { calendar_id: P } }, as(carolTok)));
    assert.equal(data.calendar.calendar_id, P);
    assert.equal(data.calendar.role, 'reader');
    assert.equal(data.calendar.type, 'shared');
    const got = ok(await client.calendar.v4.calendar.get({ path: { calendar_id: P } }, as(carolTok)));
    assert.equal(got.role, 'reader');
    const { items } = await listAll(carolTok, 50);
    const listed = items.find((c) => c.calendar_id === P);
    assert.ok(listed, 'subscribed calendar is listed');
    assert.equal(listed.role, 'reader');
    const events = ok(await client.calendar.v4.calendarEvent.list({ path: { calendar_id: P } }, as(carolTok)));
    assert.ok((events.items ?? []).some((e: any) => e.summary === 'Holiday'), 'a reader lists the events');
  });

  it('unsubscribe → {}; gone from the list', async () => {
    assert.deepEqual(ok(await client.calendar.v4.calendar.unsubscribe({ path: { calendar_id: P } }, as(carolTok))), {});
    const { items } = await listAll(carolTok, 50);
    assert.equal(items.some((c) => c.calendar_id === P), false);
    // the owner still has it
    const own = ok(await client.calendar.v4.calendar.get({ path: { calendar_id: P } }, as(aliceTok)));
    assert.equal(own.role, 'owner');
  });
});

describe('push subscription endpoints return {}', () => {
  it('calendar.subscription / unsubscription (user and bot)', async () => {
    assert.deepEqual(ok(await client.calendar.v4.calendar.subscription({}, as(aliceTok))), {});
    assert.deepEqual(ok(await client.calendar.v4.calendar.unsubscription({}, as(aliceTok))), {});
    assert.deepEqual(ok(await client.calendar.v4.calendar.subscription({})), {});
    assert.deepEqual(ok(await client.calendar.v4.calendar.unsubscription({})), {});
  });

  it('calendarEvent.subscription / unsubscription on a calendar', async () => {
    assert.deepEqual(
      ok(await client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: aliceCal } }, as(aliceTok))),
      {},
    );
    assert.deepEqual(
      ok(await client.calendar.v4.calendarEvent.unsubscription({ path: { calendar_id: aliceCal } }, as(aliceTok))),
      {},
    );
  });
});
