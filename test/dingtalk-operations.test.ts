// DingTalk operations through the official SDK (@alicloud/dingtalk calendar_1_0): calendar ACLs
// (createAcls, listAcls, deleteAcl — the same access list as Feishu's calendarAcl, each dialect in
// its own role names), transferEvent, sign-in and sign-out (signIn, checkIn, signOut, the two lists,
// the two links and the page they open), listCategories with createEvent's categories, and
// convertLegacyEventId. Each: success, permission refusals, bad input (DingTalk's error body,
// nothing changed), another tenant's ids (not found).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME, G, GLOBEX, U } from './helpers/directory.ts';
import { buildDirectory } from './helpers/directory.ts';
import { $Calendar, Dt, expectDtError, getToken, plain, rt } from './helpers/dingtalk.ts';
import { ADMIN_TOKEN, aesKeyFrom, inboxOf, poll, startDingTalkReceiver, type DingTalkKeys, type DingTalkReceiver } from './helpers/callback-receivers.ts';
import { launchChromium } from './helpers/console.ts';
import { asUser, fsClient, ok, primaryCalendarId, userToken } from './helpers/feishu.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';
import { parseEventKey, parseId, renderId } from '../src/http/dingtalk/ids.ts';
import { parseCalendarId } from '../src/http/feishu/ids.ts';

let srv: KalendsServer;
let dt: Dt;
let globex: Dt;
/** Receives acme's DingTalk event callbacks. */
let receiver: DingTalkReceiver;
const KEYS: DingTalkKeys = { token: 'ops-callback-token', aesKey: aesKeyFrom('ops'), receiveId: ACME.app.appKey };

before(async () => {
  receiver = await startDingTalkReceiver(KEYS);
  const directory = buildDirectory({ bulk: false }) as any;
  const app = directory.tenants.flatMap((t: any) => t.apps).find((a: any) => a.appKey === ACME.app.appKey);
  Object.assign(app, { eventCallbackUrl: receiver.url, callbackToken: KEYS.token, aesKey: KEYS.aesKey });
  srv = await startServer({ directory, extraArgs: ['--admin-token', ADMIN_TOKEN, '--rate-limit', 'off', '--delivery-backoff', '100'] });
  dt = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
  globex = new Dt(srv.endpoint, await getToken(srv.endpoint, GLOBEX.app));
});

after(async () => {
  await srv?.cleanup();
  await receiver?.close();
});

