// Feishu attendee limits and paging through the SDK: 500/501 per create and per batch_delete, 5,000/5,001 per
// event (10 × 500 users), list paging over 5,000 (page_size default 20, max 100), listWithIterator to the end,
// user_id_type on write and read, rejected calls change nothing. This server is started with
// KALENDS_RATE_LIMIT=off (the env form of --rate-limit off), which a burst of concurrent calls checks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildFeishuFixture, type FsUser } from './helpers/feishu-directory.ts';
import {
  ATTENDEE_ID_RE,
  addAttendees,
  batchDelete,
  createEvent,
  expectFsError,
  fsClient,
  lark,
  listAllAttendees,
  ok,
  primaryCalendarId,
  settle,
  timedEvent,
  userAtt,
} from './helpers/feishu.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const fx = buildFeishuFixture({ tag: 'att', bulk: 5010 });
const { users, app, bulk } = fx.acme;
const { bob, carol, dave, zed } = users;

let srv: KalendsServer;
let client: lark.Client;
let botCal = '';

before(async () => {
  srv = await startServer({ directory: fx.directory, env: { KALENDS_RATE_LIMIT: 'off' } });
  client = fsClient(srv.baseUrl, app);
  botCal = await primaryCalendarId(client);
});

after(async () => {
  await srv?.cleanup();
});

const open = (xs: FsUser[]) => xs.map((u) => userAtt(u.openId));
const path = (event_id: string) => ({ calendar_id: botCal, event_id });
const tooMany = (n: number) => Array.from({ length: n }, (_, i) => userAtt(bulk[i]!.openId));

describe('500 per call', () => {
  let E = '';

  it('create with 501 → 190002 and nothing added; with 500 → all 500 in order', async () => {
    E = (await createEvent(client, botCal, timedEvent('Five hundred', '2031-05-01T10:00:00+08:00'))).event_id;
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.create({ path: path(E), data: { attendees: tooMany(501) as any } }),
      190002,
    );
    assert.deepEqual(await listAllAttendees(client, botCal, E), []);
    const out = await addAttendees(client, botCal, E, tooMany(500));
    assert.equal(out.length, 500);
    assert.deepEqual(
      out.map((a) => a.user_id),
      bulk.slice(0, 500).map((u) => u.openId),
    );
    for (const a of out) assert.match(a.attendee_id, ATTENDEE_ID_RE.user!);
    assert.equal(new Set(out.map((a) => a.attendee_id)).size, 500);
    const listed = await listAllAttendees(client, botCal, E);
    assert.deepEqual(
      listed.map((a) => a.attendee_id),
      out.map((a) => a.attendee_id),
    );
  });

  it('batch_delete of 501 (attendee_ids + delete_ids together) → 190002 and nothing removed', async () => {
    await addAttendees(client, botCal, E, open([bulk[500]!]));
    const before = await listAllAttendees(client, botCal, E);
    assert.equal(before.length, 501);
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.batchDelete({
        path: path(E),
        data: {
          attendee_ids: before.slice(0, 250).map((a) => a.attendee_id),
          delete_ids: bulk.slice(250, 501).map((u) => ({ type: 'user' as const, user_id: u.openId })),
        },
      }),
      190002,
    );
    assert.deepEqual(await listAllAttendees(client, botCal, E), before);
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.batchDelete({
        path: path(E),
        data: { attendee_ids: before.map((a) => a.attendee_id) },
      }),
      190002,
    );
    assert.deepEqual(await listAllAttendees(client, botCal, E), before);
  });

  it('batch_delete of 500 (250 attendee_ids + 250 delete_ids) removes exactly those', async () => {
    const before = await listAllAttendees(client, botCal, E);
    await batchDelete(client, botCal, E, {
      attendee_ids: before.slice(0, 250).map((a) => a.attendee_id),
      delete_ids: bulk.slice(250, 500).map((u) => ({ type: 'user', user_id: u.openId })),
    });
    assert.deepEqual(
      (await listAllAttendees(client, botCal, E)).map((a) => a.user_id),
      [bulk[500]!.openId],
    );
  });
});

