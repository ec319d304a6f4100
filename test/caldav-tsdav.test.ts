// CalDAV through a real client library, tsdav: discovery from the serverAddress generateCaldavAccount
// gives, create/update/delete with ETags, conflicts, a time-range query, sync tokens, calendars made,
// renamed and deleted, and ACLs (a subscribed calendar is read-only) — with the DingTalk API on the
// same data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DAVClient, type DAVCalendar } from 'tsdav';
import { U, buildDirectory, ACME } from './helpers/directory.ts';
import { Dt, getToken, timedEventBody } from './helpers/dingtalk.ts';
import { dav, mintDingTalkAccount, type CaldavAccount } from './helpers/caldav.ts';
import { asUser, fsClient, ok, userToken } from './helpers/feishu.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

let srv: KalendsServer;
let dt: Dt;
let account: CaldavAccount;
let client: DAVClient;
let primary: DAVCalendar;

function ics(uid: string, summary: string, start = '20310305T020000Z', end = '20310305T030000Z', extra = ''): string {
  return [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Kalends tests//tsdav//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20310101T000000Z',
    `DTSTART:${start}`, `DTEND:${end}`, `SUMMARY:${summary}`, ...(extra ? [extra] : []), 'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');
}

async function davClient(a: CaldavAccount): Promise<DAVClient> {
  const c = new DAVClient({ serverUrl: a.serverAddress, credentials: { username: a.username, password: a.password }, authMethod: 'Basic', defaultAccountType: 'caldav' });
  await c.login();
  return c;
}

before(async () => {
  srv = await startServer({ directory: buildDirectory({ bulk: false }) });
  const token = await getToken(srv.endpoint, ACME.app);
  dt = new Dt(srv.endpoint, token);
  account = await mintDingTalkAccount(srv.endpoint, token, U.alice, 'tsdav');
  client = await davClient(account);
});
after(async () => {
  await srv?.cleanup();
});