/** A console page as the operator sees it (admin token). */
async function consolePage(path: string): Promise<string> {
  const res = await fetch(`${srv.baseUrl}/console${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  assert.equal(res.status, 200, `/console${path}`);
  return res.text();
}

const h = <T>(Ctor: new (m: Record<string, unknown>) => T, d: Dt = dt): T => new Ctor({ xAcsDingtalkAccessToken: d.token });

function timed(summary: string, day: string, extra: Record<string, unknown> = {}) {
  return { summary, start: { dateTime: `${day}T10:00:00+08:00`, timeZone: 'Asia/Shanghai' }, end: { dateTime: `${day}T11:00:00+08:00`, timeZone: 'Asia/Shanghai' }, ...extra };
}

async function admin(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${srv.baseUrl}/admin/v1${path}`, {
    method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.equal(res.status, 200, `${method} /admin/v1${path}: HTTP ${res.status}`);
  return res.json();
}

// ---- ACLs -------------------------------------------------------------------------------------

async function createAcl(userId: string, calendarId: string, privilege: string, grantee: string, d: Dt = dt): Promise<any> {
  const res = await d.client.createAclsWithOptions(userId, calendarId, new $Calendar.CreateAclsRequest({
    privilege, sendMsg: false, scope: new $Calendar.CreateAclsRequestScope({ scopeType: 'user', userId: grantee }),
  }), h($Calendar.CreateAclsHeaders, d), rt());
  return plain(res.body);
}

async function listAcls(userId: string, calendarId: string, d: Dt = dt): Promise<any[]> {
  return plain((await d.client.listAclsWithOptions(userId, calendarId, h($Calendar.ListAclsHeaders, d), rt())).body).acls;
}

async function deleteAcl(userId: string, calendarId: string, aclId: string, d: Dt = dt): Promise<number | undefined> {
  return (await d.client.deleteAclWithOptions(userId, calendarId, aclId, h($Calendar.DeleteAclHeaders, d), rt())).statusCode;
}

describe('calendar ACLs', () => {
  it('createAcls gives a privilege, listAcls lists it with the owner, deleteAcl takes it away', async () => {
    const made = await createAcl(U.alice, 'primary', 'reader', U.bob);
    assert.equal(made.privilege, 'reader');
    assert.deepEqual(made.scope, { scopeType: 'user', userId: U.bob });
    assert.equal(typeof made.aclId, 'string');
    let acls = await listAcls(U.alice, 'primary');
    assert.deepEqual(acls.map((a) => [a.scope.userId, a.privilege]).sort(), [[U.alice, 'owner'], [U.bob, 'reader']]);
    // A second grant replaces the privilege.
    assert.equal((await createAcl(U.alice, 'primary', 'freeBusyReader', U.bob)).privilege, 'freeBusyReader');
    acls = await listAcls(U.alice, 'primary');
    assert.equal(acls.find((a) => a.scope.userId === U.bob).privilege, 'freeBusyReader');
    const aliceCal = parseId(calendarIdOf(await listCalendarsOf(U.bob), 'Alice'))!;
    const page = await consolePage(`/calendars/${aliceCal}`);
    assert.match(page, /Bob<\/a><\/td><td>free_busy_reader<\/td><td>freeBusyReader<\/td>/, 'the calendar page shows the entry in both names');
    assert.equal(await deleteAcl(U.alice, 'primary', made.aclId), 200);
    assert.deepEqual((await listAcls(U.alice, 'primary')).map((a) => a.scope.userId), [U.alice]);
  });

  it('an ACL made through DingTalk lists through Feishu, and one made through Feishu lists through DingTalk, each in its own role names', async () => {
    const client = fsClient(srv.baseUrl, ACME.feishuApp);
    const tok = await userToken(client, srv.baseUrl, ACME.feishuApp.appId, 'ou_dave');
    const calendarId = await primaryCalendarId(client, tok);
    await createAcl(U.dave, 'primary', 'freeBusyReader', U.erin);
    const listed = ok(await client.calendar.v4.calendarAcl.list({ path: { calendar_id: calendarId }, params: { user_id_type: 'union_id' } }, asUser(tok)));
    assert.equal(listed.acls.find((a: any) => a.scope.user_id === U.erin)?.role, 'free_busy_reader');
    ok(await client.calendar.v4.calendarAcl.create({
      path: { calendar_id: calendarId }, params: { user_id_type: 'union_id' }, data: { role: 'writer', scope: { type: 'user', user_id: U.frank } },
    }, asUser(tok)));
    const acls = await listAcls(U.dave, 'primary');
    assert.equal(acls.find((a) => a.scope.userId === U.frank)?.privilege, 'writer');
    // The same list by the calendar's DingTalk id, and a DingTalk delete seen through Feishu.
    const dtCalendarId = renderId(parseCalendarId(calendarId));
    const frank = (await listAcls(U.dave, dtCalendarId)).find((a) => a.scope.userId === U.frank);
    assert.equal(await deleteAcl(U.dave, dtCalendarId, frank.aclId), 200);
    const after = ok(await client.calendar.v4.calendarAcl.list({ path: { calendar_id: calendarId }, params: { user_id_type: 'union_id' } }, asUser(tok)));
    assert.deepEqual(after.acls.map((a: any) => a.scope.user_id).sort(), [U.dave, U.erin].sort());
  });

  it('an app without Calendar.Calendar.Write is refused (403) and nothing changes', async () => {
    const readOnly = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.readApp));
    await expectDtError(createAcl(U.ivan, 'primary', 'reader', U.bob, readOnly), 403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied');
    const id = (await dt.createEvent(U.ivan, timed('Scoped', '2036-06-05'))).body.id;
    await expectDtError(transfer(U.ivan, id, { newOrganizerId: U.bob }, readOnly), 403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied');
    await expectDtError(signIn(U.ivan, id, readOnly), 403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied');
    assert.deepEqual((await listAcls(U.ivan, 'primary')).map((a) => a.scope.userId), [U.ivan]);
    assert.equal((await dt.getEvent(U.ivan, id)).body.organizer.id, U.ivan);
  });

  it('only the owner manages the list: a reader is refused (400 permissionDenied) and nothing changes', async () => {
    await createAcl(U.carol, 'primary', 'reader', U.dave);
    const carolCal = calendarIdOf(await listCalendarsOf(U.dave), 'Carol');
    assert.equal(parseId(carolCal) !== null, true);
    await expectDtError(createAcl(U.dave, carolCal, 'writer', U.erin), 400, 'permissionDenied');
    await expectDtError(listAcls(U.dave, carolCal), 400, 'permissionDenied');
    assert.deepEqual((await listAcls(U.carol, 'primary')).map((a) => a.scope.userId).sort(), [U.carol, U.dave].sort());
  });

  it('bad input is 400 invalidParameter and changes nothing: unknown privilege, scope type, user', async () => {
    await expectDtError(createAcl(U.grace, 'primary', 'admin', U.bob), 400, 'invalidParameter');
    const bad = dt.client.createAclsWithOptions(U.grace, 'primary', new $Calendar.CreateAclsRequest({
      privilege: 'reader', sendMsg: false, scope: new $Calendar.CreateAclsRequestScope({ scopeType: 'group', userId: U.bob }),
    }), h($Calendar.CreateAclsHeaders), rt());
    await expectDtError(bad, 400, 'invalidParameter');
    await expectDtError(createAcl(U.grace, 'primary', 'reader', 'u_nobody'), 404, 'itemNotFound');
    await expectDtError(createAcl(U.grace, 'primary', 'reader', U.grace), 400, 'invalidParameter');
    assert.deepEqual((await listAcls(U.grace, 'primary')).map((a) => a.scope.userId), [U.grace]);
  });

  it("another tenant's users and calendars are not found", async () => {
    await expectDtError(createAcl(U.alice, 'primary', 'reader', U.bob, globex), 404, 'itemNotFound');
    await expectDtError(createAcl(G.gina, 'primary', 'reader', U.bob, globex), 404, 'itemNotFound');
    await createAcl(U.judy, 'primary', 'reader', U.heidi);
    const judyCal = calendarIdOf(await listCalendarsOf(U.heidi), 'Judy');
    await expectDtError(listAcls(G.gina, judyCal, globex), 404, 'itemNotFound');
    await expectDtError(deleteAcl(G.gina, judyCal, 'x', globex), 404, 'itemNotFound');
  });
});

async function listCalendarsOf(userId: string): Promise<any[]> {
  return (await dt.listCalendars(userId)).body.response.calendars;
}

/** The DingTalk id of another user's calendar the user sees, by its summary's start. */
function calendarIdOf(calendars: any[], summaryStart: string): string {
  const found = calendars.find((c) => c.id !== 'primary' && String(c.summary).startsWith(summaryStart));
  assert.ok(found, `no calendar starting ${summaryStart} in ${JSON.stringify(calendars)}`);
  return found.id;
}

// ---- transferEvent ----------------------------------------------------------------------------

async function transfer(userId: string, eventId: string, body: Record<string, unknown>, d: Dt = dt): Promise<any> {
  const res = await d.client.transferEventWithOptions('primary', userId, eventId, new $Calendar.TransferEventRequest(body), h($Calendar.TransferEventHeaders, d), rt());
  return plain(res.body);
}

describe('transferEvent', () => {
  it('the new organizer runs the event; the old one stays an accepted attendee; attendees get a one-to-one message', async () => {
    const id = (await dt.createEvent(U.alice, timed('Handover', '2036-06-01', { attendees: [{ id: U.bob }, { id: U.carol }] }))).body.id;
    assert.deepEqual(await transfer(U.alice, id, { newOrganizerId: U.bob, isExitCalendar: false, needNotifyViaO2O: true }), { result: true });
    const got = (await dt.getEvent(U.bob, id)).body;
    assert.equal(got.organizer.id, U.bob);
    assert.equal(got.organizer.self, true);
    const alice = got.attendees.find((a: any) => a.id === U.alice);
    assert.equal(alice?.responseStatus, 'accepted', 'the old organizer stays, accepted');
    // The event moved to bob's calendar: he may change it now, alice (an attendee) may not.
    await dt.patchEvent(U.bob, id, { id, summary: 'Handover (bob)' });
    await expectDtError(dt.patchEvent(U.alice, id, { id, summary: 'mine again' }), 400, 'permissionDenied');
    await expectDtError(transfer(U.alice, id, { newOrganizerId: U.alice }), 400, 'permissionDenied');
    const inbox = await poll('carol hears of the transfer by message', async () => {
      const messages = await inboxOf(srv.baseUrl, U.carol);
      return messages.some((m) => m.kind === 'chat' && m.text.includes('Handover')) ? messages : undefined;
    });
    assert.ok(inbox.length > 0);
    // The app's event callback tells of the change, as of any update.
    const update = await poll('calendar_event_change update of the transfer',
      () => receiver.messages.find((m) => m.message.calendarEventId === id && m.message.changeType === 'update'), 10_000);
    assert.ok(update.message.unionIdList.includes(U.carol));
    // The console's event page shows who handed it to whom.
    const html = await consolePage(`/events/${parseEventKey(id).id}`);
    assert.ok(html.includes('transferred from Alice to Bob'), 'the history names the transfer');
  });

  it('a series moves whole, its changed occurrences with it; one instance cannot be transferred', async () => {
    const daily = { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 3 } };
    const id = (await dt.createEvent(U.carol, timed('Series', '2036-06-10', { recurrence: daily, attendees: [{ id: U.dave }] }))).body.id;
    const window = { timeMin: '2036-06-10T00:00:00+08:00', timeMax: '2036-06-13T00:00:00+08:00' };
    const instances = plain((await dt.client.listEventsViewWithOptions(U.carol, 'primary', new $Calendar.ListEventsViewRequest(window), h($Calendar.ListEventsViewHeaders), rt())).body).events;
    assert.equal(instances.length, 3);
    const second = instances[1].id as string;
    await dt.patchEvent(U.carol, second, { id: second, summary: 'Series (moved)' });
    await expectDtError(transfer(U.carol, second, { newOrganizerId: U.dave }), 400, 'invalidParameter');
    await transfer(U.carol, id, { newOrganizerId: U.dave });
    assert.equal((await dt.getEvent(U.dave, id)).body.organizer.id, U.dave);
    const changed = (await dt.getEvent(U.dave, second)).body;
    assert.equal(changed.summary, 'Series (moved)');
    assert.equal(changed.organizer.id, U.dave, 'the changed occurrence has the new organizer too');
    assert.ok(changed.attendees.some((a: any) => a.id === U.carol && a.responseStatus === 'accepted'));
  });

  it('isExitCalendar: the old organizer leaves the event', async () => {
    const id = (await dt.createEvent(U.dave, timed('Exit', '2036-06-02', { attendees: [{ id: U.erin }] }))).body.id;
    await transfer(U.dave, id, { newOrganizerId: U.erin, isExitCalendar: true });
    const got = (await dt.getEvent(U.erin, id)).body;
    assert.equal(got.organizer.id, U.erin);
    assert.deepEqual(got.attendees.map((a: any) => a.id).filter((x: string) => x === U.dave), []);
    await expectDtError(dt.getEvent(U.dave, id), 404, 'itemNotFound');
  });

  it('only the organizer may; bad input (unknown user, oneself, missing) is 400 invalidParameter and changes nothing', async () => {
    const id = (await dt.createEvent(U.frank, timed('Mine', '2036-06-03', { attendees: [{ id: U.grace }] }))).body.id;
    await expectDtError(transfer(U.grace, id, { newOrganizerId: U.grace }), 400, 'permissionDenied');
    await expectDtError(transfer(U.frank, id, { newOrganizerId: 'u_nobody' }), 400, 'invalidParameter');
    await expectDtError(transfer(U.frank, id, { newOrganizerId: U.zed }), 400, 'invalidParameter');
    await expectDtError(transfer(U.frank, id, { newOrganizerId: U.frank }), 400, 'invalidParameter');
    await expectDtError(transfer(U.frank, id, { newOrganizerId: '' }), 400, 'invalidParameter');
    const got = (await dt.getEvent(U.frank, id)).body;
    assert.equal(got.organizer.id, U.frank);
    assert.deepEqual(got.attendees.map((a: any) => a.id), [U.grace]);
  });

  it("another tenant's event is not found", async () => {
    const id = (await dt.createEvent(U.heidi, timed('Ours', '2036-06-04'))).body.id;
    await expectDtError(transfer(G.gina, id, { newOrganizerId: G.gus }, globex), 404, 'itemNotFound');
    assert.equal((await dt.getEvent(U.heidi, id)).body.organizer.id, U.heidi);
  });
});

// ---- sign-in ----------------------------------------------------------------------------------

async function signIn(userId: string, eventId: string, d: Dt = dt): Promise<number> {
  return plain((await d.client.signInWithOptions(userId, 'primary', eventId, h($Calendar.SignInHeaders, d), rt())).body).checkInTime;
}
async function checkIn(userId: string, eventId: string): Promise<number> {
  return plain((await dt.client.checkInWithOptions(userId, 'primary', eventId, h($Calendar.CheckInHeaders), rt())).body).checkInTime;
}
async function signOut(userId: string, eventId: string): Promise<number> {
  return plain((await dt.client.signOutWithOptions(userId, 'primary', eventId, h($Calendar.SignOutHeaders), rt())).body).checkOutTime;
}
async function signInList(userId: string, eventId: string, req: Record<string, unknown>, d: Dt = dt): Promise<any> {
  return plain((await d.client.getSignInListWithOptions(userId, 'primary', eventId, new $Calendar.GetSignInListRequest(req), h($Calendar.GetSignInListHeaders, d), rt())).body);
}
async function signOutList(userId: string, eventId: string, req: Record<string, unknown>): Promise<any> {
  return plain((await dt.client.getSignOutListWithOptions(userId, 'primary', eventId, new $Calendar.GetSignOutListRequest(req), h($Calendar.GetSignOutListHeaders), rt())).body);
}

describe('sign-in and sign-out', () => {
  it('attendees sign in and out at the sandbox clock; the lists page by type', async () => {
    const attendees = [U.bob, U.carol, U.dave, U.erin].map((id) => ({ id }));
    const id = (await dt.createEvent(U.alice, timed('Standup', '2036-07-01', { attendees }))).body.id;
    // Less than the access token's 2 hours: the token's expiry follows the sandbox clock too.
    const offsetMs = 30 * 60_000;
    await admin('PUT', '/clock', { offsetMs });
    try {
      const before = Date.now() + offsetMs;
      const bobIn = await signIn(U.bob, id);
      const afterCall = Date.now() + offsetMs;
      assert.ok(bobIn >= before && bobIn <= afterCall, `checkInTime ${bobIn} follows the sandbox clock (${before}..${afterCall})`);
      assert.equal(await signIn(U.bob, id), bobIn, 'a second sign-in keeps the first time');
      const carolIn = await checkIn(U.carol, id);
      assert.ok(carolIn >= bobIn);
      const aliceIn = await signIn(U.alice, id);
      const bobOut = await signOut(U.bob, id);
      assert.ok(bobOut >= bobIn);

      const first = await signInList(U.alice, id, { type: 'check_in', maxResults: 2 });
      assert.deepEqual(first.users.map((u: any) => [u.userId, u.displayName, u.checkInTime]), [[U.alice, 'Alice', aliceIn], [U.bob, 'Bob', bobIn]]);
      assert.equal(typeof first.nextToken, 'string');
      const second = await signInList(U.alice, id, { type: 'check_in', maxResults: 2, nextToken: first.nextToken });
      assert.deepEqual(second.users.map((u: any) => [u.userId, u.checkInTime]), [[U.carol, carolIn]]);
      assert.equal(second.nextToken, undefined);
      const pending = await signInList(U.alice, id, { type: 'not_yet_check_in', maxResults: 10 });
      assert.deepEqual(pending.users.map((u: any) => [u.userId, u.checkInTime]), [[U.dave, undefined], [U.erin, undefined]]);
      const out = await signOutList(U.alice, id, { type: 'sign_out', maxResults: 10 });
      assert.deepEqual(out.users.map((u: any) => [u.userId, u.checkOutTime]), [[U.bob, bobOut]]);
      assert.equal((await signOutList(U.alice, id, { type: 'not_yet_sign_out', maxResults: 10 })).users.length, 4);
    } finally {
      await admin('PUT', '/clock', { offsetMs: 0 });
    }
  });

  it('one occurrence of a series has sign-ins of its own', async () => {
    const daily = { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 2 } };
    const id = (await dt.createEvent(U.erin, timed('Daily', '2036-07-10', { recurrence: daily, attendees: [{ id: U.frank }] }))).body.id;
    const window = { timeMin: '2036-07-11T00:00:00+08:00', timeMax: '2036-07-12T00:00:00+08:00' };
    const [second] = plain((await dt.client.listEventsViewWithOptions(U.frank, 'primary', new $Calendar.ListEventsViewRequest(window), h($Calendar.ListEventsViewHeaders), rt())).body).events;
    await signIn(U.frank, second.id);
    assert.deepEqual((await signInList(U.erin, second.id, { type: 'check_in' })).users.map((u: any) => u.userId), [U.frank]);
    assert.deepEqual((await signInList(U.erin, id, { type: 'check_in' })).users, [], 'the series itself has none');
  });

  it('only attendees sign in; only the organizer lists; bad type or token is 400 invalidParameter', async () => {
    const id = (await dt.createEvent(U.frank, timed('Review', '2036-07-02', { attendees: [{ id: U.grace }] }))).body.id;
    // heidi reads frank's calendar (an ACL) but is not invited.
    await createAcl(U.frank, 'primary', 'reader', U.heidi);
    const frankCal = calendarIdOf(await listCalendarsOf(U.heidi), 'Frank');
    const heidiSignIn = dt.client.signInWithOptions(U.heidi, frankCal, id, h($Calendar.SignInHeaders), rt());
    await expectDtError(heidiSignIn, 400, 'permissionDenied');
    await expectDtError(signIn(U.ivan, id), 404, 'itemNotFound');
    await expectDtError(signInList(U.grace, id, { type: 'check_in', maxResults: 10 }), 400, 'permissionDenied');
    await expectDtError(signInList(U.frank, id, { type: 'signed', maxResults: 10 }), 400, 'invalidParameter');
    await expectDtError(signInList(U.frank, id, { type: 'check_in', maxResults: 0 }), 400, 'invalidParameter');
    await expectDtError(signInList(U.frank, id, { type: 'check_in', maxResults: 10, nextToken: 'nope' }), 400, 'invalidParameter');
    assert.deepEqual((await signInList(U.frank, id, { type: 'check_in', maxResults: 10 })).users, [], 'nobody signed in');
  });

  it('the sign-in link opens a page where a tester signs in as an attendee; the sign-out link likewise', async () => {
    const id = (await dt.createEvent(U.alice, timed('Workshop', '2036-07-03', { attendees: [{ id: U.judy }] }))).body.id;
    const link = plain((await dt.client.getSignInLinkWithOptions('primary', U.alice, id, h($Calendar.GetSignInLinkHeaders), rt())).body).signInLink as string;
    assert.ok(link.startsWith(`http://${srv.endpoint}/console/sign-in/`), link);
    const again = plain((await dt.client.getSignInLinkWithOptions('primary', U.alice, id, h($Calendar.GetSignInLinkHeaders), rt())).body).signInLink;
    assert.equal(again, link, 'one link per event');
    const outLink = plain((await dt.client.getSignOutLinkWithOptions('primary', U.alice, id, h($Calendar.GetSignOutLinkHeaders), rt())).body).signOutLink as string;
    assert.notEqual(outLink, link);

    const page = await fetch(link);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(html.includes('Sign in as Judy'), 'the page offers each participant');
    const judyId = /<tr data-user="u_judy">[\s\S]*?name="user" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(judyId, 'judy has a sign-in form');
    const signed = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `user=${encodeURIComponent(judyId)}` });
    assert.equal(signed.status, 200);
    assert.ok((await signed.text()).includes('Judy signed in.'));
    const list = await signInList(U.alice, id, { type: 'check_in', maxResults: 10 });
    assert.deepEqual(list.users.map((u: any) => u.userId), [U.judy]);
    // Someone not invited cannot sign in through the page either; an unknown token is not found.
    const stranger = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'user=nobody' });
    assert.equal(stranger.status, 400);
    assert.equal((await fetch(`${srv.baseUrl}/console/sign-in/unknownToken123`)).status, 404);
    // The sign-out page, in a browser as a tester opens it: one click signs Judy out.
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      await tab.goto(outLink);
      await Promise.all([tab.waitForEvent('framenavigated'), tab.click('text=Sign out as Judy')]);
      assert.equal((await tab.locator('[role=status]').textContent())?.trim(), 'Judy signed out.');
      assert.equal(await tab.locator('text=Sign out as Judy').count(), 0, 'signed out: no button any more');
    } finally {
      await browser.close();
    }
    assert.deepEqual((await signOutList(U.alice, id, { type: 'sign_out', maxResults: 10 })).users.map((u: any) => u.userId), [U.judy]);
    // The console's event page lists who signed in and out.
    const eventPage = await consolePage(`/events/${parseEventKey(id).id}`);
    assert.match(eventPage, /<table id="sign-ins">[\s\S]*Judy[\s\S]*<\/table>/);
    // Links are the organizer's.
    await expectDtError(dt.client.getSignInLinkWithOptions('primary', U.judy, id, h($Calendar.GetSignInLinkHeaders), rt()), 400, 'permissionDenied');
  });

  it("another tenant's event is not found", async () => {
    const id = (await dt.createEvent(U.bob, timed('Private', '2036-07-04'))).body.id;
    await expectDtError(signIn(G.gina, id, globex), 404, 'itemNotFound');
    await expectDtError(signInList(G.gina, id, { type: 'check_in', maxResults: 10 }, globex), 404, 'itemNotFound');
    await expectDtError(globex.client.getSignOutLinkWithOptions('primary', G.gina, id, h($Calendar.GetSignOutLinkHeaders, globex), rt()), 404, 'itemNotFound');
  });
});