describe('5,000 per event, paging, listWithIterator', () => {
  let E = '';
  let order: string[] = [];

  it('10 × 500 users are accepted; the 5,001st → 190002', async () => {
    E = (await createEvent(client, botCal, timedEvent('Five thousand', '2031-05-02T10:00:00+08:00'))).event_id;
    for (let b = 0; b < 10; b++) {
      const out = await addAttendees(client, botCal, E, open(bulk.slice(b * 500, (b + 1) * 500)));
      assert.equal(out.length, 500, `batch ${b}`);
    }
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.create({ path: path(E), data: { attendees: open([bulk[5000]!]) as any } }),
      190002,
    );
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.create({
        path: path(E),
        data: { attendees: [{ type: 'third_party', third_party_email: 'overflow@partner.example' }] },
      }),
      190002,
    );
  });

  it('list pages (page_size 100) walk all 5,000 in the order added, then has_more false', async () => {
    const items = await listAllAttendees(client, botCal, E, { pageSize: 100 });
    assert.equal(items.length, 5000);
    assert.deepEqual(
      items.map((a) => a.user_id),
      bulk.slice(0, 5000).map((u) => u.openId),
    );
    assert.equal(new Set(items.map((a) => a.attendee_id)).size, 5000);
    order = items.map((a) => a.attendee_id);
    assert.equal(items.some((a) => a.user_id === bulk[5000]!.openId), false, 'the rejected 5,001st is absent');
  });

  it('page_size defaults to 20 and is capped at 100', async () => {
    const first = ok(await client.calendar.v4.calendarEventAttendee.list({ path: path(E) }));
    assert.equal(first.items.length, 20);
    assert.equal(first.has_more, true);
    assert.equal(typeof first.page_token, 'string');
    assert.deepEqual(
      first.items.map((a: any) => a.attendee_id),
      order.slice(0, 20),
    );
    const second = ok(
      await client.calendar.v4.calendarEventAttendee.list({ path: path(E), params: { page_token: first.page_token } }),
    );
    assert.deepEqual(
      second.items.map((a: any) => a.attendee_id),
      order.slice(20, 40),
    );
    const hundred = ok(await client.calendar.v4.calendarEventAttendee.list({ path: path(E), params: { page_size: 100 } }));
    assert.equal(hundred.items.length, 100);
    const over = await settle(client.calendar.v4.calendarEventAttendee.list({ path: path(E), params: { page_size: 101 } }));
    if (over.ok) {
      assert.ok(ok(over.value).items.length <= 100, 'page_size above 100 never yields more than 100');
    } else {
      assert.equal(over.error?.response?.status, 400, 'page_size 101 is clamped or rejected with 400');
      assert.equal(over.error?.response?.data?.code, 190002);
    }
  });

  it('listWithIterator walks all 5,000 to the end', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of await client.calendar.v4.calendarEventAttendee.listWithIterator({
      path: path(E),
      params: { page_size: 100 },
    })) {
      pages++;
      assert.ok(page, 'iterator yielded a page');
      for (const a of page?.items ?? []) seen.push(a.attendee_id!);
      assert.ok(pages <= 60, 'iterator did not stop');
    }
    assert.equal(seen.length, 5000);
    assert.deepEqual(seen, order);
    assert.equal(pages, 50);
  });

  it('listWithIterator with the default page size on a smaller event', async () => {
    const S = (await createEvent(client, botCal, timedEvent('Forty five', '2031-05-03T10:00:00+08:00'))).event_id;
    await addAttendees(client, botCal, S, open(bulk.slice(0, 45)));
    const seen: string[] = [];
    let pages = 0;
    for await (const page of await client.calendar.v4.calendarEventAttendee.listWithIterator({ path: path(S) })) {
      pages++;
      for (const a of page?.items ?? []) seen.push(a.user_id!);
      assert.ok(pages <= 10, 'iterator did not stop');
    }
    assert.equal(pages, 3, '20 + 20 + 5');
    assert.deepEqual(seen, bulk.slice(0, 45).map((u) => u.openId));
  });

  it('at the cap, removing 500 makes room for 500 more', async () => {
    await batchDelete(client, botCal, E, { attendee_ids: order.slice(0, 500) });
    const out = await addAttendees(client, botCal, E, open(bulk.slice(5000, 5010)));
    assert.equal(out.length, 10);
    const items = await listAllAttendees(client, botCal, E, { pageSize: 100 });
    assert.equal(items.length, 4510);
    assert.deepEqual(
      items.slice(-10).map((a) => a.user_id),
      bulk.slice(5000, 5010).map((u) => u.openId),
    );
  });
});

