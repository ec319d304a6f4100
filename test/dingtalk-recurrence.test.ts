// Recurring series through the DingTalk SDK: listEventsView expands every occurrence in the
// series' time zone, instances have ids of their own, and one occurrence can be read, changed
// and deleted by its instance id (query-schedule-view, query-details-about-an-event, modify-event).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME, U, buildDirectory } from './helpers/directory.ts';
import { $Calendar, Dt, expectDtError, getToken, plain, rt } from './helpers/dingtalk.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

let srv: KalendsServer;
let dt: Dt;

before(async () => {
  srv = await startServer({ directory: buildDirectory() });
  dt = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
});

after(async () => {
  await srv?.cleanup();
});

function headers<T>(Ctor: new (m: Record<string, unknown>) => T): T {
  return new Ctor({ xAcsDingtalkAccessToken: dt.token });
}

async function view(userId: string, req: Record<string, unknown>): Promise<any> {
  const res = await dt.client.listEventsViewWithOptions(userId, 'primary', new $Calendar.ListEventsViewRequest(req), headers($Calendar.ListEventsViewHeaders), rt());
  return plain(res.body);
}

/** Every item of a view, following nextToken. */
async function viewAll(userId: string, req: Record<string, unknown>): Promise<any[]> {
  const items: any[] = [];
  let nextToken: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await view(userId, nextToken ? { ...req, nextToken } : req);
    items.push(...(page.events ?? []));
    nextToken = page.nextToken;
    if (!nextToken) return items;
  }
  throw new Error('eventsview did not stop paging');
}

async function instances(userId: string, eventId: string, req: Record<string, unknown> = {}): Promise<any> {
  const res = await dt.client.listInstancesWithOptions(userId, 'primary', eventId, new $Calendar.ListInstancesRequest(req), headers($Calendar.ListInstancesHeaders), rt());
  return plain(res.body);
}

function series(summary: string, start: string, end: string, timeZone: string, recurrence: unknown, attendees: string[] = []) {
  return {
    summary, start: { dateTime: start, timeZone }, end: { dateTime: end, timeZone }, recurrence,
    attendees: attendees.map((id) => ({ id })),
  };
}

const WEEKLY_MONDAY = { pattern: { type: 'weekly', interval: 1, daysOfWeek: 'monday' }, range: { type: 'noEnd' } };

