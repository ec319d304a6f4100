// A quick, low-noise look at what one request costs the server, for working on the hot paths:
// Kalends in this process (buildApp over a temp SQLite store and the bench directory), driven
// one request at a time through Fastify's inject (no sockets, no other process), timing the
// process's CPU per request. Not a substitute for `npm run bench` (no HTTP parsing on a socket,
// no concurrency); its figures are for comparing two versions of the code on this machine.
//   node --import tsx bench/micro.ts [--n 2000] [--only add-1,create,list-100,add-500,remove-500,feishu-add-1,feishu-list-100,getschedule-20,eventsview-month,caldav-put,respond,respond-stream] [--sql [--plan]] [--fill 0] [--alloc]
// --fill K first stores K batches of 500 attendees (untimed) on other events, 10 per event as
// the bench's add-500 rows do, so the indexes have the size they reach in a bench run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp, localPushesOf } from '../src/app.ts';
import { openSandbox } from '../src/cli/sandbox.ts';
import { parseDirectory } from '../src/core/directory/directory-file.ts';
import { loadDirectory } from '../src/core/directory/load-directory.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import SqliteDatabase from 'better-sqlite3';
import { DINGTALK_APP, dingtalkBatch, dingtalkRemoveBatch, FEISHU_APP, feishuBatch, unionId, writeDirectory } from './lib/directory.ts';
import { EVENT_BODY } from './lib/kalends.ts';
import { calendarBodies, MONTH, WEEK } from './scenarios/scheduling.ts';
import { allocations, printAllocations } from './lib/allocations.ts';
import { WebSocket } from 'ws';
import { Dispatcher } from '../src/workers/dispatcher.ts';
import { DINGTALK_STREAM_APP } from './lib/directory.ts';

const { values } = parseArgs({ options: { n: { type: 'string' }, only: { type: 'string' }, sql: { type: 'boolean' }, fill: { type: 'string' }, alloc: { type: 'boolean' }, plan: { type: 'boolean' } } });
const n = Number(values.n ?? 2000);
const sqlTimes = new Map<string, { calls: number; us: number }>();
let timing = false;
const only = values.only?.split(',');
const dir = mkdtempSync(path.join(os.tmpdir(), 'kalends-micro-'));
const directoryFile = path.join(dir, 'directory.json');
writeDirectory(directoryFile);
const store = openSqliteStore(path.join(dir, 'data'));
await migrateToLatest(store);
await loadDirectory(store, parseDirectory(JSON.parse(readFileSync(directoryFile, 'utf8')) as unknown), Date.now());
if (values.sql) timeStatements(new SqliteDatabase(':memory:'));
const { sandbox } = await openSandbox(store, { apiLog: 200 }, null);
const app = await buildApp({ logLevel: values.sql ? 'error' : 'silent', rateLimit: 'off' }, { store, clock: sandbox.clock, sandbox });
await app.ready();

type Injected = Awaited<ReturnType<typeof app.inject>>;
async function call(method: 'GET' | 'POST', url: string, body?: string, headers: Record<string, string> = {}): Promise<Injected> {
  const res = await app.inject({ method, url, payload: body, headers: { 'content-type': 'application/json', ...headers } });
  if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res;
}
const token = (await call('POST', '/v1.0/oauth2/accessToken', JSON.stringify(DINGTALK_APP))).json<{ accessToken: string }>().accessToken;
const auth = { 'x-acs-dingtalk-access-token': token };
let tokens = 0;
const write = () => ({ ...auth, 'x-client-token': `micro-${tokens++}` });
const base = `/v1.0/calendar/users/${unionId(0)}/calendars/primary/events`;
async function createEvents(count: number): Promise<string[]> {
  const ids = [];
  for (let i = 0; i < count; i++) ids.push((await call('POST', base, EVENT_BODY, write())).json<{ id: string }>().id);
  return ids;
}