describe('user_id_type on attendees', () => {
  it('write with union_id / user_id, read back in any id type', async () => {
    const E = (await createEvent(client, botCal, timedEvent('Id types', '2031-05-04T10:00:00+08:00'))).event_id;
    const a = await addAttendees(client, botCal, E, [userAtt(bob.unionId)], { userIdType: 'union_id' });
    assert.equal(a[0].user_id, bob.unionId);
    const b = await addAttendees(client, botCal, E, [userAtt(carol.userId)], { userIdType: 'user_id' });
    assert.equal(b[0].user_id, carol.userId);
    const c = await addAttendees(client, botCal, E, [userAtt(dave.openId)], { userIdType: 'open_id' });
    assert.equal(c[0].user_id, dave.openId);
    const byType = {
      open_id: [bob.openId, carol.openId, dave.openId],
      union_id: [bob.unionId, carol.unionId, dave.unionId],
      user_id: [bob.userId, carol.userId, dave.userId],
    } as const;
    for (const [t, expected] of Object.entries(byType)) {
      const items = await listAllAttendees(client, botCal, E, { userIdType: t as any });
      assert.deepEqual(
        items.map((x) => x.user_id),
        [...expected],
        `list user_id_type ${t}`,
      );
    }
    // an open_id read as a union_id is nobody
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.create({
        path: path(E),
        params: { user_id_type: 'union_id' },
        data: { attendees: [userAtt(users.erin.openId)] as any },
      }),
      195100,
    );
    // delete by union_id
    await batchDelete(client, botCal, E, { delete_ids: [{ type: 'user', user_id: bob.unionId }] }, { userIdType: 'union_id' });
    await batchDelete(client, botCal, E, { delete_ids: [{ type: 'user', user_id: carol.userId }] }, { userIdType: 'user_id' });
    assert.deepEqual(
      (await listAllAttendees(client, botCal, E)).map((x) => x.user_id),
      [dave.openId],
    );
  });
});

describe('a rejected call changes nothing', () => {
  it('one bad attendee rejects the whole batch', async () => {
    const E = (await createEvent(client, botCal, timedEvent('All or nothing', '2031-05-05T10:00:00+08:00'))).event_id;
    await addAttendees(client, botCal, E, [userAtt(dave.openId)]);
    const before = await listAllAttendees(client, botCal, E);
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.create({
        path: path(E),
        data: { attendees: [userAtt(bob.openId), userAtt(carol.openId), userAtt(zed.openId)] as any },
      }),
      195100,
    );
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.create({
        path: path(E),
        data: { attendees: [userAtt(bob.openId), { type: 'robot', user_id: carol.openId }] as any },
      }),
      194004,
    );
    await expectFsError(
      client.calendar.v4.calendarEventAttendee.batchDelete({
        path: path(E),
        data: { attendee_ids: [before[0].attendee_id, 'user_424242424'] },
      }),
      194000,
    );
    assert.deepEqual(await listAllAttendees(client, botCal, E), before);
  });
});

describe('KALENDS_RATE_LIMIT=off', () => {
  it('150 concurrent calls with one token all succeed', async () => {
    const replies = await Promise.all(
      Array.from({ length: 150 }, () => settle(client.calendar.v4.calendar.get({ path: { calendar_id: botCal } }))),
    );
    const failed = replies.filter((r) => !r.ok || (r.value as any)?.code !== 0);
    assert.equal(
      failed.length,
      0,
      `failures: ${failed
        .slice(0, 3)
        .map((r) => (r.ok ? JSON.stringify(r.value) : `${r.error?.response?.status} ${JSON.stringify(r.error?.response?.data)}`))
        .join('; ')}`,
    );
  });
});
