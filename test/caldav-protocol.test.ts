// The WebDAV/CalDAV protocol at the wire, request by request: properties (allprop, propname, unknown),
// reports (multiget with a missing href, free-busy-query, text-match, unsupported reports), extended
// MKCOL, PROPPATCH atomicity, bad XML and bad iCalendar (never a 500), unsupported methods.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME, U, buildDirectory } from './helpers/directory.ts';
import { getToken } from './helpers/dingtalk.ts';
import { dav, mintDingTalkAccount, type CaldavAccount } from './helpers/caldav.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

let srv: KalendsServer;
let account: CaldavAccount;
let home = '';
let calendar = '';
let dtToken = '';

const X = '<?xml version="1.0" encoding="utf-8"?>';
const C = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"';

function ics(uid: string, summary: string, start: string, end: string, extra: string[] = []): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Kalends tests//raw//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20310101T000000Z',
    `DTSTART:${start}`, `DTEND:${end}`, `SUMMARY:${summary}`, ...extra, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
}

const at = (path: string) => `${srv.baseUrl}${path}`;

before(async () => {
  srv = await startServer({ directory: buildDirectory({ bulk: false }) });
  dtToken = await getToken(srv.endpoint, ACME.app);
  account = await mintDingTalkAccount(srv.endpoint, dtToken, U.alice, 'raw');
  const root = await dav(account.serverAddress, 'PROPFIND', account, { headers: { depth: '0' }, body: `${X}<d:propfind ${C}><d:prop><d:current-user-principal/></d:prop></d:propfind>` });
  home = /<d:current-user-principal><d:href>([^<]+)</.exec(root.text)![1]!;
  const list = await dav(at(home), 'PROPFIND', account, { headers: { depth: '1' }, body: `${X}<d:propfind ${C}><d:prop><d:resourcetype/></d:prop></d:propfind>` });
  calendar = /<d:href>([^<]+)<\/d:href><d:propstat><d:prop><d:resourcetype><d:collection\/><c:calendar\/>/.exec(list.text)![1]!;
  for (const [name, body] of [
    ['standup.ics', ics('p-standup@example', 'Standup in Berlin', '20310310T080000Z', '20310310T083000Z', ['LOCATION:Berlin office', 'CATEGORIES:TEAM'])],
    ['review.ics', ics('p-review@example', 'Quarterly review', '20310311T080000Z', '20310311T100000Z')],
  ]) assert.equal((await dav(at(`${calendar}${name}`), 'PUT', account, { body, headers: { 'content-type': 'text/calendar; charset=utf-8', 'if-none-match': '*' } })).status, 201);
});
after(async () => {
  await srv?.cleanup();
});