describe('listEventsView expands series in their time zone', () => {
  let masterId = '';

  before(async () => {
    const res = await dt.createEvent(U.alice, series('NY standup', '2027-01-04T09:00:00-05:00', '2027-01-04T09:30:00-05:00', 'America/New_York', WEEKLY_MONDAY, [U.bob]));
    masterId = res.body.id;
  });

  it('a weekly 09:00 America/New_York series stays at 09:00 local across the DST change (14:00Z, then 13:00Z)', async () => {
    const items = (await viewAll(U.alice, { timeMin: '2027-03-01T00:00:00Z', timeMax: '2027-03-30T00:00:00Z' })).filter((e) => e.seriesMasterId === masterId);
    assert.deepEqual(items.map((e) => e.originStart.dateTime), [
      '2027-03-01T14:00:00Z', '2027-03-08T14:00:00Z', '2027-03-15T13:00:00Z', '2027-03-22T13:00:00Z', '2027-03-29T13:00:00Z',
    ]);
    assert.deepEqual(items.map((e) => e.start.dateTime), [
      '2027-03-01T09:00:00-05:00', '2027-03-08T09:00:00-05:00', '2027-03-15T09:00:00-04:00', '2027-03-22T09:00:00-04:00', '2027-03-29T09:00:00-04:00',
    ]);
    assert.deepEqual(items.map((e) => e.end.dateTime.slice(11, 16)), ['09:30', '09:30', '09:30', '09:30', '09:30']);
    assert.equal(new Set(items.map((e) => e.id)).size, 5, 'each instance has an id of its own');
    assert.ok(items.every((e) => e.id !== masterId && e.start.timeZone === 'America/New_York'));
  });

  it('takes the window as +08:00 or Z alike, and an invitee sees the occurrences on their primary calendar', async () => {
    const zulu = await viewAll(U.bob, { timeMin: '2027-03-01T00:00:00Z', timeMax: '2027-03-08T00:00:00Z' });
    const east = await viewAll(U.bob, { timeMin: '2027-03-01T08:00:00+08:00', timeMax: '2027-03-08T08:00:00+08:00' });
    assert.deepEqual(east.map((e) => e.id), zulu.map((e) => e.id));
    assert.equal(zulu.filter((e) => e.seriesMasterId === masterId).length, 1);
  });

  it('an occurrence ending exactly at timeMin is in; one starting exactly at timeMax is out', async () => {
    const endsAtMin = await viewAll(U.alice, { timeMin: '2027-03-01T14:30:00Z', timeMax: '2027-03-01T20:00:00Z' });
    assert.equal(endsAtMin.filter((e) => e.seriesMasterId === masterId).length, 1);
    const startsAtMax = await viewAll(U.alice, { timeMin: '2027-03-01T10:00:00Z', timeMax: '2027-03-01T14:00:00Z' });
    assert.equal(startsAtMax.filter((e) => e.seriesMasterId === masterId).length, 0);
  });

  it('getEvent on an instance id returns that occurrence with seriesMasterId and originStart (UTC)', async () => {
    const [first] = (await viewAll(U.alice, { timeMin: '2027-03-08T00:00:00Z', timeMax: '2027-03-09T00:00:00Z' })).filter((e) => e.seriesMasterId === masterId);
    const got = (await dt.getEvent(U.alice, first.id)).body;
    assert.equal(got.id, first.id);
    assert.equal(got.seriesMasterId, masterId);
    assert.deepEqual(got.originStart, { dateTime: '2027-03-08T14:00:00Z' });
    assert.equal(got.start.dateTime, '2027-03-08T09:00:00-05:00');
    assert.deepEqual(got.attendees.map((a: any) => a.id), [U.bob]);
    const master = (await dt.getEvent(U.alice, masterId)).body;
    assert.equal(master.seriesMasterId, undefined);
    assert.equal(master.originStart, undefined);
    assert.deepEqual(master.recurrence.pattern, WEEKLY_MONDAY.pattern);
  });
});

