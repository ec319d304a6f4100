// CalDAV calendar objects in the core (src/core/caldav): PUT/GET/DELETE/list/query against the
// store a real Kalends server runs on (SQLite file or PostgreSQL), next to the DingTalk SDK
// driving the same server, so what a CalDAV client writes is checked through the platform API
// and the other way round.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ICAL from 'ical.js';
import type { Actor } from '../src/core/actor.ts';
import { KalendsError } from '../src/core/errors.ts';
import { getCalendarObject, getCalendarObjects } from '../src/core/caldav/get-object.ts';
import { putCalendarObject } from '../src/core/caldav/put-object.ts';
import { deleteCalendarObject } from '../src/core/caldav/delete-object.ts';
import { changedCalendarObjects, listCalendarObjects } from '../src/core/caldav/list-objects.ts';
import { queryCalendarObjects } from '../src/core/caldav/calendar-query.ts';
import { freeBusyCalendar } from '../src/core/caldav/free-busy-ics.ts';
import { deleteInboxItem, getInboxItem, listInbox } from '../src/core/caldav/schedule-inbox.ts';
import { scheduleFreeBusy } from '../src/core/caldav/schedule-free-busy.ts';
import { grantCalendarAccess } from '../src/core/calendars/calendar-acl.ts';
import { openStore } from '../src/store/open-store.ts';
import type { Store } from '../src/store/store.ts';
import { findApp, findUserByUnionId } from '../src/store/repositories/directory.ts';
import { ACME, ACME_CHAT, ALL_SCOPES, U, buildDirectory } from './helpers/directory.ts';
import { addAttendees as fsAddAttendees, createEvent as fsCreateEvent, fsClient, listAllAttendees, primaryCalendarId, timedEvent, userAtt, userToken } from './helpers/feishu.ts';
import { parseEventId as parseFeishuEventId, renderEventId as feishuEventId } from '../src/http/feishu/ids.ts';
import { Dt, getToken, timedEventBody } from './helpers/dingtalk.ts';
import { parseId, renderEventId as dingtalkEventId, renderId } from '../src/http/dingtalk/ids.ts';
import { $Calendar, rt } from './helpers/dingtalk.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';
import { dav, mintDingTalkAccount } from './helpers/caldav.ts';
import { findPrimaryCalendar } from '../src/store/repositories/calendars.ts';

const PRIMARY = { primary: true } as const;

/** A VCALENDAR from lines (CRLF), as a client sends it. */
function ics(...lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//CalDAV//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
}

function vevents(text: string) {
  return ICAL.Component.fromString(text).getAllSubcomponents('vevent');
}

