// `npm run bench -- --scale`: the same rows on an empty store and on a store of one tenant with
// 50,000 users, 1,000,000 events and 5,000,000 attendee rows (filled with set-based SQL), in one
// run, request for request in turns; a scaled row's p50 must stay within 1.3 × its empty one
// (issue 21, "flat cost in a big store"). See bench/README.md.
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { call, inParallel, range } from '../lib/api.ts';
import type { Bench, Measured } from '../lib/bench.ts';
import { dingtalkBatch, feishuBatch, openId, unionId, writeDirectory } from '../lib/directory.ts';
import { DingTalk, EVENT_BODY, Feishu, startKalends } from '../lib/kalends.ts';
import type { LoadRequest } from '../lib/load.ts';
import { measuredOf, send, type Series } from '../lib/sampler.ts';
import { FILL_FIRST_USER, fillStore, prepareStore, SCALE_USERS, type FillReport, type FillSize, type StoreLocation } from '../lib/scale-fill.ts';
import type { ServerProcess } from '../lib/server-process.ts';
import { round } from '../lib/stats.ts';
import { calendarBodies, MONTH } from './scheduling.ts';
import { walkPages } from './references.ts';

/** The target: every scaled p50 within this factor of the empty store's. */
export const FLAT_FACTOR = 1.3;

export interface ScaleRow {
  name: string;
  emptyP50Ms: number;
  scaledP50Ms: number;
  /** scaled p50 ÷ empty p50. */
  ratio: number;
  emptyP99Ms: number;
  scaledP99Ms: number;
  /** Samples per store. */
  samples: number;
}

export interface ScaleResult {
  fill: FillSize & { users: number; attendees: number } & FillReport;
  rows: ScaleRow[];
  measured: Measured[];
}

/** One store of the run: where it lives, its Kalends, and that Kalends' DingTalk side. */
interface Side {
  label: 'empty' | 'scaled';
  location: StoreLocation;
  server?: ServerProcess;
  dt?: DingTalk;
  fs?: Promise<Feishu>;
}

/** A row: prepares its data on one store through the API, then gives its k-th request there. */
interface Row {
  name: string;
  prepare(dt: DingTalk, feishu: () => Promise<Feishu>): Promise<(k: number) => LoadRequest>;
}

const ANSWERS = ['accepted', 'declined', 'tentative'];

/** The user whose calendar listEvents and sync read: 30 events of their own, invited to 90. */
const LISTED = unionId(11_300);
const INVITER = unionId(11_301);