/** --sql: SQLite time per statement text during the measured requests (better-sqlite3's own calls). */
function timeStatements(db: SqliteDatabase.Database): void {
  const proto = Object.getPrototypeOf(db.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown> & { source: string };
  for (const method of ['run', 'all', 'get']) {
    const original = proto[method]!;
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      if (!timing) return original.apply(this, args);
      const start = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const entry = sqlTimes.get(this.source) ?? { calls: 0, us: 0 };
        entry.calls++;
        entry.us += Number(process.hrtime.bigint() - start) / 1e3;
        sqlTimes.set(this.source, entry);
      }
    };
  }
}

/**
 * --sql: the steps of a statement's query plan that read a whole table (SQLite's `SCAN t`);
 * with --plan, every step of it.
 */
function planSteps(text: string): string[] {
  if (!/^\s*(select|update|delete|insert)/i.test(text)) return [];
  const planner = new SqliteDatabase(path.join(dir, 'data', 'kalends.sqlite'), { readonly: true });
  try {
    const statement = planner.prepare(`explain query plan ${text}`);
    const rows = statement.all(...Array.from({ length: (text.match(/\?/g) ?? []).length }, () => null)) as Array<{ detail: string }>;
    const steps = rows.map((r) => r.detail);
    return values.plan ? steps.map((d) => `plan: ${d}`) : steps.filter((d) => /^SCAN (?!json_each|\d+-ROW VALUES)/.test(d)).map((d) => `full scan: ${d}`);
  } catch {
    return [];
  } finally {
    planner.close();
  }
}

async function measure(name: string, count: number, request: (i: number) => Promise<unknown>): Promise<void> {
  if (only && !only.includes(name)) return;
  for (let i = 0; i < Math.min(200, count / 10); i++) await request(count + i); // warm-up on other work
  sqlTimes.clear();
  if (values.alloc) await allocations.start();
  timing = true;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await request(i);
  const wall = Number(process.hrtime.bigint() - start) / 1e3 / count;
  const used = process.cpuUsage(cpu);
  timing = false;
  const allocated = values.alloc ? await allocations.stop() : undefined;
  process.stdout.write(`${name.padEnd(10)} ${((used.user + used.system) / count).toFixed(0).padStart(6)} µs CPU/req  ${wall.toFixed(0).padStart(6)} µs wall/req  (${count} requests, at ${(performance.now() / 1e3).toFixed(1)} s)\n`);
  for (const [text, t] of [...sqlTimes].sort((a, b) => b[1].us - a[1].us)) {
    process.stdout.write(`  ${(t.us / count).toFixed(1).padStart(7)} µs/req ${(t.calls / count).toFixed(2).padStart(5)}×  ${text.slice(0, 150)}\n`);
    if (values.plan) process.stdout.write(`                          ${text}\n`);
    for (const step of planSteps(text)) process.stdout.write(`                          ${step}\n`);
  }
  if (allocated) printAllocations(allocated, count);
}