describe('properties', () => {
  it('PROPFIND without a body is allprop: a calendar with its reports, component set, ctag and sync-token', async () => {
    const res = await dav(at(calendar), 'PROPFIND', account, { headers: { depth: '0' } });
    assert.equal(res.status, 207);
    for (const part of ['<c:calendar/>', '<c:comp name="VEVENT"/>', '<c:calendar-query/>', '<c:calendar-multiget/>', '<c:free-busy-query/>', '<d:sync-collection/>', '<cs:getctag>', '<d:sync-token>', '<d:write/>']) {
      assert.ok(res.text.includes(part), `${part} in ${res.text}`);
    }
  });

  it('propname lists names without values; an unknown property is answered in a 404 propstat', async () => {
    const names = await dav(at(calendar), 'PROPFIND', account, { headers: { depth: '0' }, body: `${X}<d:propfind ${C}><d:propname/></d:propfind>` });
    assert.match(names.text, /<d:displayname\/>/);
    assert.doesNotMatch(names.text, /<d:sync-token>/);
    const unknown = await dav(at(calendar), 'PROPFIND', account, { headers: { depth: '0' }, body: `${X}<d:propfind ${C} xmlns:x="urn:example"><d:prop><d:displayname/><x:mood/></d:prop></d:propfind>` });
    assert.match(unknown.text, /<d:propstat><d:prop><mood xmlns="urn:example"\/><\/d:prop><d:status>HTTP\/1\.1 404 Not Found<\/d:status>/);
  });

  it('Depth 1 on a calendar lists its objects with their ETags', async () => {
    const res = await dav(at(calendar), 'PROPFIND', account, { headers: { depth: '1' }, body: `${X}<d:propfind ${C}><d:prop><d:getetag/></d:prop></d:propfind>` });
    assert.match(res.text, /standup\.ics<\/d:href><d:propstat><d:prop><d:getetag>"/);
    assert.match(res.text, /review\.ics/);
  });
});

describe('reports', () => {
  it('calendar-multiget: found objects with data, a missing href as a 404 response', async () => {
    const res = await dav(at(calendar), 'REPORT', account, {
      headers: { depth: '1' },
      body: `${X}<c:calendar-multiget ${C}><d:prop><d:getetag/><c:calendar-data/></d:prop><d:href>${calendar}standup.ics</d:href><d:href>${calendar}nothing.ics</d:href></c:calendar-multiget>`,
    });
    assert.equal(res.status, 207);
    assert.match(res.text, /SUMMARY:Standup in Berlin/);
    assert.match(res.text, /nothing\.ics<\/d:href><d:status>HTTP\/1\.1 404 Not Found/);
  });

  it('calendar-query with a text-match on LOCATION', async () => {
    const res = await dav(at(calendar), 'REPORT', account, {
      headers: { depth: '1' },
      body: `${X}<c:calendar-query ${C}><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:prop-filter name="LOCATION"><c:text-match>berlin</c:text-match></c:prop-filter></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`,
    });
    assert.equal(res.status, 207, res.text);
    assert.match(res.text, /standup\.ics/);
    assert.doesNotMatch(res.text, /review\.ics/);
  });

  it('a time-range that is not UTC, or a filter without VCALENDAR, is 403 CALDAV:valid-filter', async () => {
    for (const filter of ['<c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="2031-03-10"/></c:comp-filter></c:comp-filter>', '<c:comp-filter name="VEVENT"/>']) {
      const res = await dav(at(calendar), 'REPORT', account, { body: `${X}<c:calendar-query ${C}><d:prop><d:getetag/></d:prop><c:filter>${filter}</c:filter></c:calendar-query>` });
      assert.equal(res.status, 403);
      assert.match(res.text, /<c:valid-filter\/>/);
    }
  });

  it('free-busy-query answers a VFREEBUSY with the busy periods', async () => {
    const res = await dav(at(calendar), 'REPORT', account, {
      body: `${X}<c:free-busy-query ${C}><c:time-range start="20310310T000000Z" end="20310312T000000Z"/></c:free-busy-query>`,
    });
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^text\/calendar/);
    assert.match(res.text, /BEGIN:VFREEBUSY/);
    assert.match(res.text, /FREEBUSY[^:]*:20310310T080000Z\/20310310T083000Z/);
  });

  it('an unsupported report, or a report on the home, is 403 DAV:supported-report; bad XML is 400', async () => {
    const other = await dav(at(calendar), 'REPORT', account, { body: `${X}<d:expand-property xmlns:d="DAV:"/>` });
    assert.equal(other.status, 403);
    assert.match(other.text, /<d:supported-report\/>/);
    const onHome = await dav(at(home), 'REPORT', account, { body: `${X}<d:sync-collection xmlns:d="DAV:"><d:sync-token/></d:sync-collection>` });
    assert.equal(onHome.status, 403);
    const bad = await dav(at(calendar), 'REPORT', account, { body: '<c:calendar-query xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop/></c:calendar-query>' });
    assert.equal(bad.status, 400, 'an undeclared prefix');
    const broken = await dav(at(calendar), 'REPORT', account, { body: '<<<' });
    assert.equal(broken.status, 400);
    assert.match(broken.text, /not well-formed XML/);
  });
});