describe('changing and deleting one occurrence', () => {
  let masterId = '';
  const window = { timeMin: '2030-06-01T00:00:00+08:00', timeMax: '2030-06-08T00:00:00+08:00' };
  const ofSeries = async () => (await viewAll(U.carol, window)).filter((e) => e.seriesMasterId === masterId);

  before(async () => {
    const daily = { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 7 } };
    masterId = (await dt.createEvent(U.carol, series('Daily sync', '2030-06-01T10:00:00+08:00', '2030-06-01T10:15:00+08:00', 'Asia/Shanghai', daily, [U.dave]))).body.id;
  });

  it('a patch by instance id changes that occurrence alone, and it keeps its id after its start moves', async () => {
    const before = await ofSeries();
    assert.equal(before.length, 7);
    const third = before[2];
    const patched = await dt.patchEvent(U.carol, third.id, {
      id: third.id, summary: 'Daily sync (moved)',
      start: { dateTime: '2030-06-03T16:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2030-06-03T16:30:00+08:00', timeZone: 'Asia/Shanghai' },
    });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.body.id, third.id);
    const after = await ofSeries();
    assert.deepEqual(after.map((e) => e.summary), ['Daily sync', 'Daily sync', 'Daily sync (moved)', 'Daily sync', 'Daily sync', 'Daily sync', 'Daily sync']);
    assert.equal(after[2].id, third.id);
    assert.equal(after[2].start.dateTime, '2030-06-03T16:00:00+08:00');
    assert.deepEqual(after.filter((_, i) => i !== 2).map((e) => e.start.dateTime.slice(11, 16)), ['10:00', '10:00', '10:00', '10:00', '10:00', '10:00']);
    const got = (await dt.getEvent(U.carol, third.id)).body;
    assert.equal(got.summary, 'Daily sync (moved)');
    assert.equal(got.seriesMasterId, masterId);
    assert.deepEqual(got.originStart, { dateTime: '2030-06-03T02:00:00Z' });
    assert.deepEqual(got.attendees.map((a: any) => a.id), [U.dave], 'the exception keeps the series\' attendees');
  });

  it('a change of the series reaches the occurrences that did not change it, and keeps the exception\'s own', async () => {
    await dt.patchEvent(U.carol, masterId, { id: masterId, summary: 'Daily standup', description: 'renamed' });
    const after = await ofSeries();
    assert.deepEqual(after.map((e) => e.summary), ['Daily standup', 'Daily standup', 'Daily sync (moved)', 'Daily standup', 'Daily standup', 'Daily standup', 'Daily standup']);
    assert.deepEqual(after.map((e) => e.description), Array(7).fill('renamed'));
  });

  it('deleting by instance id cancels that occurrence: it leaves the view and getEvent answers 404 instanceNotExist', async () => {
    const before = await ofSeries();
    const fifth = before[4];
    const res = await dt.client.deleteEventWithOptions(U.carol, 'primary', fifth.id, new $Calendar.DeleteEventRequest({}), headers($Calendar.DeleteEventHeaders), rt());
    assert.equal(res.statusCode, 200);
    const after = await ofSeries();
    assert.equal(after.length, 6);
    assert.ok(!after.some((e) => e.id === fifth.id));
    await expectDtError(dt.getEvent(U.carol, fifth.id), 404, 'instanceNotExist');
    const listed = await instances(U.carol, masterId);
    assert.deepEqual(listed.events.map((e: any) => e.id), after.map((e) => e.id));
  });

  it('an instance id the rule does not produce is 404 instanceNotExist', async () => {
    const [first] = await ofSeries();
    // The id of an occurrence at 11:00 instead of 10:00: not one of the series'.
    const bytes = Buffer.from(Buffer.from(first.id, 'base64url').toString('ascii'), 'base64');
    bytes.writeBigInt64BE(bytes.readBigInt64BE(16) + 3_600_000n, 16);
    const foreign = Buffer.from(bytes.toString('base64'), 'ascii').toString('base64url');
    await expectDtError(dt.getEvent(U.carol, foreign), 404, 'instanceNotExist');
  });

  it('cancelEvent on an instance id cancels that occurrence; on the series, all of it', async () => {
    const [first] = await ofSeries();
    const res = await dt.client.cancelEventWithOptions(U.carol, 'primary', first.id, new $Calendar.CancelEventRequest({}), headers($Calendar.CancelEventHeaders), rt());
    assert.deepEqual(plain(res.body), { result: true });
    assert.ok(!(await ofSeries()).some((e) => e.id === first.id));
    await expectDtError(dt.getEvent(U.carol, first.id), 404, 'instanceNotExist');
  });

  it('deleting the series removes every occurrence from the view', async () => {
    await dt.client.deleteEventWithOptions(U.carol, 'primary', masterId, new $Calendar.DeleteEventRequest({}), headers($Calendar.DeleteEventHeaders), rt());
    assert.deepEqual(await ofSeries(), []);
  });
});