describe('tsdav against Kalends', () => {
  it('discovers the principal, home and the primary calendar from serverAddress', async () => {
    assert.ok(client.account?.homeUrl?.includes('/caldav/'), `home: ${client.account?.homeUrl}`);
    const calendars = await client.fetchCalendars();
    assert.ok(calendars.length >= 1);
    primary = calendars[0]!;
    assert.ok(primary.url.startsWith(`${srv.baseUrl}/caldav/`));
    assert.ok(primary.components?.includes('VEVENT'));
    assert.ok(primary.syncToken, 'a sync-token');
    assert.ok(primary.ctag !== undefined, 'a getctag');
  });

  it('an event made through the DingTalk SDK is an object of the primary calendar', async () => {
    const made = await dt.createEvent(U.alice, timedEventBody('Made by DingTalk'));
    assert.equal(made.statusCode, 200);
    const objects = await client.fetchCalendarObjects({ calendar: primary, useMultiGet: false });
    const found = objects.find((o) => String(o.data).includes('SUMMARY:Made by DingTalk'));
    assert.ok(found, `objects: ${objects.map((o) => o.url).join(', ')}`);
    assert.ok(found!.etag, 'with an ETag');
  });

  let url = '';
  let etag = '';
  it('creates an object under a name of its choosing; DingTalk reads the event', async () => {
    const res = await client.createCalendarObject({ calendar: primary, filename: 'lunch-meeting.ics', iCalString: ics('tsdav-1@example', 'Lunch') });
    assert.equal(res.status, 201);
    etag = res.headers.get('etag') ?? '';
    assert.ok(etag, 'PUT answers the ETag');
    url = new URL('lunch-meeting.ics', primary.url).href;
    const [object] = await client.fetchCalendarObjects({ calendar: primary, objectUrls: [url] });
    assert.match(String(object!.data), /SUMMARY:Lunch/);
    assert.equal(object!.etag, etag);
    const listed = await dt.listEvents(U.alice, { timeMin: '2031-03-05T00:00:00Z', timeMax: '2031-03-06T00:00:00Z' });
    assert.ok((listed.body.events as any[]).some((e) => e.summary === 'Lunch'), JSON.stringify(listed.body));
  });

  it('If-None-Match: * on an existing name is 412; a stale If-Match is 412; the right one updates', async () => {
    const again = await client.createCalendarObject({ calendar: primary, filename: 'lunch-meeting.ics', iCalString: ics('tsdav-1@example', 'Lunch again') });
    assert.equal(again.status, 412);
    const stale = await client.updateCalendarObject({ calendarObject: { url, etag: '"stale"', data: ics('tsdav-1@example', 'Lunch moved') } });
    assert.equal(stale.status, 412);
    const updated = await client.updateCalendarObject({ calendarObject: { url, etag, data: ics('tsdav-1@example', 'Lunch moved') } });
    assert.equal(updated.status, 204);
    const newEtag = updated.headers.get('etag');
    assert.ok(newEtag && newEtag !== etag, 'a new ETag');
    etag = newEtag!;
    const [object] = await client.fetchCalendarObjects({ calendar: primary, objectUrls: [url] });
    assert.match(String(object!.data), /SUMMARY:Lunch moved/);
  });

  it('a time-range calendar-query finds the objects of that window, a weekly series by its instances', async () => {
    await client.createCalendarObject({ calendar: primary, filename: 'april.ics', iCalString: ics('tsdav-april@example', 'April only', '20310410T020000Z', '20310410T030000Z') });
    await client.createCalendarObject({ calendar: primary, filename: 'weekly.ics', iCalString: ics('tsdav-weekly@example', 'Weekly sync', '20310101T010000Z', '20310101T013000Z', 'RRULE:FREQ=WEEKLY;COUNT=30') });
    const inMarch = await client.fetchCalendarObjects({ calendar: primary, timeRange: { start: '2031-03-05T00:00:00Z', end: '2031-03-06T00:00:00Z' } });
    const summaries = inMarch.map((o) => /SUMMARY:([^\r\n]+)/.exec(String(o.data))?.[1]).sort();
    assert.ok(summaries.includes('Lunch moved'), JSON.stringify(summaries));
    assert.ok(summaries.includes('Weekly sync'), 'the series has an instance on 2031-03-05');
    assert.ok(!summaries.includes('April only'));
    const expanded = await client.fetchCalendarObjects({ calendar: primary, expand: true, timeRange: { start: '2031-03-01T00:00:00Z', end: '2031-03-15T00:00:00Z' } });
    const weekly = expanded.find((o) => String(o.data).includes('Weekly sync'));
    assert.equal(String(weekly?.data).match(/RECURRENCE-ID/g)?.length, 2, 'expand: the two instances of the window, as separate VEVENTs');
    assert.doesNotMatch(String(weekly?.data), /RRULE/);
  });

  it('sync-collection: a token, then the change since it, then the deletion as a 404 member', async () => {
    const first = await client.syncCollection({ url: primary.url, props: { 'd:getetag': {} }, syncLevel: 1, syncToken: '' });
    assert.ok(first.length >= 2);
    const token = await currentToken(primary.url);
    await client.createCalendarObject({ calendar: primary, filename: 'later.ics', iCalString: ics('tsdav-2@example', 'Later') });
    const changed = await syncReport(primary.url, token);
    assert.equal(changed.status, 207);
    assert.match(changed.text, /later\.ics<\/d:href>/);
    assert.doesNotMatch(changed.text, /lunch-meeting\.ics/);
    const token2 = /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(changed.text)![1]!;
    const removed = await client.deleteCalendarObject({ calendarObject: { url: new URL('later.ics', primary.url).href, etag: '' } });
    assert.equal(removed.status, 204);
    const after = await syncReport(primary.url, token2);
    assert.match(after.text, /later\.ics<\/d:href><d:status>HTTP\/1\.1 404 Not Found<\/d:status>/);
    assert.equal((await dav(new URL('later.ics', primary.url).href, 'GET', account)).status, 404);
    const bad = await syncReport(primary.url, 'http://kalends.invalid/sync/elsewhere/1');
    assert.equal(bad.status, 403);
    assert.match(bad.text, /<d:valid-sync-token\/>/);
  });

  it('a deleted object reads 404 and DingTalk no longer lists the event', async () => {
    const res = await client.deleteCalendarObject({ calendarObject: { url, etag } });
    assert.equal(res.status, 204);
    assert.equal((await dav(url, 'GET', account)).status, 404);
    const listed = await dt.listEvents(U.alice, { timeMin: '2031-03-05T00:00:00Z', timeMax: '2031-03-06T00:00:00Z' });
    assert.ok(!(listed.body.events as any[]).some((e) => e.summary === 'Lunch moved'));
  });

  it('MKCALENDAR makes a calendar at the URL asked; PROPPATCH renames it; DELETE removes it (then 404)', async () => {
    const home = client.account!.homeUrl!;
    const calUrl = new URL('team-plans/', home).href;
    const made = await client.makeCalendar({ url: calUrl, props: { displayname: 'Team plans', 'c:calendar-description': 'what we plan' } });
    assert.ok(made.every((r) => r.ok), JSON.stringify(made));
    let calendars = await client.fetchCalendars();
    const team = calendars.find((c) => c.url === calUrl);
    assert.equal(team?.displayName, 'Team plans');
    const patch = await dav(calUrl, 'PROPPATCH', account, {
      body: '<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:" xmlns:i="http://apple.com/ns/ical/"><d:set><d:prop><d:displayname>Team roadmap</d:displayname><i:calendar-color>#3366CC</i:calendar-color></d:prop></d:set></d:propertyupdate>',
    });
    assert.equal(patch.status, 207);
    assert.match(patch.text, /HTTP\/1\.1 200 OK/);
    calendars = await client.fetchCalendars();
    assert.equal(calendars.find((c) => c.url === calUrl)?.displayName, 'Team roadmap');
    const taken = await dav(calUrl, 'MKCALENDAR', account);
    assert.equal(taken.status, 405);
    const put = await client.createCalendarObject({ calendar: calendars.find((c) => c.url === calUrl)!, filename: 'kickoff.ics', iCalString: ics('kickoff@example', 'Kickoff') });
    assert.equal(put.status, 201);
    assert.equal((await dav(calUrl, 'DELETE', account)).status, 204);
    assert.equal((await dav(calUrl, 'PROPFIND', account, { headers: { depth: '0' } })).status, 404);
    assert.ok(!(await client.fetchCalendars()).some((c) => c.url === calUrl));
  });

  it('a subscribed (read-only) calendar is a collection; writing to it is 403 DAV:need-privileges', async () => {
    const sub = await dt.createSubscribed(U.alice, { name: 'Holidays', description: 'public', managers: [U.alice], subscribeScope: { unionIds: [U.bob] } });
    const calendarId = sub.body.calendarId as string;
    assert.equal((await dt.subscribe(U.bob, calendarId)).statusCode, 200);
    const bob = await mintDingTalkAccount(srv.endpoint, dt.token!, U.bob, 'bob');
    const bobClient = await davClient(bob);
    const holidays = (await bobClient.fetchCalendars()).find((c) => c.displayName === 'Holidays');
    assert.ok(holidays, 'the subscribed calendar is listed');
    const res = await bobClient.createCalendarObject({ calendar: holidays!, filename: 'x.ics', iCalString: ics('bob-x@example', 'Nope') });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<d:need-privileges>/);
  });
});