describe('collections and objects', () => {
  it('extended MKCOL makes a calendar; MKCOL of a plain collection is 403 DAV:valid-resourcetype', async () => {
    const made = await dav(at(`${home}mkcol-cal/`), 'MKCOL', account, {
      body: `${X}<d:mkcol ${C}><d:set><d:prop><d:resourcetype><d:collection/><c:calendar/></d:resourcetype><d:displayname>By MKCOL</d:displayname></d:prop></d:set></d:mkcol>`,
    });
    assert.equal(made.status, 201);
    const props = await dav(at(`${home}mkcol-cal/`), 'PROPFIND', account, { headers: { depth: '0' }, body: `${X}<d:propfind ${C}><d:prop><d:displayname/></d:prop></d:propfind>` });
    assert.match(props.text, /<d:displayname>By MKCOL<\/d:displayname>/);
    const plain = await dav(at(`${home}plain/`), 'MKCOL', account, {
      body: `${X}<d:mkcol ${C}><d:set><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop></d:set></d:mkcol>`,
    });
    assert.equal(plain.status, 403);
    assert.match(plain.text, /<d:valid-resourcetype\/>/);
  });

  it('PROPPATCH with a property Kalends cannot keep fails as a whole: 403 for it, 424 for the rest, nothing changed', async () => {
    const res = await dav(at(`${home}mkcol-cal/`), 'PROPPATCH', account, {
      body: `${X}<d:propertyupdate ${C} xmlns:x="urn:example"><d:set><d:prop><d:displayname>Renamed</d:displayname><x:mood>good</x:mood></d:prop></d:set></d:propertyupdate>`,
    });
    assert.equal(res.status, 207);
    assert.match(res.text, /<mood xmlns="urn:example"\/><\/d:prop><d:status>HTTP\/1\.1 403 Forbidden/);
    assert.match(res.text, /<d:displayname\/><\/d:prop><d:status>HTTP\/1\.1 424 Failed Dependency/);
    const props = await dav(at(`${home}mkcol-cal/`), 'PROPFIND', account, { headers: { depth: '0' }, body: `${X}<d:propfind ${C}><d:prop><d:displayname/></d:prop></d:propfind>` });
    assert.match(props.text, /By MKCOL/);
  });

  it('PUT of text that is not iCalendar is 403 CALDAV:valid-calendar-data and stores nothing', async () => {
    const res = await dav(at(`${calendar}junk.ics`), 'PUT', account, { body: 'this is not a calendar', headers: { 'content-type': 'text/calendar' } });
    assert.equal(res.status, 403);
    assert.match(res.text, /<c:valid-calendar-data\/>/);
    assert.equal((await dav(at(`${calendar}junk.ics`), 'GET', account)).status, 404);
  });

  it('a NUL character is refused: in iCalendar 403 CALDAV:valid-calendar-data (nothing stored), in XML 400', async () => {
    const put = await dav(at(`${calendar}nul.ics`), 'PUT', account, { body: ics('p-nul@example', 'Bad\u0000summary', '20310311T080000Z', '20310311T083000Z'), headers: { 'content-type': 'text/calendar' } });
    assert.equal(put.status, 403, put.text);
    assert.match(put.text, /<c:valid-calendar-data\/>/);
    assert.equal((await dav(at(`${calendar}nul.ics`), 'GET', account)).status, 404);
    const find = await dav(at(calendar), 'PROPFIND', account, { headers: { depth: '0' }, body: `${X}<d:propfind ${C}><d:prop><d:displayname>\u0000</d:displayname></d:prop></d:propfind>` });
    assert.equal(find.status, 400, find.text);
  });

  it('a second object with the same UID in one calendar is 403 CALDAV:no-uid-conflict naming the first', async () => {
    const res = await dav(at(`${calendar}again.ics`), 'PUT', account, { body: ics('p-standup@example', 'Same UID', '20310310T080000Z', '20310310T083000Z'), headers: { 'content-type': 'text/calendar' } });
    assert.equal(res.status, 403);
    assert.match(res.text, /<c:no-uid-conflict><d:href>[^<]*standup\.ics<\/d:href>/);
  });

  it('an unsupported method is 405 with Allow; a bad Depth is 400', async () => {
    const lock = await dav(at(calendar), 'LOCK', account);
    assert.equal(lock.status, 405);
    assert.match(lock.headers.get('allow') ?? '', /REPORT/);
    assert.equal((await dav(at(calendar), 'PROPFIND', account, { headers: { depth: 'two' } })).status, 400);
    const badUrl = await dav(at(`${calendar}%E0%A4%A.ics`), 'GET', account);
    assert.ok(badUrl.status === 400 || badUrl.status === 404, `a malformed path: ${badUrl.status}`);
    assert.doesNotMatch(badUrl.headers.get('content-type') ?? '', /json/, 'answered as CalDAV, not in a platform\'s JSON');
  });
});