describe('paging, age and bounds', () => {
  it('pages of maxResults follow nextToken until it is absent, in start order, with no item twice', async () => {
    const daily = { pattern: { type: 'daily', interval: 1 }, range: { type: 'noEnd' } };
    const id = (await dt.createEvent(U.erin, series('Paged', '2031-01-01T09:00:00+08:00', '2031-01-01T09:30:00+08:00', 'Asia/Shanghai', daily))).body.id;
    const first = await view(U.erin, { timeMin: '2031-01-01T00:00:00+08:00', timeMax: '2031-01-11T00:00:00+08:00', maxResults: 3 });
    assert.equal(first.events.length, 3);
    assert.equal(typeof first.nextToken, 'string');
    const all = await viewAll(U.erin, { timeMin: '2031-01-01T00:00:00+08:00', timeMax: '2031-01-11T00:00:00+08:00', maxResults: 3 });
    assert.equal(all.length, 10);
    assert.equal(new Set(all.map((e) => e.id)).size, 10);
    assert.deepEqual(all.map((e) => e.start.dateTime.slice(0, 10)), Array.from({ length: 10 }, (_, i) => `2031-01-${String(i + 1).padStart(2, '0')}`));
    assert.ok(all.every((e) => e.seriesMasterId === id));
  });

  it('a daily series begun ten years before the window shows exactly the window\'s occurrences', async () => {
    const daily = { pattern: { type: 'daily', interval: 1 }, range: { type: 'noEnd' } };
    const id = (await dt.createEvent(U.frank, series('Old habit', '2021-03-01T07:00:00+08:00', '2021-03-01T07:10:00+08:00', 'Asia/Shanghai', daily))).body.id;
    const items = (await viewAll(U.frank, { timeMin: '2031-03-01T00:00:00+08:00', timeMax: '2031-03-08T00:00:00+08:00' })).filter((e) => e.seriesMasterId === id);
    assert.deepEqual(items.map((e) => e.start.dateTime), Array.from({ length: 7 }, (_, i) => `2031-03-0${i + 1}T07:00:00+08:00`));
  });

  it('a window to the year 9999 pages through a weekly series to 9999 in start order, a single event in its place', async () => {
    const toTheEnd = { pattern: { type: 'weekly', interval: 1, daysOfWeek: 'monday' }, range: { type: 'endDate', endDate: '9999-12-31T00:00:00+08:00' } };
    const id = (await dt.createEvent(U.ivan, series('Forever', '2031-01-06T09:00:00+08:00', '2031-01-06T10:00:00+08:00', 'Asia/Shanghai', toTheEnd))).body.id;
    // Beyond the first 32 days the view expands: it must still come between the Mondays around it.
    const single = (await dt.createEvent(U.ivan, { summary: 'Once', start: { dateTime: '2031-03-19T09:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2031-03-19T10:00:00+08:00', timeZone: 'Asia/Shanghai' } })).body.id;
    const req = { timeMin: '2031-01-01T00:00:00+08:00', timeMax: '9999-12-31T00:00:00+08:00', maxResults: 12 };
    const first = await view(U.ivan, req);
    const mondays = ['01-06', '01-13', '01-20', '01-27', '02-03', '02-10', '02-17', '02-24', '03-03', '03-10', '03-17'];
    assert.deepEqual(first.events.map((e: any) => e.start.dateTime), [...mondays.map((d) => `2031-${d}T09:00:00+08:00`), '2031-03-19T09:00:00+08:00']);
    assert.equal(first.events[11].id, single);
    assert.ok(first.events.slice(0, 11).every((e: any) => e.seriesMasterId === id));
    const second = await view(U.ivan, { ...req, nextToken: first.nextToken });
    assert.deepEqual(second.events.slice(0, 3).map((e: any) => e.start.dateTime), ['2031-03-24T09:00:00+08:00', '2031-03-31T09:00:00+08:00', '2031-04-07T09:00:00+08:00']);
    assert.equal(second.events.length, 12);
    assert.equal(typeof second.nextToken, 'string');
  });

  it('interval outside 1–365 and numberOfOccurrences outside 1–99 are 400 invalidParameter', async () => {
    const base = series('Bad', '2031-01-01T09:00:00+08:00', '2031-01-01T09:30:00+08:00', 'Asia/Shanghai', null);
    await expectDtError(dt.createEvent(U.alice, { ...base, recurrence: { pattern: { type: 'daily', interval: 366 }, range: { type: 'noEnd' } } }), 400, 'invalidParameter', 'interval');
    await expectDtError(dt.createEvent(U.alice, { ...base, recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 100 } } }), 400, 'invalidParameter', 'numberOfOccurrences');
  });

  it('a view without timeMin or with timeMax before timeMin is 400 invalidParameter', async () => {
    await expectDtError(view(U.alice, { timeMax: '2031-01-01T00:00:00Z' }), 400, 'invalidParameter', 'timeMin');
    await expectDtError(view(U.alice, { timeMin: '2031-01-02T00:00:00Z', timeMax: '2031-01-01T00:00:00Z' }), 400, 'invalidParameter');
  });
});