const wanted = (name: string) => !only || only.includes(name);
if (wanted('getschedule-20') || wanted('eventsview-month')) {
  // bench/scenarios/scheduling.ts's calendars: 20 people with 10 series and 30 single events, one
  // with 200 series and 500 single events, viewed a week and a month at a time.
  const people = Array.from({ length: 20 }, (_, i) => unionId(11_100 + i));
  for (const user of [...people, unionId(11_000)]) {
    const bodies = user === unionId(11_000) ? calendarBodies(200, 500) : calendarBodies(10, 30);
    for (const body of bodies) await call('POST', `/v1.0/calendar/users/${user}/calendars/primary/events`, body, write());
  }
  const schedule = JSON.stringify({ userIds: people, ...WEEK });
  await measure('getschedule-20', Math.ceil(n / 10), () => call('POST', `/v1.0/calendar/users/${unionId(0)}/querySchedule`, schedule, auth));
  const view = `/v1.0/calendar/users/${unionId(11_000)}/calendars/primary/eventsview?timeMin=${encodeURIComponent(MONTH.timeMin)}&timeMax=${encodeURIComponent(MONTH.timeMax)}&maxResults=100`;
  const viewPages: string[] = [''];
  for (;;) {
    const page = (await call('GET', `${view}${viewPages.at(-1) ? `&nextToken=${encodeURIComponent(viewPages.at(-1)!)}` : ''}`, undefined, auth)).json<{ nextToken?: string }>();
    if (!page.nextToken) break;
    viewPages.push(page.nextToken);
  }
  await measure('eventsview-month', Math.ceil(n / 4), (i) => call('GET', `${view}${viewPages[i % viewPages.length] ? `&nextToken=${encodeURIComponent(viewPages[i % viewPages.length]!)}` : ''}`, undefined, auth));
}
if (wanted('caldav-put')) {
  // bench/scenarios/caldav.ts's put row: a new event PUT into a calendar made by MKCALENDAR, with
  // Basic credentials minted through DingTalk's generateCaldavAccount.
  const account = (await call('POST', `/v1.0/calendar/users/${unionId(0)}/caldavAccounts`, JSON.stringify({ device: 'micro' }), auth)).json<{ username: string; password: string }>();
  const basic = { authorization: `Basic ${Buffer.from(`${account.username}:${account.password}`).toString('base64')}` };
  const dav = async (method: string, url: string, payload: string | undefined, headers: Record<string, string>) => {
    const res = await app.inject({ method: method as 'PUT', url, payload, headers: { ...basic, ...headers } });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res;
  };
  const root = await dav('PROPFIND', '/caldav/', '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>', { depth: '0', 'content-type': 'application/xml' });
  const home = /<d:current-user-principal><d:href>([^<]+)</.exec(root.body)![1]!;
  await dav('MKCALENDAR', `${home}micro/`, undefined, {});
  const ics = (uid: string) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Kalends//micro//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20300101T000000Z',
    'DTSTART:20310301T100000Z', 'DTEND:20310301T110000Z', `SUMMARY:${uid}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  await measure('caldav-put', n, (i) => dav('PUT', `${home}micro/p${i}.ics`, ics(`p${i}`), { 'content-type': 'text/calendar; charset=utf-8', 'if-none-match': '*' }));
}
if (wanted('respond') || wanted('respond-stream')) {
  // The respond rows of bench/scenarios/dingtalk.ts and streams.ts, one call at a time, with the
  // outbox dispatcher running as in `kalends start` (200 ms period): each timed call's CPU includes
  // what delivering its change costs afterwards, since the timing ends only when the dispatcher
  // (and, for respond-stream, the pushes over a DingTalk Stream Mode connection, which a minimal
  // client in this process acknowledges) is done with the calls. The difference of the two rows
  // is what a connected stream client costs per change.
  const dispatcher = new Dispatcher(store, sandbox.clock, { attempts: 3, backoffMs: 1000, timeoutMs: 5000, pollMs: 200 }, undefined, undefined, localPushesOf(app));
  dispatcher.start();
  const answered = await createEvents(10);
  for (const id of answered) await call('POST', `${base}/${id}/attendees`, dingtalkBatch(0, 500), write());
  const answers = ['accepted', 'declined', 'tentative'];
  const respond = (i: number) => call('POST', `/v1.0/calendar/users/${unionId(1 + Math.floor((i % 5000) / 10))}/calendars/primary/events/${answered[i % 10]}/respond`,
    JSON.stringify({ responseStatus: answers[Math.floor(i / 5000) % 3] }), write());
  const quiet = () => new Promise((r) => setTimeout(r, 1_000));
  await measureThrough('respond', n, respond, quiet);
  if (wanted('respond-stream')) {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const opened = (await call('POST', '/v1.0/gateway/connections/open', JSON.stringify({ clientId: DINGTALK_STREAM_APP.appKey, clientSecret: DINGTALK_STREAM_APP.appSecret, subscriptions: [{ type: 'EVENT', topic: '*' }] }), { host: new URL(address).host }))
      .json<{ endpoint: string; ticket: string }>();
    let pushes = 0;
    const client = new WebSocket(`${opened.endpoint}?ticket=${encodeURIComponent(opened.ticket)}`);
    client.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; headers: { messageId: string; topic: string }; data: string };
      if (frame.type === 'EVENT') pushes++;
      const ack = frame.type === 'EVENT' ? JSON.stringify({ status: 'SUCCESS' }) : frame.data;
      client.send(JSON.stringify({ code: 200, headers: frame.type === 'EVENT' ? { contentType: 'application/json', messageId: frame.headers.messageId } : frame.headers, message: 'OK', data: ack }));
    });
    await new Promise((r, j) => client.once('open', r).once('error', j));
    await new Promise((r) => setTimeout(r, 500)); // its row in stream_connections is written
    const before = { pushes: 0 };
    // Other answers than the respond row's, so that every call changes something.
    await measureThrough('respond-stream', n, (i) => respond(i + 10_000), async () => {
      for (let waited = 0; pushes - before.pushes < n && waited < 60_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      await quiet();
    }, () => (before.pushes = pushes));
    client.close();
  }
  await dispatcher.stop();
}

/**
 * Times `count` calls one after the other and then `drained()` (the work they leave behind),
 * in CPU per call: warmed up on other calls first, settled with `drained()` before timing.
 */
async function measureThrough(name: string, count: number, request: (i: number) => Promise<unknown>, drained: () => Promise<unknown>, onStart = () => {}): Promise<void> {
  if (!wanted(name)) return;
  for (let i = 0; i < 200; i++) await request(count + 5_000 + i);
  await drained();
  onStart();
  if (values.alloc) await allocations.start();
  timing = true;
  sqlTimes.clear();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await request(i);
  const calls = Number(process.hrtime.bigint() - start) / 1e3 / count;
  await drained();
  const used = process.cpuUsage(cpu);
  timing = false;
  const allocated = values.alloc ? await allocations.stop() : undefined;
  process.stdout.write(`${name.padEnd(10)} ${((used.user + used.system) / count).toFixed(0).padStart(6)} µs CPU/req (calls and their delivery)  ${calls.toFixed(0).padStart(6)} µs wall/call  (${count} requests)\n`);
  for (const [text, t] of [...sqlTimes].sort((a, b) => b[1].us - a[1].us).slice(0, 25)) {
    process.stdout.write(`  ${(t.us / count).toFixed(1).padStart(7)} µs/req ${(t.calls / count).toFixed(2).padStart(5)}×  ${text.slice(0, 150)}\n`);
  }
  if (allocated) printAllocations(allocated, count, Number(process.env.MICRO_ALLOC_TOP ?? 15));
}

const fill = Number(values.fill ?? 0);
const filled = await createEvents(Math.ceil(fill / 10));
for (let b = 0; b < fill; b++) await call('POST', `${base}/${filled[b % filled.length]}/attendees`, dingtalkBatch(Math.floor(b / filled.length) * 500, 500), write());
const events = await createEvents(100);
await measure('add-1', n, (i) => call('POST', `${base}/${events[i % 100]}/attendees`, dingtalkBatch(Math.floor(i / 100) + 10, 1), write()));
await measure('create', n, () => call('POST', base, EVENT_BODY, write()));
const big = await createEvents(Math.ceil(n / 50) + 10);
await measure('add-500', Math.ceil(n / 20), (i) => call('POST', `${base}/${big[i % big.length]}/attendees`, dingtalkBatch(Math.floor(i / big.length) * 500, 500), write()));
if (!only || only.includes('remove-500')) {
  // The adds are untimed preparation: each measured request removes a batch of 500 one add put in.
  const removed = await createEvents(Math.ceil(n / 20));
  for (const [i, event] of removed.entries()) await call('POST', `${base}/${event}/attendees`, dingtalkBatch(i * 500 % 11_000, 500), write());
  await measure('remove-500', removed.length, (i) => call('POST', `${base}/${removed[i % removed.length]}/attendees/batchRemove`, dingtalkRemoveBatch(i * 500 % 11_000, 500), write()));
}
const [listed] = await createEvents(1);
for (let b = 0; b < 10; b++) await call('POST', `${base}/${listed}/attendees`, dingtalkBatch(b * 500, 500), write());
const pages: string[] = [''];
for (;;) {
  const page = (await call('GET', `${base}/${listed}/attendees?maxResults=100${pages.at(-1) ? `&nextToken=${encodeURIComponent(pages.at(-1)!)}` : ''}`, undefined, auth)).json<{ nextToken?: string }>();
  if (!page.nextToken) break;
  pages.push(page.nextToken);
}
await measure('list-100', n, (i) => call('GET', `${base}/${listed}/attendees?maxResults=100${pages[i % pages.length] ? `&nextToken=${encodeURIComponent(pages[i % pages.length]!)}` : ''}`, undefined, auth));
if (!only || only.some((name) => name.startsWith('feishu-'))) {
  const tenantToken = (await call('POST', '/open-apis/auth/v3/tenant_access_token/internal', JSON.stringify({ app_id: FEISHU_APP.appId, app_secret: FEISHU_APP.appSecret })))
    .json<{ tenant_access_token: string }>().tenant_access_token;
  const fsAuth = { authorization: `Bearer ${tenantToken}` };
  const primary = (await call('POST', '/open-apis/calendar/v4/calendars/primary', undefined, fsAuth))
    .json<{ data: { calendars: Array<{ calendar: { calendar_id: string } }> } }>().data.calendars[0]!.calendar.calendar_id;
  const fsBase = `/open-apis/calendar/v4/calendars/${encodeURIComponent(primary)}/events`;
  const fsEvent = async () => (await call('POST', fsBase, JSON.stringify({ summary: 'b', start_time: { timestamp: '1893456000' }, end_time: { timestamp: '1893459600' } }), fsAuth))
    .json<{ data: { event: { event_id: string } } }>().data.event.event_id;
  const fsEvents: string[] = [];
  for (let i = 0; i < 100; i++) fsEvents.push(await fsEvent());
  await measure('feishu-add-1', n, (i) => call('POST', `${fsBase}/${fsEvents[i % 100]}/attendees`, feishuBatch(Math.floor(i / 100) + 10, 1), fsAuth));
  const fsListed = await fsEvent();
  for (let b = 0; b < 10; b++) await call('POST', `${fsBase}/${fsListed}/attendees`, feishuBatch(b * 500, 500), fsAuth);
  const fsPages: string[] = [''];
  for (;;) {
    const page = (await call('GET', `${fsBase}/${fsListed}/attendees?page_size=100${fsPages.at(-1) ? `&page_token=${encodeURIComponent(fsPages.at(-1)!)}` : ''}`, undefined, fsAuth))
      .json<{ data: { page_token?: string; has_more: boolean } }>().data;
    if (!page.has_more) break;
    fsPages.push(page.page_token!);
  }
  await measure('feishu-list-100', n, (i) => call('GET', `${fsBase}/${fsListed}/attendees?page_size=100${fsPages[i % fsPages.length] ? `&page_token=${encodeURIComponent(fsPages[i % fsPages.length]!)}` : ''}`, undefined, fsAuth));
}
await app.close();
await store.close();
if (process.env.MICRO_KEEP) process.stdout.write(`kept ${dir}\n`); else rmSync(dir, { recursive: true, force: true });
const m = process.memoryUsage();
process.stdout.write(`memory: rss ${(m.rss / 2 ** 20).toFixed(0)} MB, heap ${(m.heapUsed / 2 ** 20).toFixed(0)}/${(m.heapTotal / 2 ** 20).toFixed(0)} MB, external ${(m.external / 2 ** 20).toFixed(0)} MB\n`);
