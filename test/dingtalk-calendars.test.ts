// Calendars: listCalendars, subscribed (public) calendars CRUD, subscribe / unsubscribe.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME, ACME_CHAT, U, buildDirectory } from './helpers/directory.ts';
import { Dt, expectDtError, getToken, timedEventBody } from './helpers/dingtalk.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

let srv: KalendsServer;
let dt: Dt;

before(async () => {
  srv = await startServer({ directory: buildDirectory({ bulk: false }) });
  dt = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
});

after(async () => {
  await srv?.cleanup();
});

async function calendars(userId: string): Promise<any[]> {
  const res = await dt.listCalendars(userId);
  assert.equal(res.statusCode, 200);
  assert.ok(res.body.response, 'listCalendars reply must have the `response` wrapper');
  assert.ok(Array.isArray(res.body.response.calendars), 'response.calendars must be an array');
  return res.body.response.calendars;
}

describe('listCalendars', () => {
  it('every user has exactly one primary calendar with the required fields', async () => {
    for (const who of [U.alice, U.bob, U.frank]) {
      const cals = await calendars(who);
      const primaries = cals.filter((c) => c.type === 'primary');
      assert.equal(primaries.length, 1, `${who} must have one primary calendar`);
      const p = primaries[0];
      for (const k of ['id', 'summary', 'type', 'privilege', 'eTag']) {
        assert.equal(typeof p[k], 'string', `primary calendar field ${k} must be a string`);
      }
      assert.ok(p.id.length > 0);
    }
  });

  it('the primary calendar id works wherever `primary` does', async () => {
    const primaryId = (await calendars(U.alice)).find((c) => c.type === 'primary').id;
    const created = await dt.createEvent(U.alice, timedEventBody('via primary id'), { calendarId: primaryId });
    const viaAlias = await dt.getEvent(U.alice, created.body.id);
    assert.equal(viaAlias.body.summary, 'via primary id');
    const viaId = await dt.getEvent(U.alice, created.body.id, { calendarId: primaryId });
    assert.equal(viaId.body.id, created.body.id);
  });
});

describe('subscribed calendars', () => {
  let calId = '';
  const scope = { unionIds: [U.bob, U.dave], corpIds: [] as string[], openConversationIds: [ACME_CHAT] };

  it('createSubscribedCalendar → {calendarId}', async () => {
    const res = await dt.createSubscribed(U.alice, {
      name: 'Company holidays',
      description: 'Public holidays for everyone',
      managers: [U.alice, U.frank],
      subscribeScope: scope,
    });
    assert.equal(res.statusCode, 200);
    assert.equal(typeof res.body.calendarId, 'string');
    assert.ok(res.body.calendarId.length > 0);
    calId = res.body.calendarId;
  });

  it('getSubscribedCalendar → {author, calendarId, name, description, managers, subscribeScope}', async () => {
    const res = await dt.getSubscribed(U.alice, calId);
    const b = res.body;
    assert.equal(b.author, U.alice);
    assert.equal(b.calendarId, calId);
    assert.equal(b.name, 'Company holidays');
    assert.equal(b.description, 'Public holidays for everyone');
    assert.deepEqual(b.managers, [U.alice, U.frank]);
    assert.deepEqual(b.subscribeScope.unionIds, scope.unionIds);
    assert.deepEqual(b.subscribeScope.openConversationIds, scope.openConversationIds);
    assert.deepEqual(b.subscribeScope.corpIds ?? [], []);
  });

  it('updateSubscribedCalendars → {result: true}, and the change shows', async () => {
    const res = await dt.updateSubscribed(U.alice, calId, {
      name: 'Company holidays 2031',
      description: 'Updated',
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.body, { result: true });
    const got = (await dt.getSubscribed(U.alice, calId)).body;
    assert.equal(got.name, 'Company holidays 2031');
    assert.equal(got.description, 'Updated');
    assert.equal(got.author, U.alice);
    assert.deepEqual(got.subscribeScope.unionIds, scope.unionIds, 'fields not given stay as they were');
  });

  it('subscribeCalendar in scope (by unionId) → 200; listCalendars shows it as subscribed next to the primary', async () => {
    const res = await dt.subscribe(U.bob, calId);
    assert.equal(res.statusCode, 200);
    const cals = await calendars(U.bob);
    const sub = cals.find((c) => c.id === calId);
    assert.ok(sub, 'subscribed calendar must be listed');
    assert.equal(sub.type, 'subscribed');
    assert.equal(sub.summary, 'Company holidays 2031');
    assert.ok(cals.some((c) => c.type === 'primary'));
  });

  it('subscribeCalendar in scope through a chat (openConversationIds) → 200', async () => {
    await dt.subscribe(U.carol, calId); // carol is a member of oc_team
    assert.ok((await calendars(U.carol)).some((c) => c.id === calId && c.type === 'subscribed'));
  });

  it('subscribeCalendar out of scope → permissionDenied, not listed', async () => {
    await expectDtError(dt.subscribe(U.grace, calId), 400, 'permissionDenied');
    assert.ok(!(await calendars(U.grace)).some((c) => c.id === calId));
  });

  it('a calendar nobody subscribed to is not in their list', async () => {
    // dave is in scope but did not subscribe
    assert.ok(!(await calendars(U.dave)).some((c) => c.id === calId));
  });

  it('unsubscribeCalendar → {result: true}; it leaves listCalendars; the primary stays', async () => {
    const res = await dt.unsubscribe(U.bob, calId);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.body, { result: true });
    const cals = await calendars(U.bob);
    assert.ok(!cals.some((c) => c.id === calId));
    assert.ok(cals.some((c) => c.type === 'primary'));
    // carol's subscription is untouched
    assert.ok((await calendars(U.carol)).some((c) => c.id === calId));
  });

  it('a scope change applies to later subscriptions', async () => {
    await dt.updateSubscribed(U.alice, calId, {
      subscribeScope: { unionIds: [U.grace], corpIds: [], openConversationIds: [] },
    });
    const got = (await dt.getSubscribed(U.alice, calId)).body;
    assert.deepEqual(got.subscribeScope.unionIds, [U.grace]);
    await dt.subscribe(U.grace, calId);
    assert.ok((await calendars(U.grace)).some((c) => c.id === calId));
    await expectDtError(dt.subscribe(U.dave, calId), 400, 'permissionDenied');
  });

  it('deleteSubscribedCalendar → {result: true}; then it is gone', async () => {
    const res = await dt.deleteSubscribed(U.alice, calId);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.body, { result: true });
    await expectDtError(dt.getSubscribed(U.alice, calId), 404, 'itemNotFound');
    await expectDtError(dt.subscribe(U.grace, calId), 404, 'itemNotFound');
    assert.ok(!(await calendars(U.grace)).some((c) => c.id === calId), 'deleted calendar must leave subscribers lists');
  });
});