describe('the schedule inbox (RFC 6638)', () => {
  it('an invitation PUT by the organizer lands in the attendee\'s inbox as a METHOD:REQUEST; DELETE dismisses it', async () => {
    const invite = ics('p-invite@example', 'Planning', '20310312T080000Z', '20310312T090000Z', ['ORGANIZER:mailto:alice@acme.example', 'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@acme.example']);
    assert.equal((await dav(at(`${calendar}invite.ics`), 'PUT', account, { body: invite, headers: { 'content-type': 'text/calendar' } })).status, 201);
    const bob = await mintDingTalkAccount(srv.endpoint, dtToken, U.bob, 'raw');
    const principal = await dav(bob.serverAddress, 'PROPFIND', bob, { headers: { depth: '0' }, body: `${X}<d:propfind ${C}><d:prop><d:current-user-principal/></d:prop></d:propfind>` });
    const bobHome = /<d:current-user-principal><d:href>([^<]+)</.exec(principal.text)![1]!;
    const inboxUrl = /<c:schedule-inbox-URL><d:href>([^<]+)</.exec((await dav(at(bobHome), 'PROPFIND', bob, { headers: { depth: '0' }, body: `${X}<d:propfind ${C}><d:prop><c:schedule-inbox-URL/></d:prop></d:propfind>` })).text)![1]!;
    const listed = await dav(at(inboxUrl), 'PROPFIND', bob, { headers: { depth: '1' }, body: `${X}<d:propfind ${C}><d:prop><d:getetag/></d:prop></d:propfind>` });
    assert.equal(listed.status, 207);
    const item = /<d:href>([^<]+\.ics)<\/d:href>/.exec(listed.text)?.[1];
    assert.ok(item, listed.text);
    const got = await dav(at(item!), 'GET', bob);
    assert.equal(got.status, 200);
    assert.match(got.text, /METHOD:REQUEST/);
    assert.match(got.text, /SUMMARY:Planning/);
    assert.equal((await dav(at(item!), 'GET', account)).status, 403, 'alice does not read bob\'s inbox');
    assert.equal((await dav(at(item!), 'DELETE', bob)).status, 204);
    assert.equal((await dav(at(item!), 'GET', bob)).status, 404);
  });
});

describe('the schedule outbox (RFC 6638 §5)', () => {
  const request = (organizer: string) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Kalends tests//raw//EN', 'METHOD:REQUEST', 'BEGIN:VFREEBUSY',
    'UID:fb-1@example', 'DTSTAMP:20310101T000000Z', 'DTSTART:20310310T000000Z', 'DTEND:20310312T000000Z', `ORGANIZER:mailto:${organizer}`,
    'ATTENDEE:mailto:alice@acme.example', 'ATTENDEE:mailto:nobody@nowhere.example', 'END:VFREEBUSY', 'END:VCALENDAR', ''].join('\r\n');

  it('a free/busy request POSTed to the outbox answers each attendee: busy time, or 3.7 for an unknown address', async () => {
    const res = await dav(at(`${home}outbox/`), 'POST', account, { body: request('alice@acme.example'), headers: { 'content-type': 'text/calendar; charset=utf-8' } });
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, /<c:schedule-response/);
    assert.match(res.text, /<c:recipient><d:href>mailto:alice@acme\.example<\/d:href><\/c:recipient><c:request-status>2\.0;Success<\/c:request-status><c:calendar-data>[^<]*BEGIN:VFREEBUSY[^<]*FREEBUSY[^<]*20310310T080000Z/);
    assert.match(res.text, /mailto:nobody@nowhere\.example<\/d:href><\/c:recipient><c:request-status>3\.7;Invalid calendar user/);
  });

  it('only the signed-in user may be the ORGANIZER (403 CALDAV:organizer-allowed); POST elsewhere is 405', async () => {
    const res = await dav(at(`${home}outbox/`), 'POST', account, { body: request('bob@acme.example'), headers: { 'content-type': 'text/calendar' } });
    assert.equal(res.status, 403);
    assert.match(res.text, /<c:organizer-allowed\/>/);
    assert.equal((await dav(at(calendar), 'POST', account, { body: request('alice@acme.example'), headers: { 'content-type': 'text/calendar' } })).status, 405);
  });
});