// ---- categories and legacy ids ---------------------------------------------------------------

async function convert(userId: string, legacyEventIds: string[], d: Dt = dt): Promise<Record<string, string>> {
  const res = await d.client.convertLegacyEventIdWithOptions(userId, new $Calendar.ConvertLegacyEventIdRequest({ legacyEventIds }), h($Calendar.ConvertLegacyEventIdHeaders, d), rt());
  return plain(res.body).legacyEventIdMap;
}

/** An event's legacy id, as the console's event page shows it. */
async function legacyIdOf(eventId: string): Promise<string> {
  const res = await fetch(`${srv.baseUrl}/console/events/${parseEventKey(eventId).id}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const id = /id="legacy-id">(\d+)</.exec(await res.text())?.[1];
  assert.ok(id, 'the event page shows the legacy id');
  return id;
}

describe('categories and legacy ids', () => {
  it('listCategories lists what createEvent takes; the categories are kept and returned on get and list', async () => {
    const res = await dt.client.listCategoriesWithOptions(U.alice, h($Calendar.ListCategoriesHeaders), rt());
    const categories = plain(res.body).categories as Array<{ openCategoryId: string; displayName: string }>;
    assert.ok(categories.length > 0);
    const first = categories[0]!;
    const created = await dt.createEvent(U.carol, timed('Typed', '2036-08-01', { categories: [{ categoryId: first.openCategoryId }] }));
    assert.deepEqual(created.body.categories, [{ categoryId: first.openCategoryId, displayName: first.displayName }]);
    assert.deepEqual((await dt.getEvent(U.carol, created.body.id)).body.categories, [{ displayName: first.displayName }]);
    const listed = await dt.listEvents(U.carol, { timeMin: '2036-08-01T00:00:00+08:00', timeMax: '2036-08-02T00:00:00+08:00' });
    assert.deepEqual(listed.body.events.find((e: any) => e.id === created.body.id).categories, [{ displayName: first.displayName }]);
    // An unknown category is bad input: nothing is created.
    await expectDtError(dt.createEvent(U.carol, timed('Untyped', '2036-08-02', { categories: [{ categoryId: 'cat_nope' }] })), 400, 'invalidParameter');
    const day = await dt.listEvents(U.carol, { timeMin: '2036-08-02T00:00:00+08:00', timeMax: '2036-08-03T00:00:00+08:00' });
    assert.deepEqual(day.body.events, []);
  });

  it('convertLegacyEventId maps each legacy id of the user\'s events to its id; unknown, foreign and unseen ones are left out', async () => {
    const a = (await dt.createEvent(U.dave, timed('Old one', '2036-08-03', { attendees: [{ id: U.erin }] }))).body.id;
    const b = (await dt.createEvent(U.dave, timed('Old two', '2036-08-04'))).body.id;
    const [la, lb] = [await legacyIdOf(a), await legacyIdOf(b)];
    assert.notEqual(la, lb);
    assert.deepEqual(await convert(U.dave, [la, lb, '999999999', 'abc']), { [la]: a, [lb]: b });
    assert.deepEqual(await convert(U.erin, [la, lb]), { [la]: a }, 'an attendee converts what they see');
    assert.deepEqual(await convert(G.gina, [la, lb], globex), {}, "another tenant's ids do not convert");
    await expectDtError(convert(U.dave, []), 400, 'invalidParameter');
    await expectDtError(convert(U.dave, Array.from({ length: 101 }, (_, i) => String(i + 1))), 400, 'invalidParameter');
  });
});