const ROWS: Row[] = [
  {
    // addAttendee of 1: request k adds user ⌊k / 100⌋ + 1 to event k mod 100.
    name: 'dingtalk-add-1-c1',
    async prepare(dt) {
      const events = await dt.createEvents(100);
      return (k) => ({ method: 'POST', path: `${dt.eventPath(events[k % 100]!)}/attendees`, body: dingtalkBatch(Math.floor(k / 100), 1), headers: dt.clientToken() });
    },
  },
  {
    // listAttendees, every page of 100 of an event of 5,000 in turn.
    name: 'dingtalk-list-100-c1',
    async prepare(dt) {
      const [eventId] = await dt.createEvents(1);
      for (const b of range(10)) await dt.add(eventId!, dingtalkBatch(b * 500, 500));
      const pages = await walkPages((token) => dt.listPage(eventId!, 100, token));
      if (pages.length !== 50) throw new Error(`an event of 5,000 attendees listed in ${pages.length} pages of 100, not 50`);
      return (k) => ({ method: 'GET', path: `${dt.eventPath(eventId!)}/attendees?maxResults=100${pages[k % 50] ? `&nextToken=${encodeURIComponent(pages[k % 50]!)}` : ''}` });
    },
  },
  {
    // respondEvent as the attendee over 10 events × 500 attendees, each answer different from the last.
    name: 'dingtalk-respond-c1',
    async prepare(dt) {
      const events = await dt.createEvents(10);
      await inParallel(events, 2, (id) => dt.add(id, dingtalkBatch(0, 500)));
      const pairs = events.length * 500;
      return (k) => {
        const p = k % pairs;
        return {
          method: 'POST', path: `${dt.eventPath(events[p % events.length]!, unionId(1 + Math.floor(p / events.length)))}/respond`,
          body: JSON.stringify({ responseStatus: ANSWERS[Math.floor(k / pairs) % 3] }), headers: dt.clientToken(),
        };
      };
    },
  },
  {
    // listEvents of a user's primary calendar (its 30 events and the 90 it is invited to): both pages of 100 in turn.
    name: 'dingtalk-list-events-c1',
    async prepare(dt) {
      await listedEvents(dt);
      const base = `/v1.0/calendar/users/${LISTED}/calendars/primary/events?maxResults=100`;
      const pages = await walkPages(async (token) => {
        const page = await call<{ events: unknown[]; nextToken?: string }>(dt.origin, 'GET', `${base}${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`, undefined, dt.headers);
        return { attendees: page.events, nextToken: page.nextToken };
      });
      if (pages.length !== 2) throw new Error(`${LISTED}'s 120 events listed in ${pages.length} pages of 100, not 2`);
      return (k) => ({ method: 'GET', path: `${base}${pages[k % 2] ? `&nextToken=${encodeURIComponent(pages[k % 2]!)}` : ''}` });
    },
  },
  {
    // listEvents with a syncToken taken before one change (the user answered one invitation).
    name: 'dingtalk-sync-c1',
    async prepare(dt) {
      const invited = await listedEvents(dt);
      const base = `/v1.0/calendar/users/${LISTED}/calendars/primary/events?maxResults=100`;
      let token: string | undefined;
      let nextToken: string | undefined;
      do {
        const page = await call<{ nextToken?: string; syncToken?: string }>(dt.origin, 'GET', `${base}${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`, undefined, dt.headers);
        nextToken = page.nextToken;
        token = page.syncToken;
      } while (nextToken);
      await call(dt.origin, 'POST', `${dt.eventPath(invited[0]!, LISTED)}/respond`, { responseStatus: 'accepted' }, { ...dt.headers, ...dt.clientToken() });
      const path = `${base}&syncToken=${encodeURIComponent(token!)}`;
      const synced = await call<{ events: Array<{ id: string }> }>(dt.origin, 'GET', path, undefined, dt.headers);
      if (!synced.events.some((e) => e.id === invited[0])) throw new Error(`a sync from a token taken before an answer did not return the answered event (${synced.events.length} events)`);
      return () => ({ method: 'GET', path });
    },
  },
  {
    // listEventsView of one month of a user with 100 daily and 100 weekly series and 500 single events: every page of 100 in turn.
    name: 'dingtalk-eventsview-month-c1',
    async prepare(dt) {
      const user = unionId(11_000);
      const create = `/v1.0/calendar/users/${user}/calendars/primary/events`;
      await inParallel(calendarBodies(200, 500), 4, (body) => call(dt.origin, 'POST', create, body, { ...dt.headers, ...dt.clientToken() }));
      const view = `/v1.0/calendar/users/${user}/calendars/primary/eventsview?timeMin=${encodeURIComponent(MONTH.timeMin)}&timeMax=${encodeURIComponent(MONTH.timeMax)}&maxResults=100`;
      const pages = await walkPages(async (token) => {
        const page = await call<{ events: unknown[]; nextToken?: string }>(dt.origin, 'GET', `${view}${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`, undefined, dt.headers);
        return { attendees: page.events, nextToken: page.nextToken };
      });
      return (k) => ({ method: 'GET', path: `${view}${pages[k % pages.length] ? `&nextToken=${encodeURIComponent(pages[k % pages.length]!)}` : ''}` });
    },
  },
  {
    // calendarEvent.search of the bot's calendar (60 events) for those with one user among the
    // attendees (10 of them): the filter is asked per event found, not of every attendee row.
    name: 'feishu-search-attendee-c1',
    async prepare(_dt, feishu) {
      const fs = await feishu();
      const events = await fs.createEvents(60);
      await inParallel(events.slice(0, 10), 2, (id) => fs.add(id, feishuBatch(0, 1)));
      const body = JSON.stringify({ query: '', filter: { user_ids: [openId(1)] } });
      const path = `${fs.eventsPath()}/search?user_id_type=open_id&page_size=50`;
      const found = await call<{ data: { items: Array<{ event_id: string }> } }>(fs.origin, 'POST', path, body, fs.headers);
      if (found.data.items.length !== 10) throw new Error(`search by attendee found ${found.data.items.length} events, not 10`);
      return () => ({ method: 'POST', path, body, headers: fs.headers });
    },
  },
];