async function refusal(p: Promise<unknown>): Promise<KalendsError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof KalendsError, `expected a KalendsError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a refusal');
}

describe('CalDAV calendar objects (core, on the server\'s store)', () => {
  let server: KalendsServer;
  let store: Store;
  let dt: Dt;
  const actors: Record<string, Actor> = {};

  before(async () => {
    server = await startServer({ directory: buildDirectory({ bulk: false }) });
    dt = new Dt(server.endpoint, await getToken(server.endpoint, ACME.app));
    store = await openStore({ data: server.dataDir, databaseUrl: server.databaseUrl, poolSize: 2 } as never);
    const app = (await findApp(store.db, 'dingtalk', ACME.app.appKey))!;
    for (const who of [U.alice, U.bob, U.carol]) {
      const user = (await findUserByUnionId(store.db, ACME.tenantId, who))!;
      actors[who] = { tenantId: ACME.tenantId, appId: app.id, platform: 'dingtalk', scopes: ALL_SCOPES, bot: false, userId: user.id };
    }
  });
  after(async () => {
    await store?.close();
    await server?.cleanup();
  });

  const put = (who: string, name: string, text: string, pre = {}) =>
    store.transaction((tx) => putCalendarObject(tx, actors[who]!, PRIMARY, name, text, pre, Date.now()));
  const get = (who: string, name: string) => getCalendarObject(store.db, actors[who]!, PRIMARY, name);

  it('gives back a rich object semantically as it was PUT (series, override, EXDATE, VALARM, X- properties, zone)', async () => {
    const text = ics(
      'BEGIN:VEVENT', 'UID:rich-1@test', 'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID=America/New_York:20310106T090000', 'DTEND;TZID=America/New_York:20310106T100000',
      'RRULE:FREQ=WEEKLY;COUNT=6', 'EXDATE;TZID=America/New_York:20310120T090000',
      'SUMMARY:Standup, daily', 'DESCRIPTION:Line one\\nLine two', 'LOCATION:Room 1',
      'CATEGORIES:WORK,TEAM', 'X-CUSTOM-THING;X-PARAM=1:kept value', 'ATTACH:https://example.org/agenda.pdf',
      'ORGANIZER;CN=Alice:mailto:alice@acme.example',
      'ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION:mailto:bob@acme.example',
      'ATTENDEE;CN=Outside;ROLE=OPT-PARTICIPANT:mailto:Someone@Example.org',
      'BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:soon', 'TRIGGER:-PT15M', 'X-APPLE-DEFAULT-ALARM:TRUE', 'END:VALARM',
      'END:VEVENT',
      'BEGIN:VEVENT', 'UID:rich-1@test', 'DTSTAMP:20260101T000000Z',
      'RECURRENCE-ID;TZID=America/New_York:20310113T090000',
      'DTSTART;TZID=America/New_York:20310113T140000', 'DTEND;TZID=America/New_York:20310113T150000',
      'SUMMARY:Standup (moved)', 'X-OVERRIDE-NOTE:only here',
      'ORGANIZER;CN=Alice:mailto:alice@acme.example', 'ATTENDEE;CN=Bob:mailto:bob@acme.example',
      'END:VEVENT',
    );
    const first = await put(U.alice, 'my-standup.ics', text);
    assert.equal(first.created, true);
    assert.match(first.etag, /^"[^"]+"$/);
    const got = await get(U.alice, 'my-standup.ics');
    assert.equal(got.etag, first.etag, 'GET gives the ETag the PUT answered');
    const cal = ICAL.Component.fromString(got.ics);
    assert.equal(cal.getFirstPropertyValue('method'), null);
    const tz = cal.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'));
    assert.deepEqual(tz, ['America/New_York'], 'a VTIMEZONE for the zone used');
    const [master, override] = cal.getAllSubcomponents('vevent');
    assert.ok(master && override);
    assert.equal(master.getFirstPropertyValue('uid'), 'rich-1@test');
    assert.equal(master.getFirstPropertyValue('summary'), 'Standup, daily');
    assert.equal(master.getFirstPropertyValue('description'), 'Line one\nLine two');
    assert.equal(master.getFirstPropertyValue('location'), 'Room 1');
    const dtstart = master.getFirstProperty('dtstart')!;
    assert.equal(dtstart.getParameter('tzid'), 'America/New_York');
    assert.equal(String(dtstart.getFirstValue()), '2031-01-06T09:00:00');
    assert.equal(String(master.getFirstPropertyValue('rrule')), 'FREQ=WEEKLY;COUNT=6');
    assert.deepEqual(master.getAllProperties('exdate').flatMap((p) => p.getValues().map(String)), ['2031-01-20T09:00:00']);
    assert.deepEqual(master.getFirstProperty('categories')!.getValues(), ['WORK', 'TEAM']);
    assert.equal(master.getFirstPropertyValue('x-custom-thing'), 'kept value');
    assert.equal(master.getFirstProperty('x-custom-thing')!.getParameter('x-param'), '1');
    assert.equal(master.getFirstPropertyValue('attach'), 'https://example.org/agenda.pdf');
    const alarm = master.getFirstSubcomponent('valarm')!;
    assert.equal(String(alarm.getFirstPropertyValue('trigger')), '-PT15M');
    assert.equal(alarm.getFirstPropertyValue('x-apple-default-alarm'), 'TRUE', 'the VALARM comes back as sent');
    const attendees = master.getAllProperties('attendee').map((p) => [p.getFirstValue(), p.getParameter('cn'), p.getParameter('role')]);
    assert.deepEqual(attendees.find((a) => a[0] === 'mailto:bob@acme.example'), ['mailto:bob@acme.example', 'Bob', undefined], 'ROLE left at its default, REQ-PARTICIPANT');
    assert.deepEqual(attendees.find((a) => a[0] === 'mailto:someone@example.org')?.[2], 'OPT-PARTICIPANT', 'an external attendee is kept, optional');
    assert.equal(master.getFirstPropertyValue('organizer'), 'mailto:alice@acme.example');
    assert.equal(override.getFirstPropertyValue('summary'), 'Standup (moved)');
    assert.equal(String(override.getFirstPropertyValue('recurrence-id')), '2031-01-13T09:00:00');
    assert.equal(String(override.getFirstPropertyValue('dtstart')), '2031-01-13T14:00:00');
    assert.equal(override.getFirstPropertyValue('x-override-note'), 'only here');
    // The same text PUT again changes nothing Kalends models: the event's version stays.
    const again = await put(U.alice, 'my-standup.ics', text, { ifMatch: first.etag });
    assert.equal(again.created, false);
    const listed = await dt.getEvent(U.alice, renderId(got.eventId));
    assert.equal(listed.body.summary, 'Standup, daily');
    assert.equal(listed.body.recurrence?.pattern?.type, 'weekly');
  });

  it('an override dropped from the object goes back to the occurrence the rule makes', async () => {
    const master = ['BEGIN:VEVENT', 'UID:revert-1', 'DTSTART;TZID=Asia/Shanghai:20310203T090000', 'DTEND;TZID=Asia/Shanghai:20310203T100000', 'RRULE:FREQ=DAILY;COUNT=3', 'SUMMARY:Daily', 'END:VEVENT'];
    const override = ['BEGIN:VEVENT', 'UID:revert-1', 'RECURRENCE-ID;TZID=Asia/Shanghai:20310204T090000', 'DTSTART;TZID=Asia/Shanghai:20310204T150000', 'DTEND;TZID=Asia/Shanghai:20310204T160000', 'SUMMARY:Moved', 'END:VEVENT'];
    await put(U.alice, 'revert.ics', ics(...master, ...override));
    const moved = vevents((await get(U.alice, 'revert.ics')).ics).find((v) => v.hasProperty('recurrence-id'))!;
    assert.equal(String(moved.getFirstPropertyValue('dtstart')), '2031-02-04T15:00:00');
    await put(U.alice, 'revert.ics', ics(...master));
    const feb4 = { start: Date.UTC(2031, 1, 4), end: Date.UTC(2031, 1, 5) };
    const [back] = await queryCalendarObjects(store.db, actors[U.alice]!, PRIMARY, { name: 'VCALENDAR', compFilters: [{ name: 'VEVENT', timeRange: feb4 }] }, { expand: feb4 })
      .then((objects) => objects.filter((o) => o.name === 'revert.ics').map((o) => vevents(o.ics)));
    assert.deepEqual(back!.map((v) => [String(v.getFirstPropertyValue('dtstart')), v.getFirstPropertyValue('summary')]), [['2031-02-04T01:00:00Z', 'Daily']]);
    // An EXDATE cancels the occurrence; dropping it gives the occurrence back.
    const exdate = ['EXDATE;TZID=Asia/Shanghai:20310205T090000'];
    await put(U.alice, 'revert.ics', ics(...master.slice(0, 5), ...exdate, ...master.slice(5)));
    const count = async () => vevents((await getCalendarObjects(store.db, actors[U.alice]!, PRIMARY, ['revert.ics'], { expand: { start: Date.UTC(2031, 1, 1), end: Date.UTC(2031, 1, 10) } }).then((o) => (o[0] as { ics: string }).ics))).length;
    assert.equal(await count(), 2);
    await put(U.alice, 'revert.ics', ics(...master));
    assert.equal(await count(), 3);
    assert.equal(vevents((await get(U.alice, 'revert.ics')).ics)[0]!.hasProperty('exdate'), false);
  });

  it('an all-day series takes DATE overrides and EXDATEs, and limit-recurrence-set keeps the overrides in range', async () => {
    await put(U.alice, 'allday-series.ics', ics(
      'BEGIN:VEVENT', 'UID:allday-s', 'DTSTART;VALUE=DATE:20310701', 'DTEND;VALUE=DATE:20310702', 'RRULE:FREQ=DAILY;COUNT=10', 'EXDATE;VALUE=DATE:20310703', 'SUMMARY:Day', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:allday-s', 'RECURRENCE-ID;VALUE=DATE:20310705', 'DTSTART;VALUE=DATE:20310705', 'DTEND;VALUE=DATE:20310706', 'SUMMARY:Day five', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:allday-s', 'RECURRENCE-ID;VALUE=DATE:20310708', 'DTSTART;VALUE=DATE:20310708', 'DTEND;VALUE=DATE:20310709', 'SUMMARY:Day eight', 'END:VEVENT'));
    const all = vevents((await get(U.alice, 'allday-series.ics')).ics);
    assert.deepEqual(all.map((v) => v.getFirstPropertyValue('summary')), ['Day', 'Day five', 'Day eight']);
    assert.deepEqual(all[0]!.getAllProperties('exdate').flatMap((p) => p.getValues().map(String)), ['2031-07-03']);
    const [limited] = await getCalendarObjects(store.db, actors[U.alice]!, PRIMARY, ['allday-series.ics'], { limitRecurrenceSet: { start: Date.UTC(2031, 6, 4), end: Date.UTC(2031, 6, 6) } });
    assert.deepEqual(vevents((limited as { ics: string }).ics).map((v) => v.getFirstPropertyValue('summary')), ['Day', 'Day five']);
  });

  it('keeps all-day and floating times as they were written', async () => {
    await put(U.alice, 'holiday.ics', ics('BEGIN:VEVENT', 'UID:allday-1', 'DTSTAMP:20260101T000000Z', 'DTSTART;VALUE=DATE:20310301', 'DTEND;VALUE=DATE:20310303', 'SUMMARY:Holiday', 'END:VEVENT'));
    const [holiday] = vevents((await get(U.alice, 'holiday.ics')).ics);
    assert.equal(holiday!.getFirstProperty('dtstart')!.type, 'date');
    assert.equal(String(holiday!.getFirstPropertyValue('dtstart')), '2031-03-01');
    assert.equal(String(holiday!.getFirstPropertyValue('dtend')), '2031-03-03');
    await put(U.alice, 'floating.ics', ics('BEGIN:VEVENT', 'UID:floating-1', 'DTSTAMP:20260101T000000Z', 'DTSTART:20310302T080000', 'DTEND:20310302T090000', 'SUMMARY:Wake up', 'END:VEVENT'));
    const [floating] = vevents((await get(U.alice, 'floating.ics')).ics);
    const start = floating!.getFirstProperty('dtstart')!;
    assert.equal(start.getParameter('tzid'), undefined);
    assert.equal(String(start.getFirstValue()), '2031-03-02T08:00:00', 'floating: no TZID, no Z');
    await put(U.alice, 'utc.ics', ics('BEGIN:VEVENT', 'UID:utc-1', 'DTSTAMP:20260101T000000Z', 'DTSTART:20310302T080000Z', 'DURATION:PT30M', 'SUMMARY:In UTC', 'END:VEVENT'));
    const [utc] = vevents((await get(U.alice, 'utc.ics')).ics);
    assert.equal(String(utc!.getFirstPropertyValue('dtstart')), '2031-03-02T08:00:00Z');
    assert.equal(String(utc!.getFirstPropertyValue('dtend')), '2031-03-02T08:30:00Z', 'DURATION becomes DTEND');
  });

  it('renders an event made through the DingTalk SDK with its attendees, on the organizer\'s and the attendees\' calendars', async () => {
    const made = await dt.createEvent(U.alice, { ...timedEventBody('Made by DingTalk', [U.bob, U.carol]), location: { displayName: 'Orion' } });
    assert.equal(made.statusCode, 200);
    const id = parseId(made.body.id as string)!;
    const mine = await get(U.alice, `${id}.ics`);
    const [v] = vevents(mine.ics);
    assert.equal(v!.getFirstPropertyValue('summary'), 'Made by DingTalk');
    assert.equal(v!.getFirstProperty('dtstart')!.getParameter('tzid'), 'Asia/Shanghai');
    assert.equal(String(v!.getFirstPropertyValue('dtstart')), '2031-03-04T10:00:00');
    const addresses = v!.getAllProperties('attendee').map((p) => `${p.getFirstValue()} ${p.getParameter('cn')} ${p.getParameter('partstat')}`).sort();
    assert.ok(addresses.includes('mailto:bob@acme.example Bob NEEDS-ACTION'), addresses.join('\n'));
    assert.ok(addresses.includes('mailto:carol@acme.example Carol NEEDS-ACTION'));
    assert.equal(v!.getFirstPropertyValue('organizer'), 'mailto:alice@acme.example');
    const bobs = await listCalendarObjects(store.db, actors[U.bob]!, PRIMARY);
    const inBobs = bobs.find((o) => o.eventId === id);
    assert.ok(inBobs, 'the invitation is in the attendee\'s calendar');
    assert.equal(inBobs.etag, mine.etag);
    // A change through the API changes the ETag.
    assert.equal((await dt.patchEvent(U.alice, made.body.id as string, { summary: 'Renamed by DingTalk' })).statusCode, 200);
    const changed = await get(U.alice, `${id}.ics`);
    assert.notEqual(changed.etag, mine.etag);
    assert.equal(vevents(changed.ics)[0]!.getFirstPropertyValue('summary'), 'Renamed by DingTalk');
  });

  it('renders an event made through the Feishu SDK with its attendees, external ones as mailto', async () => {
    const lark = fsClient(server.baseUrl, ACME.feishuApp);
    const tok = await userToken(lark, server.baseUrl, ACME.feishuApp.appId, 'ou_alice');
    const cal = await primaryCalendarId(lark, tok);
    const event = await fsCreateEvent(lark, cal, timedEvent('Made by Feishu', '2031-05-06T10:00:00+08:00', 45), { userTok: tok });
    await fsAddAttendees(lark, cal, event.event_id, [userAtt('ou_carol'), { type: 'third_party', third_party_email: 'Guest@Outside.example' }], { userTok: tok });
    const id = parseFeishuEventId(event.event_id).id;
    const [v] = vevents((await get(U.alice, `${id}.ics`)).ics);
    assert.equal(v!.getFirstPropertyValue('summary'), 'Made by Feishu');
    assert.equal(String(v!.getFirstPropertyValue('dtend')), '2031-05-06T10:45:00');
    const addresses = v!.getAllProperties('attendee').map((p) => p.getFirstValue());
    assert.ok(addresses.includes('mailto:carol@acme.example'), addresses.join(', '));
    assert.ok(addresses.includes('mailto:guest@outside.example'), 'the third_party attendee');
  });

  it('a series made through DingTalk, with one occurrence changed and one cancelled there, renders as RRULE, override and EXDATE', async () => {
    const made = await dt.createEvent(U.alice, {
      summary: 'DingTalk weekly', start: { dateTime: '2031-09-01T09:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2031-09-01T09:30:00+08:00', timeZone: 'Asia/Shanghai' },
      recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: 'monday' }, range: { type: 'numbered', numberOfOccurrences: 4 } }, attendees: [{ id: U.bob }],
    });
    assert.equal(made.statusCode, 200);
    const masterId = parseId(made.body.id as string)!;
    const second = Date.parse('2031-09-08T01:00:00Z');
    const third = Date.parse('2031-09-15T01:00:00Z');
    const secondId = dingtalkEventId({ id: 'x', seriesMasterId: masterId, originalStart: second });
    assert.equal((await dt.patchEvent(U.alice, secondId, { id: secondId, summary: 'DingTalk weekly (moved)', start: { dateTime: '2031-09-08T15:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2031-09-08T15:30:00+08:00', timeZone: 'Asia/Shanghai' } })).statusCode, 200);
    const thirdId = dingtalkEventId({ id: 'x', seriesMasterId: masterId, originalStart: third });
    const del = await dt.client.deleteEventWithOptions(U.alice, 'primary', thirdId, new $Calendar.DeleteEventRequest({}), new $Calendar.DeleteEventHeaders({ xAcsDingtalkAccessToken: dt.token }), rt());
    assert.equal(del.statusCode, 200);
    const [master, override] = vevents((await get(U.alice, `${masterId}.ics`)).ics);
    assert.match(String(master!.getFirstPropertyValue('rrule')), /FREQ=WEEKLY/);
    assert.match(String(master!.getFirstPropertyValue('rrule')), /COUNT=4/);
    assert.deepEqual(master!.getAllProperties('exdate').flatMap((p) => p.getValues().map(String)), ['2031-09-15T09:00:00']);
    assert.equal(String(override!.getFirstPropertyValue('recurrence-id')), '2031-09-08T09:00:00');
    assert.equal(String(override!.getFirstPropertyValue('dtstart')), '2031-09-08T15:00:00');
    assert.equal(override!.getFirstPropertyValue('summary'), 'DingTalk weekly (moved)');
    assert.ok(override!.getAllProperties('attendee').some((p) => p.getFirstValue() === 'mailto:bob@acme.example'), 'the exception keeps the series\' attendees');
  });

  it('an organizer\'s PUT invites its attendees; an attendee\'s PARTSTAT change is an RSVP seen through DingTalk', async () => {
    const text = ics('BEGIN:VEVENT', 'UID:invite-1', 'DTSTAMP:20260101T000000Z', 'DTSTART;TZID=Asia/Shanghai:20310310T100000', 'DTEND;TZID=Asia/Shanghai:20310310T110000',
      'SUMMARY:Planning', 'ORGANIZER:mailto:alice@acme.example', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@acme.example', 'ATTENDEE:mailto:bob@acme.example', 'END:VEVENT');
    await put(U.alice, 'planning.ics', text);
    const id = (await get(U.alice, 'planning.ics')).eventId;
    const dtId = renderId(id);
    const attendees = await dt.listAllAttendees(U.alice, dtId);
    assert.deepEqual(attendees.map((a) => [a.id, a.responseStatus]).sort(), [[U.alice, 'accepted'], [U.bob, 'needsAction']]);
    const topics = (await store.db.selectFrom('outbox').select('topic').where('event_id', '=', id).execute()).map((r) => r.topic);
    assert.ok(topics.includes('event.created'), `the change is recorded as through the APIs: ${topics.join(', ')}`);
    let notice: unknown;
    for (let i = 0; i < 50 && !notice; i++) {
      notice = await store.db.selectFrom('inbox_messages').select('text').where('event_id', '=', id).where('user_id', '=', actors[U.bob]!.userId).executeTakeFirst();
      if (!notice) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(notice, 'bob is notified of the invitation (a DingTalk reminder)');
    const bobList = await listCalendarObjects(store.db, actors[U.bob]!, PRIMARY);
    const bobsName = bobList.find((o) => o.eventId === id)?.name;
    assert.equal(bobsName, `${id}.ics`, 'the invitation appears on bob\'s calendar');
    const bobsCopy = await get(U.bob, bobsName!);
    const cal = ICAL.Component.fromString(bobsCopy.ics);
    const bobLine = cal.getFirstSubcomponent('vevent')!.getAllProperties('attendee').find((p) => p.getFirstValue() === 'mailto:bob@acme.example')!;
    bobLine.setParameter('partstat', 'ACCEPTED');
    cal.getFirstSubcomponent('vevent')!.addPropertyWithValue('x-bob-note', 'mine');
    await put(U.bob, bobsName!, cal.toString(), { ifMatch: bobsCopy.etag });
    const after = await dt.listAllAttendees(U.alice, dtId);
    assert.equal(after.find((a) => a.id === U.bob)?.responseStatus, 'accepted', 'the RSVP shows through DingTalk');
    assert.ok((await store.db.selectFrom('outbox').select('topic').where('event_id', '=', id).where('topic', '=', 'attendee.responded').executeTakeFirst()), 'the answer is recorded as respondEvent records it');
    const lark = fsClient(server.baseUrl, ACME.feishuApp);
    const aliceTok = await userToken(lark, server.baseUrl, ACME.feishuApp.appId, 'ou_alice');
    const fsAttendees = await listAllAttendees(lark, await primaryCalendarId(lark, aliceTok), feishuEventId({ id, seriesMasterId: null, originalStart: null }), { userTok: aliceTok });
    assert.equal(fsAttendees.find((a) => a.user_id === 'ou_bob')?.rsvp_status, 'accept', 'and through Feishu');
    const organizerCopy = vevents((await get(U.alice, 'planning.ics')).ics)[0]!;
    assert.equal(organizerCopy.getAllProperties('attendee').find((p) => p.getFirstValue() === 'mailto:bob@acme.example')?.getParameter('partstat'), 'ACCEPTED', 'and reaches the organizer\'s copy');
    assert.equal(organizerCopy.getFirstPropertyValue('x-bob-note'), null, 'what the attendee kept stays on the attendee\'s copy');
    assert.equal(vevents((await get(U.bob, bobsName!)).ics)[0]!.getFirstPropertyValue('x-bob-note'), 'mine');
    // ROLE=OPT-PARTICIPANT on bob makes him optional, as the APIs show it.
    await put(U.alice, 'planning.ics', text.replace('ATTENDEE:mailto:bob@acme.example', 'ATTENDEE;ROLE=OPT-PARTICIPANT:mailto:bob@acme.example'));
    assert.equal((await dt.listAllAttendees(U.alice, dtId)).find((a) => a.id === U.bob)?.isOptional, true);
    // Removing bob from the object takes him off the event.
    await put(U.alice, 'planning.ics', text.replace('ATTENDEE:mailto:bob@acme.example\r\n', ''));
    assert.deepEqual((await dt.listAllAttendees(U.alice, dtId)).map((a) => a.id), [U.alice]);
  });

  it('an invitation lands in the attendee\'s schedule inbox as an iTIP REQUEST, the answer in the organizer\'s as a REPLY', async () => {
    await put(U.alice, 'inbox.ics', ics('BEGIN:VEVENT', 'UID:inbox-1', 'DTSTART:20310801T020000Z', 'DTEND:20310801T030000Z', 'SUMMARY:Inbox test',
      'ATTENDEE:mailto:alice@acme.example', 'ATTENDEE:mailto:carol@acme.example', 'END:VEVENT'));
    const id = (await get(U.alice, 'inbox.ics')).eventId;
    const request = (await listInbox(store.db, actors[U.carol]!)).find((m) => m.eventId === id);
    assert.ok(request, 'the invitation is in carol\'s inbox');
    const message = ICAL.Component.fromString((await getInboxItem(store.db, actors[U.carol]!, request.name)).ics);
    assert.equal(message.getFirstPropertyValue('method'), 'REQUEST');
    assert.equal(message.getFirstSubcomponent('vevent')!.getFirstPropertyValue('uid'), 'inbox-1');
    assert.equal((await dt.respond(U.carol, renderId(id), 'tentative')).statusCode, 200);
    assert.equal((await listInbox(store.db, actors[U.carol]!)).some((m) => m.eventId === id), false, 'an answered invitation leaves the inbox');
    const reply = (await listInbox(store.db, actors[U.alice]!)).find((m) => m.eventId === id && m.name.startsWith('reply-'));
    assert.ok(reply, 'the answer is in the organizer\'s inbox');
    const replied = ICAL.Component.fromString((await getInboxItem(store.db, actors[U.alice]!, reply.name)).ics);
    assert.equal(replied.getFirstPropertyValue('method'), 'REPLY');
    const lines = replied.getFirstSubcomponent('vevent')!.getAllProperties('attendee').map((p) => `${p.getFirstValue()} ${p.getParameter('partstat')}`);
    assert.deepEqual(lines, ['mailto:carol@acme.example TENTATIVE']);
    await store.transaction((tx) => deleteInboxItem(tx, actors[U.alice]!, reply.name, Date.now()));
    assert.equal((await listInbox(store.db, actors[U.alice]!)).some((m) => m.name === reply.name), false, 'a deleted message is dismissed');
    await assert.rejects(getInboxItem(store.db, actors[U.alice]!, reply.name), (e: KalendsError) => e.code === 'EVENT_NOT_FOUND');
  });

  it('maps meeting rooms (CUTYPE=ROOM) and chats (CUTYPE=GROUP) both ways; a chat\'s members see the event', async () => {
    await put(U.alice, 'room.ics', ics('BEGIN:VEVENT', 'UID:room-1', 'DTSTART:20310601T020000Z', 'DTEND:20310601T030000Z', 'SUMMARY:In Orion',
      'ATTENDEE;CUTYPE=ROOM:urn:x-kalends:room:omm_orion', `ATTENDEE;CUTYPE=GROUP:urn:x-kalends:chat:${ACME_CHAT}`, 'END:VEVENT'));
    const got = await get(U.alice, 'room.ics');
    const lines = vevents(got.ics)[0]!.getAllProperties('attendee').map((p) => `${p.getParameter('cutype')} ${p.getParameter('cn')} ${p.getFirstValue()}`);
    assert.ok(lines.includes('ROOM Orion urn:x-kalends:room:omm_orion'), lines.join('\n'));
    assert.ok(lines.includes(`GROUP Team urn:x-kalends:chat:${ACME_CHAT}`), lines.join('\n'));
    const carols = await listCalendarObjects(store.db, actors[U.carol]!, PRIMARY);
    assert.ok(carols.some((o) => o.eventId === got.eventId), 'a member of the invited chat has it on her calendar');
  });

  it('refuses bad iCalendar with the RFC precondition and changes nothing', async () => {
    const before = (await listCalendarObjects(store.db, actors[U.alice]!, PRIMARY)).length;
    const cases: Array<[string, string]> = [
      ['this is not iCalendar', 'valid-calendar-data'],
      [ics('BEGIN:VTODO', 'UID:t1', 'SUMMARY:todo', 'END:VTODO'), 'supported-calendar-component'],
      [ics('BEGIN:VEVENT', 'UID:n1', 'SUMMARY:no start', 'END:VEVENT'), 'valid-calendar-object-resource'],
      [ics('BEGIN:VEVENT', 'UID:m1', 'DTSTART:20310101T100000Z', 'END:VEVENT', 'BEGIN:VEVENT', 'UID:m2', 'DTSTART:20310102T100000Z', 'END:VEVENT'), 'valid-calendar-object-resource'],
      [ics('METHOD:REQUEST', 'BEGIN:VEVENT', 'UID:r1', 'DTSTART:20310101T100000Z', 'END:VEVENT'), 'valid-calendar-object-resource'],
      [ics('BEGIN:VEVENT', 'UID:z1', 'DTSTART;TZID=Nowhere/Special:20310101T100000', 'END:VEVENT'), 'valid-calendar-data'],
      [ics('BEGIN:VEVENT', 'UID:e1', 'DTSTART:20310101T100000Z', 'DTEND:20310101T090000Z', 'END:VEVENT'), 'valid-calendar-data'],
    ];
    for (const [text, precondition] of cases) {
      const e = await refusal(put(U.alice, 'bad.ics', text));
      assert.equal(e.code, 'CALENDAR_DATA_INVALID', text);
      assert.equal(e.detail?.precondition, precondition, text);
    }
    // An attendee past the cap fails inside the core after the event was created: all is taken back.
    const many = Array.from({ length: 5001 }, (_, i) => `ATTENDEE:mailto:guest${i}@example.org`);
    const capped = await refusal(put(U.alice, 'too-many.ics', ics('BEGIN:VEVENT', 'UID:cap-1', 'DTSTART:20310101T100000Z', 'SUMMARY:Crowd', ...many, 'END:VEVENT')));
    assert.equal(capped.code, 'ATTENDEE_LIMIT_EXCEEDED');
    assert.equal((await listCalendarObjects(store.db, actors[U.alice]!, PRIMARY)).length, before, 'nothing was stored');
    await assert.rejects(get(U.alice, 'too-many.ics'), (e: KalendsError) => e.code === 'EVENT_NOT_FOUND');
    // A reader of the calendar may not write even what Kalends does not model.
    await store.transaction((tx) => grantCalendarAccess(tx, actors[U.alice]!, PRIMARY, { id: U.carol, type: 'union_id' }, 'reader', Date.now()));
    const aliceCal = { id: (await findPrimaryCalendar(store.db, actors[U.alice]!.userId))!.id };
    const holiday = await getCalendarObject(store.db, actors[U.carol]!, aliceCal, 'holiday.ics');
    const denied = await refusal(store.transaction((tx) => putCalendarObject(tx, actors[U.carol]!, aliceCal, 'holiday.ics', holiday.ics.replace('END:VEVENT', 'X-CAROL:was here\r\nEND:VEVENT'), {}, Date.now())));
    assert.equal(denied.code, 'EVENT_PERMISSION_DENIED');
    assert.equal((await get(U.alice, 'holiday.ics')).etag, holiday.etag, 'nothing changed');
  });

  it('honours If-Match / If-None-Match and refuses a second resource with the same UID', async () => {
    const text = ics('BEGIN:VEVENT', 'UID:cond-1', 'DTSTART:20310401T100000Z', 'DTEND:20310401T110000Z', 'SUMMARY:Cond', 'END:VEVENT');
    const created = await put(U.alice, 'cond.ics', text, { ifNoneMatch: true });
    assert.equal((await refusal(put(U.alice, 'cond.ics', text, { ifNoneMatch: true }))).code, 'ETAG_MISMATCH');
    assert.equal((await refusal(put(U.alice, 'cond.ics', text, { ifMatch: '"stale"' }))).code, 'ETAG_MISMATCH');
    assert.equal((await refusal(put(U.alice, 'absent.ics', text, { ifMatch: created.etag }))).code, 'ETAG_MISMATCH');
    assert.equal((await refusal(put(U.alice, 'absent.ics', text, { ifMatch: '*' }))).code, 'ETAG_MISMATCH', 'If-Match: * on nothing');
    const changed = await put(U.alice, 'cond.ics', text.replace('SUMMARY:Cond', 'SUMMARY:Cond 2'), { ifMatch: created.etag });
    assert.notEqual(changed.etag, created.etag);
    assert.equal((await put(U.alice, 'cond.ics', text.replace('SUMMARY:Cond', 'SUMMARY:Cond 2'), { ifMatch: '*' })).created, false, 'If-Match: * on an existing resource');
    const dup = await refusal(put(U.alice, 'other-name.ics', text));
    assert.equal(dup.code, 'UID_CONFLICT');
    assert.equal(dup.detail?.name, 'cond.ics');
    // The same UID in another user's calendar is another event.
    const elsewhere = await put(U.carol, 'cond.ics', text);
    assert.equal(elsewhere.created, true);
    assert.notEqual((await get(U.carol, 'cond.ics')).eventId, (await get(U.alice, 'cond.ics')).eventId);
  });

  it('concurrent PUTs of one new name with If-None-Match: * create one event; the others get ETAG_MISMATCH', async () => {
    const text = ics('BEGIN:VEVENT', 'UID:race-1', 'DTSTART:20310901T020000Z', 'DTEND:20310901T030000Z', 'SUMMARY:Race', 'END:VEVENT');
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => put(U.alice, 'race.ics', text, { ifNoneMatch: true })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as KalendsError).code, 'ETAG_MISMATCH');
    const objects = await listCalendarObjects(store.db, actors[U.alice]!, PRIMARY);
    assert.equal(objects.filter((o) => o.name === 'race.ics').length, 1);
    const races = await queryCalendarObjects(store.db, actors[U.alice]!, PRIMARY, { name: 'VCALENDAR', compFilters: [{ name: 'VEVENT', propFilters: [{ name: 'UID', textMatch: { value: 'race-1', collation: 'i;octet' } }] }] });
    assert.equal(races.length, 1, 'one event was made');
  });

  it('answers calendar-query time ranges from the series expansion, with expand and text-match', async () => {
    await put(U.alice, 'weekly.ics', ics('BEGIN:VEVENT', 'UID:weekly-q', 'DTSTART;TZID=Europe/Berlin:20320105T100000', 'DTEND;TZID=Europe/Berlin:20320105T110000',
      'RRULE:FREQ=WEEKLY', 'SUMMARY:Weekly sync', 'CATEGORIES:PROJECT-X', 'END:VEVENT'));
    const feb = { start: Date.UTC(2032, 1, 1), end: Date.UTC(2032, 2, 1) };
    const inFeb = await queryCalendarObjects(store.db, actors[U.alice]!, PRIMARY, { name: 'VCALENDAR', compFilters: [{ name: 'VEVENT', timeRange: feb }] }, { expand: feb });
    const weekly = inFeb.find((o) => o.name === 'weekly.ics');
    assert.ok(weekly, 'an open-ended series matches a later month');
    const instances = vevents(weekly.ics);
    assert.equal(instances.length, 4, 'four Mondays in February 2032');
    assert.equal(instances[0]!.getFirstPropertyValue('rrule'), null);
    assert.equal(String(instances[0]!.getFirstPropertyValue('recurrence-id')), '2032-02-02T09:00:00Z', 'RECURRENCE-ID in UTC');
    assert.equal(String(instances[0]!.getFirstPropertyValue('dtstart')), '2032-02-02T09:00:00Z');
    assert.equal(inFeb.some((o) => o.name === 'holiday.ics'), false, 'events outside the range are left out');
    const byCategory = await queryCalendarObjects(store.db, actors[U.alice]!, PRIMARY, {
      name: 'VCALENDAR', compFilters: [{ name: 'VEVENT', propFilters: [{ name: 'CATEGORIES', textMatch: { value: 'project-x' } }] }],
    });
    assert.deepEqual(byCategory.map((o) => o.name), ['weekly.ics']);
    const notWeekly = await queryCalendarObjects(store.db, actors[U.alice]!, PRIMARY, {
      name: 'VCALENDAR', compFilters: [{ name: 'VEVENT', propFilters: [{ name: 'SUMMARY', textMatch: { value: 'WEEKLY', negate: true } }] }],
    });
    assert.equal(notWeekly.some((o) => o.name === 'weekly.ics'), false);
    assert.ok(notWeekly.some((o) => o.name === 'holiday.ics'));
    const multi = await getCalendarObjects(store.db, actors[U.alice]!, PRIMARY, ['weekly.ics', 'nothing-here.ics']);
    assert.equal((multi[0] as { ics: string }).ics.includes('Weekly sync'), true);
    assert.deepEqual(multi[1], { name: 'nothing-here.ics', missing: true });
  });

  it('answers a free/busy request POSTed to the outbox per attendee (iTIP REPLY), unknown addresses 3.7', async () => {
    const request = ics('METHOD:REQUEST', 'BEGIN:VFREEBUSY', 'UID:fb-1', 'DTSTAMP:20260101T000000Z', 'DTSTART:20310304T000000Z', 'DTEND:20310305T000000Z',
      'ORGANIZER:mailto:carol@acme.example', 'ATTENDEE:mailto:alice@acme.example', 'ATTENDEE:mailto:nobody@example.org', 'ATTENDEE:urn:x-kalends:room:omm_lyra', 'END:VFREEBUSY');
    const answers = await scheduleFreeBusy(store.db, actors[U.carol]!, request, Date.now());
    assert.deepEqual(answers.map((a) => [a.recipient, a.status]), [
      ['mailto:alice@acme.example', '2.0;Success'], ['mailto:nobody@example.org', '3.7;Invalid calendar user'], ['urn:x-kalends:room:omm_lyra', '2.0;Success'],
    ]);
    const reply = ICAL.Component.fromString(answers[0]!.ics!);
    assert.equal(reply.getFirstPropertyValue('method'), 'REPLY');
    const fb = reply.getFirstSubcomponent('vfreebusy')!;
    assert.equal(fb.getFirstPropertyValue('uid'), 'fb-1');
    assert.ok(fb.getAllProperties('freebusy').some((p) => String(p.getFirstValue()) === '2031-03-04T02:00:00Z/2031-03-04T03:00:00Z'), 'alice\'s DingTalk meeting is busy');
    const forged = await refusal(scheduleFreeBusy(store.db, actors[U.bob]!, request, Date.now()));
    assert.equal(forged.code, 'EVENT_PERMISSION_DENIED', 'only the ORGANIZER may ask');
    assert.equal((await refusal(scheduleFreeBusy(store.db, actors[U.carol]!, request.replace('METHOD:REQUEST', 'METHOD:PUBLISH'), Date.now()))).code, 'CALENDAR_DATA_INVALID');
  });

  it('gives free/busy as VFREEBUSY and reports deletions to a sync', async () => {
    const text = await freeBusyCalendar(store.db, ACME.tenantId, actors[U.alice]!.userId, Date.UTC(2031, 2, 4), Date.UTC(2031, 2, 5), Date.now());
    const fb = ICAL.Component.fromString(text).getFirstSubcomponent('vfreebusy')!;
    const periods = fb.getAllProperties('freebusy').map((p) => String(p.getFirstValue()));
    assert.ok(periods.includes('2031-03-04T02:00:00Z/2031-03-04T03:00:00Z'), periods.join(','));
    const { position } = await changedCalendarObjects(store.db, actors[U.alice]!, PRIMARY, 0);
    const cond = await get(U.alice, 'cond.ics');
    await store.transaction((tx) => deleteCalendarObject(tx, actors[U.alice]!, PRIMARY, 'cond.ics', { ifMatch: cond.etag }, Date.now()));
    await assert.rejects(get(U.alice, 'cond.ics'), (e: KalendsError) => e.code === 'EVENT_NOT_FOUND');
    const holiday = await get(U.alice, 'holiday.ics');
    await put(U.alice, 'holiday.ics', holiday.ics.replace('SUMMARY:Holiday', 'SUMMARY:Long holiday'));
    const sync = await changedCalendarObjects(store.db, actors[U.alice]!, PRIMARY, position);
    assert.deepEqual(sync.removed, ['cond.ics']);
    assert.deepEqual(sync.changed.map((o) => o.name), ['holiday.ics'], 'only what changed since the position');
    assert.equal(sync.changed[0]!.etag, (await get(U.alice, 'holiday.ics')).etag);
    assert.ok(sync.position >= position);
    assert.equal((await dt.getEvent(U.alice, renderId(cond.eventId))).body.status, 'cancelled', 'deleted through the core, as the API deletes');
  });

  describe('through the CalDAV routes', () => {
    const objectUrl = async (who: string, name: string) => {
      const cal = (await findPrimaryCalendar(store.db, actors[who]!.userId))!;
      return `${server.baseUrl}/caldav/${encodeURIComponent(actors[who]!.userId)}/${encodeURIComponent(cal.id)}/${encodeURIComponent(name)}`;
    };
    const TEXT = { 'content-type': 'text/calendar; charset=utf-8' };

    it('a PUT gives back what was sent on GET with the same ETag; bad iCalendar is 403 with its precondition', async () => {
      const alice = await mintDingTalkAccount(server.endpoint, dt.token!, U.alice, 'objects test');
      const url = await objectUrl(U.alice, 'http-rich.ics');
      const body = ics('BEGIN:VEVENT', 'UID:http-rich', 'DTSTART;TZID=Europe/Berlin:20311001T100000', 'DTEND;TZID=Europe/Berlin:20311001T110000', 'SUMMARY:Over HTTP',
        'X-KEPT:yes', 'ATTENDEE;CN=Bob:mailto:bob@acme.example', 'BEGIN:VALARM', 'ACTION:AUDIO', 'TRIGGER:-PT5M', 'END:VALARM', 'END:VEVENT');
      const created = await dav(url, 'PUT', alice, { body, headers: { ...TEXT, 'if-none-match': '*' } });
      assert.equal(created.status, 201, created.text);
      const got = await dav(url, 'GET', alice);
      assert.equal(got.status, 200);
      assert.equal(got.headers.get('etag'), created.headers.get('etag'));
      const [v] = vevents(got.text);
      assert.equal(v!.getFirstPropertyValue('x-kept'), 'yes');
      assert.equal(v!.getFirstSubcomponent('valarm')!.getFirstPropertyValue('action'), 'AUDIO');
      const bad = await dav(url, 'PUT', alice, { body: body.replace('VERSION:2.0', 'VERSION:2.0\r\nMETHOD:REQUEST'), headers: TEXT });
      assert.equal(bad.status, 403);
      assert.match(bad.text, /valid-calendar-object-resource/);
      assert.equal((await dav(url, 'GET', alice)).headers.get('etag'), created.headers.get('etag'), 'nothing changed');
    });

    it('an attendee\'s client changing PARTSTAT over HTTP answers the invitation (DingTalk listAttendees)', async () => {
      const bob = await mintDingTalkAccount(server.endpoint, dt.token!, U.bob, 'objects test');
      const id = (await get(U.alice, 'http-rich.ics')).eventId;
      const url = await objectUrl(U.bob, `${id}.ics`);
      const mine = await dav(url, 'GET', bob);
      assert.equal(mine.status, 200, mine.text);
      const cal = ICAL.Component.fromString(mine.text);
      cal.getFirstSubcomponent('vevent')!.getAllProperties('attendee').find((p) => p.getFirstValue() === 'mailto:bob@acme.example')!.setParameter('partstat', 'DECLINED');
      const answered = await dav(url, 'PUT', bob, { body: cal.toString(), headers: { ...TEXT, 'if-match': mine.headers.get('etag')! } });
      assert.equal(answered.status, 204, answered.text);
      const attendees = await dt.listAllAttendees(U.alice, renderId(id));
      assert.equal(attendees.find((a) => a.id === U.bob)?.responseStatus, 'declined');
    });
  });
});