describe('calendars shared through Feishu ACLs', () => {
  it('a writer\'s client writes the shared calendar; a reader\'s gets 403; a stranger does not see it', async () => {
    const fs = fsClient(srv.baseUrl, ACME.feishuApp);
    const aliceTok = await userToken(fs, srv.baseUrl, ACME.feishuApp.appId, 'ou_alice');
    const shared = ok(await fs.calendar.calendar.create({ data: { summary: 'Ops rota', description: 'shared' } }, asUser(aliceTok)), 'calendar.create').calendar;
    for (const [openId, role] of [['ou_bob', 'writer'], ['ou_carol', 'reader']] as const) {
      ok(await fs.calendar.calendarAcl.create({ path: { calendar_id: shared.calendar_id }, params: { user_id_type: 'open_id' }, data: { role, scope: { type: 'user', user_id: openId } } }, asUser(aliceTok)), 'acl');
    }
    const [bob, carol, dave] = await Promise.all([U.bob, U.carol, U.dave].map((u) => mintDingTalkAccount(srv.endpoint, dt.token!, u, 'acl')));
    const rota = async (a: CaldavAccount) => (await (await davClient(a)).fetchCalendars()).find((c) => c.displayName === 'Ops rota');
    const bobRota = await rota(bob!);
    assert.ok(bobRota, 'the writer sees the shared calendar in their home');
    const put = await (await davClient(bob!)).createCalendarObject({ calendar: bobRota!, filename: 'shift.ics', iCalString: ics('shift@example', 'Night shift') });
    assert.equal(put.status, 201);
    const carolRota = await rota(carol!);
    assert.ok(carolRota, 'the reader sees it too');
    const objects = await (await davClient(carol!)).fetchCalendarObjects({ calendar: carolRota!, useMultiGet: false });
    assert.ok(objects.some((o) => String(o.data).includes('SUMMARY:Night shift')), 'and reads its events');
    const refused = await (await davClient(carol!)).createCalendarObject({ calendar: carolRota!, filename: 'x.ics', iCalString: ics('carol-x@example', 'Nope') });
    assert.equal(refused.status, 403);
    assert.equal(await rota(dave!), undefined, 'someone without an ACL does not see it');
    const daveHome = (await davClient(dave!)).account!.homeUrl!;
    const calendarSegment = new URL(bobRota!.url).pathname.split('/').filter(Boolean).pop()!;
    const stranger = await dav(new URL(`${calendarSegment}/shift.ics`, daveHome).href, 'GET', dave!);
    assert.equal(stranger.status, 403, 'nor reads its events by URL');
    assert.match(stranger.text, /<d:need-privileges>/);
  });
});

async function currentToken(calendarUrl: string): Promise<string> {
  const res = await dav(calendarUrl, 'PROPFIND', account, { headers: { depth: '0' }, body: '<d:propfind xmlns:d="DAV:"><d:prop><d:sync-token/></d:prop></d:propfind>' });
  return /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(res.text)![1]!;
}

function syncReport(calendarUrl: string, token: string) {
  return dav(calendarUrl, 'REPORT', account, {
    body: `<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`,
  });
}