/** LISTED's calendar, made once per store: 30 events of their own and 90 of INVITER's they are invited to. @returns the invitations' ids. */
const listedMade = new WeakMap<DingTalk, Promise<string[]>>();
function listedEvents(dt: DingTalk): Promise<string[]> {
  let made = listedMade.get(dt);
  if (!made) {
    made = (async () => {
      const own = `/v1.0/calendar/users/${LISTED}/calendars/primary/events`;
      await inParallel(range(30), 4, () => call(dt.origin, 'POST', own, EVENT_BODY, { ...dt.headers, ...dt.clientToken() }));
      const inviting = `/v1.0/calendar/users/${INVITER}/calendars/primary/events`;
      const body = JSON.stringify({ ...JSON.parse(EVENT_BODY) as object, attendees: [{ id: LISTED, isOptional: false }] });
      const invited = await inParallel(range(90), 4, () => call<{ id: string }>(dt.origin, 'POST', inviting, body, { ...dt.headers, ...dt.clientToken() }));
      return invited.map((e) => e.id);
    })();
    listedMade.set(dt, made);
  }
  return made;
}

/**
 * The scaled-store run: both stores prepared (migrations, a directory of 50,000 users), the
 * scaled one filled, a Kalends on each, then every row measured on both in turns.
 */