describe('listEvents lists a series by its master and its past instances, not its future ones', () => {
  const DAY = 86_400_000;
  const daily = { pattern: { type: 'daily', interval: 1 }, range: { type: 'noEnd' } };
  /** Whole seconds, UTC, as a DingTalk dateTime. */
  const at = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  let masterId = '';
  let firstStart = 0;
  const window = () => ({ timeMin: at(firstStart - 3 * DAY), timeMax: at(firstStart + 12 * DAY) });

  before(async () => {
    // A daily series whose sixth occurrence is an hour from now: five have begun, the rest are ahead.
    firstStart = Math.floor((Date.now() + 3_600_000 - 5 * DAY) / 1000) * 1000;
    masterId = (await dt.createEvent(U.grace, series('Daily sync', at(firstStart), at(firstStart + 1_800_000), 'Asia/Shanghai', daily, [U.heidi]))).body.id;
    await dt.createEvent(U.grace, { summary: 'One-off', start: { dateTime: at(firstStart + DAY + 600_000) }, end: { dateTime: at(firstStart + DAY + 1_200_000) } });
  });

  it('the master and each occurrence begun before now, in start order, with instance ids, seriesMasterId and originStart', async () => {
    const items = await dt.listAllEvents(U.grace, window());
    const instances = items.filter((e) => e.seriesMasterId === masterId);
    assert.deepEqual(instances.map((e) => e.originStart.dateTime), Array.from({ length: 5 }, (_, i) => at(firstStart + i * DAY)));
    assert.ok(instances.every((e) => e.id !== masterId && e.summary === 'Daily sync' && e.recurrence === undefined));
    assert.equal(new Set(instances.map((e) => e.id)).size, 5);
    assert.equal(items.filter((e) => e.id === masterId).length, 1, 'the master itself, with its rule');
    assert.equal(items.find((e) => e.id === masterId).recurrence.pattern.type, 'daily');
    const starts = items.map((e) => Date.parse(e.start.dateTime));
    assert.deepEqual(starts, [...starts].sort((a, b) => a - b), 'start order');
    assert.equal(items.filter((e) => e.summary === 'One-off').length, 1);
    // The instance an invitee sees is the same one, and getEvent reads it by that id.
    const heidis = (await dt.listAllEvents(U.heidi, window())).filter((e) => e.seriesMasterId === masterId);
    assert.deepEqual(heidis.map((e) => e.id), instances.map((e) => e.id));
    const got = (await dt.getEvent(U.grace, instances[2].id)).body;
    assert.equal(got.originStart.dateTime, at(firstStart + 2 * DAY));
  });

  it('pages of 2 walk the same items, each once', async () => {
    const whole = await dt.listAllEvents(U.grace, window());
    const paged = await dt.listAllEvents(U.grace, { ...window(), maxResults: 2 });
    assert.deepEqual(paged.map((e) => e.id), whole.map((e) => e.id));
    assert.equal(whole.length, 7, 'master, five past instances, the single event');
  });

  it('a changed past occurrence is listed once, as the exception; a deleted one is gone', async () => {
    const instances = (await dt.listAllEvents(U.grace, window())).filter((e) => e.seriesMasterId === masterId);
    await dt.patchEvent(U.grace, instances[1].id, { id: instances[1].id, summary: 'Daily sync (moved)' });
    await dt.client.deleteEventWithOptions(U.grace, 'primary', instances[3].id, new $Calendar.DeleteEventRequest({}), headers($Calendar.DeleteEventHeaders), rt());
    const after = (await dt.listAllEvents(U.grace, window())).filter((e) => e.seriesMasterId === masterId);
    assert.deepEqual(after.map((e) => e.id), [instances[0].id, instances[1].id, instances[2].id, instances[4].id]);
    assert.equal(after[1].summary, 'Daily sync (moved)');
  });

  it('seriesMasterId lists that series\' past instances alone, in pages', async () => {
    const listed = (await dt.listAllEvents(U.grace, window())).filter((e) => e.seriesMasterId === masterId);
    const only = await dt.listAllEvents(U.grace, { ...window(), seriesMasterId: masterId, maxResults: 3 });
    assert.equal(only.length, 4);
    assert.deepEqual(only.map((e) => e.id), listed.map((e) => e.id));
  });

  it('a window wholly ahead lists the master alone; a sync token lists changed events, not instances', async () => {
    const ahead = await dt.listAllEvents(U.grace, { timeMin: at(firstStart + 6 * DAY), timeMax: at(firstStart + 9 * DAY) });
    assert.deepEqual(ahead.map((e) => e.id), [masterId]);
    const first = await dt.listEvents(U.grace, window());
    const synced = await dt.listEvents(U.grace, { syncToken: first.body.syncToken });
    assert.deepEqual(synced.body.events ?? [], []);
  });
});