export async function runScale(bench: Bench, tmp: string, size: FillSize): Promise<ScaleResult> {
  const directory = path.join(tmp, 'directory.json');
  writeDirectory(directory, SCALE_USERS);
  const databases = bench.options.databaseUrl ? await createDatabases(bench.options.databaseUrl) : null;
  const sides: Side[] = databases
    ? [{ label: 'empty', location: { kind: 'postgres', url: databases.urls[0] } }, { label: 'scaled', location: { kind: 'postgres', url: databases.urls[1] } }]
    : [{ label: 'empty', location: { kind: 'sqlite', dataDir: path.join(tmp, 'empty') } }, { label: 'scaled', location: { kind: 'sqlite', dataDir: path.join(tmp, 'scaled') } }];
  try {
    for (const side of sides) {
      const t0 = performance.now();
      await prepareStore(side.location, directory);
      bench.log(`  ${side.label} store: migrated, ${SCALE_USERS.toLocaleString('en')} users loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    bench.log(`  filling the scaled store: ${size.events.toLocaleString('en')} events, ${(size.events * size.attendeesPerEvent).toLocaleString('en')} attendee rows`);
    const fill = await fillStore(sides[1]!.location, size, SCALE_USERS, bench.log);
    bench.log(`  filled in ${fill.seconds.toFixed(0)} s; the scaled store takes ${(fill.bytes / 2 ** 30).toFixed(2)} GB on disk`);
    for (const side of sides) {
      const t0 = performance.now();
      const options = { ...bench.options, databaseUrl: side.location.kind === 'postgres' ? side.location.url : undefined };
      side.server = await startKalends(options, side.location.kind === 'sqlite' ? side.location.dataDir : path.join(tmp, `kalends-${side.label}`), directory);
      side.dt = await DingTalk.connect(side.server.origin);
      bench.log(`  (kalends on the ${side.label} store ready in ${((performance.now() - t0) / 1000).toFixed(1)} s on ${side.server.origin}, pid ${side.server.pid})`);
    }
    await checkFilled(sides[1]!.dt!, size);
    const rows: ScaleRow[] = [];
    const measured: Measured[] = [];
    for (const row of ROWS) {
      if (!bench.wants(row.name) && !bench.wants('scale')) continue;
      const makers = await Promise.all(sides.map((s) => row.prepare(s.dt!, () => (s.fs ??= Feishu.connect(s.server!.origin)))));
      // PostgreSQL plans by statistics: both stores get them fresh for the row's own data, as
      // autovacuum would give them within a minute (the empty store would otherwise be planned
      // as the empty tables it was made with).
      if (databases) await databases.analyze();
      for (const s of sides) await s.server!.settle();
      const series = await inTurns(sides, makers, bench.options.warmupSec, bench.options.durationSec);
      const [empty, scaled] = series.map((s, i) => measuredOf(`${sides[i]!.label}/${row.name}`, s));
      measured.push(empty!, scaled!);
      const r: ScaleRow = {
        name: row.name, emptyP50Ms: round(empty!.result.p50Ms, 3), scaledP50Ms: round(scaled!.result.p50Ms, 3),
        ratio: round(scaled!.result.p50Ms / empty!.result.p50Ms, 3), emptyP99Ms: round(empty!.result.p99Ms, 3), scaledP99Ms: round(scaled!.result.p99Ms, 3),
        samples: Math.min(empty!.result.ok, scaled!.result.ok),
      };
      rows.push(r);
      bench.log(`  ${row.name.padEnd(30)} empty p50 ${r.emptyP50Ms.toFixed(2)} ms  scaled p50 ${r.scaledP50Ms.toFixed(2)} ms  (${r.ratio.toFixed(2)} ×, ${r.samples} samples each)`);
      for (const m of [empty!, scaled!]) for (const s of m.result.samplesOfNon2xx) bench.log(`    non-2xx (${m.name}): ${s}`);
    }
    return { fill: { ...size, users: SCALE_USERS, attendees: size.events * size.attendeesPerEvent, ...fill }, rows, measured };
  } finally {
    for (const side of sides) await side.server?.stop();
    if (databases) await databases.drop();
  }
}

/**
 * The scaled Kalends reads filled rows as its own: the first fill user's calendar lists their
 * events (the first a daily series) with their attendees, and one reads by its DingTalk id.
 */
async function checkFilled(dt: DingTalk, size: FillSize): Promise<void> {
  const user = unionId(FILL_FIRST_USER);
  type Listed = { id: string; summary: string; recurrence?: unknown; organizer?: { id: string }; attendees?: Array<{ id: string; displayName?: string }> };
  const page = await call<{ events: Listed[] }>(dt.origin, 'GET', `/v1.0/calendar/users/${user}/calendars/primary/events?maxResults=100`, undefined, dt.headers);
  const own = page.events.filter((e) => e.organizer?.id === user);
  const first = own.find((e) => e.summary === 'Filled 0');
  if (!first || own.some((e) => e.attendees?.length !== size.attendeesPerEvent || e.attendees.some((a) => !a.displayName))) {
    throw new Error(`the scaled store's filled events do not read back as written: ${JSON.stringify(page.events.slice(0, 2))}`);
  }
  if (!first.recurrence) throw new Error(`filled event 0 (a daily series) reads without its recurrence: ${JSON.stringify(first)}`);
  const one = await call<Listed>(dt.origin, 'GET', dt.eventPath(first.id, user), undefined, dt.headers);
  if (one.summary !== 'Filled 0') throw new Error(`filled event 0 read by id as ${JSON.stringify(one)}`);
}

/**
 * One keep-alive connection per store, one request at a time, the stores in turn (a request on
 * the empty store, then one on the scaled store, …): noise on the shared machine falls on both
 * alike. Unmeasured for `warmupSec`, then measured for `durationSec`.
 */
async function inTurns(sides: Side[], makers: Array<(k: number) => LoadRequest>, warmupSec: number, durationSec: number): Promise<Series[]> {
  const agents = sides.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const urls = sides.map((s) => new URL(s.server!.origin));
  const out: Series[] = sides.map(() => ({ latencies: [], non2xx: 0, errors: 0, samplesOfNon2xx: [] }));
  const counters = sides.map(() => 0);
  try {
    for (const [phase, seconds] of [['warmup', warmupSec], ['measure', durationSec]] as const) {
      const deadline = performance.now() + seconds * 1000;
      while (performance.now() < deadline) {
        for (const [i, side] of sides.entries()) {
          const r = makers[i]!(counters[i]!++);
          const o = out[i]!;
          const t0 = performance.now();
          try {
            const { status, body } = await send(agents[i]!, urls[i]!, r, side.dt!.headers);
            if (status >= 200 && status <= 299) {
              if (phase === 'measure') o.latencies.push(performance.now() - t0);
            } else {
              o.non2xx++;
              if (o.samplesOfNon2xx.length < 3) o.samplesOfNon2xx.push(`${status} ${r.method} ${r.path}: ${body.slice(0, 300)}`);
            }
          } catch {
            o.errors++;
          }
        }
      }
    }
  } finally {
    for (const agent of agents) agent.destroy();
  }
  return out;
}

/**
 * Two fresh databases beside the one of `--database-url` (`<name>_scale_empty_<pid>`,
 * `<name>_scale_full_<pid>`), dropped at the end: each run starts from nothing. Needs the
 * CREATEDB privilege.
 */
async function createDatabases(url: string): Promise<{ urls: [string, string]; analyze(): Promise<void>; drop(): Promise<void> }> {
  const base = new URL(url);
  const stem = (decodeURIComponent(base.pathname.slice(1)) || 'postgres').replace(/[^a-zA-Z0-9_]/g, '_');
  const names = ['empty', 'full'].map((k) => `${stem}_scale_${k}_${process.pid}`);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    for (const name of names) {
      await admin.query(`drop database if exists ${name}`);
      await admin.query(`create database ${name}`);
    }
  } finally {
    await admin.end();
  }
  const urls = names.map((name) => {
    const u = new URL(url);
    u.pathname = `/${name}`;
    return u.toString();
  }) as [string, string];
  return {
    urls,
    async analyze() {
      for (const u of urls) {
        const c = new pg.Client({ connectionString: u });
        await c.connect();
        try {
          await c.query('analyze');
        } finally {
          await c.end();
        }
      }
    },
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        for (const name of names) await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** The scaled-store table: each row's p50 on both stores and their ratio, judged against FLAT_FACTOR. */
export function formatScale(result: ScaleResult): string {
  const f = result.fill;
  const out = [
    `scaled store: ${f.users.toLocaleString('en')} users, ${f.events.toLocaleString('en')} events, ${f.attendees.toLocaleString('en')} attendee rows; `
    + `filled in ${f.seconds.toFixed(0)} s, ${(f.bytes / 2 ** 30).toFixed(2)} GB on disk`,
    `${'scenario (one connection)'.padEnd(30)} ${'empty p50'.padStart(10)} ${'scaled p50'.padStart(11)} ${'×empty'.padStart(7)} ${'empty p99'.padStart(10)} ${'scaled p99'.padStart(11)} ${'samples'.padStart(8)}`,
  ];
  for (const r of result.rows) {
    out.push(`${r.name.padEnd(30)} ${r.emptyP50Ms.toFixed(2).padStart(10)} ${r.scaledP50Ms.toFixed(2).padStart(11)} ${r.ratio.toFixed(2).padStart(7)} `
      + `${r.emptyP99Ms.toFixed(2).padStart(10)} ${r.scaledP99Ms.toFixed(2).padStart(11)} ${String(r.samples).padStart(8)}`);
  }
  out.push('', 'targets');
  for (const r of result.rows) {
    out.push(`  ${r.ratio <= FLAT_FACTOR ? 'holds' : 'MISS '}  ${`${r.name} p50 scaled ≤ ${FLAT_FACTOR} × empty`.padEnd(56)} ${r.ratio.toFixed(2)} ×`);
  }
  return out.join('\n');
}
