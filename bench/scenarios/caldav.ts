// CalDAV rows: the same four pieces of work on Kalends (/caldav, an account minted through DingTalk's
// generateCaldavAccount), Debian's Radicale and Debian's Xandikos, side by side in one run: PUT of a new
// event, GET of an event with 5,000 attendees, a calendar-query of one month over a calendar of 1,000
// events (50 of them weekly series), and a sync-collection after one change. Every answer is checked.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { call, inParallel, range } from '../lib/api.ts';
import { Work, type Bench } from '../lib/bench.ts';
import { unionId } from '../lib/directory.ts';
import type { DingTalk } from '../lib/kalends.ts';
import type { LoadRequest } from '../lib/load.ts';
import { startServer, type ServerProcess } from '../lib/server-process.ts';
import { freePort, startRadicale } from './radicale.ts';

/**
 * Clients of every CalDAV row (Radicale's own default `max_connections`). Every server is driven
 * the same way, by a plain `node:http` loop opening a connection per request: Radicale answers in
 * HTTP/1.0 and closes each connection, and autocannon refuses REPORT.
 */
const CLIENTS = 8;

/** A CalDAV server under test: where calendars may be made, and how to sign in. */
interface DavTarget {
  name: 'kalends' | 'radicale' | 'xandikos';
  server: ServerProcess;
  headers: Record<string, string>;
  /** A collection MKCALENDAR may make calendars in. */
  home: string;
}


async function dav(t: DavTarget, method: string, p: string, body?: string, extra: Record<string, string> = {}): Promise<string> {
  const type: Record<string, string> = body === undefined ? {} : { 'content-type': body.startsWith('BEGIN:VCALENDAR') ? 'text/calendar; charset=utf-8' : 'application/xml; charset=utf-8' };
  const res = await fetch(t.server.origin + p, { method, body, headers: { ...t.headers, ...type, ...extra } });
  const text = await res.text();
  if (!res.ok) throw new Error(`${t.name}: ${method} ${p} → ${res.status} ${text.slice(0, 300)}`);
  return text;
}

const utc = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** One event's iCalendar: `attendees` ATTENDEEs, a weekly RRULE when `weekly`. */
function eventIcs(uid: string, startMs: number, opts: { attendees?: number; weekly?: boolean; summary?: string } = {}): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Kalends//bench//EN', 'BEGIN:VEVENT', `UID:${uid}`,
    'DTSTAMP:20300101T000000Z', `DTSTART:${utc(startMs)}`, `DTEND:${utc(startMs + 3_600_000)}`, `SUMMARY:${opts.summary ?? uid}`];
  if (opts.weekly) lines.push('RRULE:FREQ=WEEKLY');
  if (opts.attendees) {
    lines.push(`ORGANIZER:mailto:${unionId(0)}@bench.example`);
    for (let u = 1; u <= opts.attendees; u++) lines.push(`ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bench-guest-${u}@elsewhere.example`);
  }
  lines.push('END:VEVENT', 'END:VCALENDAR', '');
  return lines.join('\r\n');
}

async function makeCalendar(t: DavTarget, name: string): Promise<string> {
  const p = `${t.home}${name}/`;
  await dav(t, 'MKCALENDAR', p);
  return p;
}

const MARCH = { start: Date.UTC(2031, 2, 1), end: Date.UTC(2031, 3, 1) };
const QUERY = `<?xml version="1.0" encoding="utf-8"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${utc(MARCH.start)}" end="${utc(MARCH.end)}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;
const syncBody = (token: string) => `<?xml version="1.0" encoding="utf-8"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
const hrefs = (xml: string) => (xml.match(/<(?:[\w-]+:)?href>[^<]*\.ics<\/(?:[\w-]+:)?href>/g) ?? []).length;

/** Measures one row with every answer checked: a wrong answer counts as a failed request. */
async function measureChecked(bench: Bench, name: string, t: DavTarget, make: (i: number) => LoadRequest, check: (status: number, body: string) => string | null): Promise<void> {
  let wrong = 0;
  let sample = '';
  const measured = await bench.measure(name, t.server, new Work(Number.MAX_SAFE_INTEGER, make), {
    connections: CLIENTS, driver: 'loop', headers: t.headers,
    onAnswer: (status, _r, body) => {
      const problem = check(status, body);
      if (problem) {
        wrong++;
        sample ||= problem;
      }
    },
  });
  if (wrong === 0) return;
  bench.log(`    ${wrong} wrong answers, e.g. ${sample}`);
  // Kalends' wrong answers fail the run; a peer's are its own (logged, and its row is not a fair comparison).
  if (t.name === 'kalends') {
    measured.result.non2xx += wrong;
    measured.result.samplesOfNon2xx.push(`wrong answer: ${sample}`);
  }
}

/** The four rows on one server. */
async function runOn(bench: Bench, t: DavTarget): Promise<void> {
  const row = (work: string) => `${t.name}-caldav-${work}`;
  if (bench.wants(row('put'))) {
    const cal = await makeCalendar(t, 'bench-put');
    const run = Date.now().toString(36);
    await measureChecked(bench, row('put'), t, (i) => ({
      method: 'PUT', path: `${cal}n-${run}-${i}.ics`, body: eventIcs(`n-${run}-${i}`, Date.UTC(2031, 0, 1) + i * 3_600_000),
      headers: { 'content-type': 'text/calendar; charset=utf-8', 'if-none-match': '*' },
    }), (status) => (status === 201 ? null : `status ${status}`));
  }
  if (bench.wants(row('get-5000'))) {
    const cal = await makeCalendar(t, 'bench-big');
    await dav(t, 'PUT', `${cal}big.ics`, eventIcs('big', Date.UTC(2031, 0, 5, 2), { attendees: 5_000 }));
    await measureChecked(bench, row('get-5000'), t, () => ({ method: 'GET', path: `${cal}big.ics` }),
      (status, body) => (status !== 200 ? `status ${status}` : (body.match(/\nATTENDEE/g)?.length ?? 0) === 5_000 ? null : `${body.match(/\nATTENDEE/g)?.length ?? 0} attendees`));
  }
  if (bench.wants(row('query-month'))) {
    const cal = await makeCalendar(t, 'bench-month');
    // 50 weekly series begun in 2030 (each has instances in March 2031) and 950 single events over 2031.
    const series = range(50).map((i) => [`w${i}`, eventIcs(`w${i}`, Date.UTC(2030, 5, 3 + (i % 7), 8 + (i % 10)), { weekly: true })] as const);
    const singles = range(950).map((i) => [`s${i}`, eventIcs(`s${i}`, Date.UTC(2031, 0, 1) + Math.floor((i * 365) / 950) * 86_400_000 + (9 + (i % 8)) * 3_600_000)] as const);
    await inParallel([...series, ...singles], 4, ([uid, body]) => dav(t, 'PUT', `${cal}${uid}.ics`, body));
    const inMarch = 50 + range(950).filter((i) => {
      const at = Date.UTC(2031, 0, 1) + Math.floor((i * 365) / 950) * 86_400_000 + (9 + (i % 8)) * 3_600_000;
      return at < MARCH.end && at + 3_600_000 > MARCH.start;
    }).length;
    await measureChecked(bench, row('query-month'), t, () => ({ method: 'REPORT', path: cal, body: QUERY, headers: { 'content-type': 'application/xml; charset=utf-8', depth: '1' } }),
      (status, body) => (status !== 207 ? `status ${status}` : hrefs(body) === inMarch ? null : `${hrefs(body)} objects, not ${inMarch}`));
  }
  if (bench.wants(row('sync-one'))) {
    const cal = await makeCalendar(t, 'bench-sync');
    await inParallel(range(100), 4, (i) => dav(t, 'PUT', `${cal}e${i}.ics`, eventIcs(`e${i}`, Date.UTC(2031, 1, 1) + i * 86_400_000)));
    const props = await dav(t, 'PROPFIND', cal, '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:sync-token/></d:prop></d:propfind>', { depth: '0' });
    const token = /<(?:[\w-]+:)?sync-token>([^<]+)</.exec(props)?.[1];
    if (!token) throw new Error(`${t.name}: no sync-token in ${props.slice(0, 300)}`);
    await dav(t, 'PUT', `${cal}e7.ics`, eventIcs('e7', Date.UTC(2031, 1, 8), { summary: 'changed' }));
    await measureChecked(bench, row('sync-one'), t, () => ({ method: 'REPORT', path: cal, body: syncBody(token), headers: { 'content-type': 'application/xml; charset=utf-8' } }),
      (status, body) => (status !== 207 ? `status ${status}` : hrefs(body) === 1 && body.includes('e7.ics') ? null : `${hrefs(body)} members`));
  }
}

/** Kalends' CalDAV with an account of the bench's organizer, minted through DingTalk's generateCaldavAccount. */
async function kalendsTarget(server: ServerProcess, dt: DingTalk): Promise<DavTarget> {
  const account = await call<{ username: string; password: string }>(server.origin, 'POST', `/v1.0/calendar/users/${unionId(0)}/caldavAccounts`, { device: 'bench' }, dt.headers);
  const headers = { authorization: `Basic ${Buffer.from(`${account.username}:${account.password}`).toString('base64')}` };
  const t: DavTarget = { name: 'kalends', server, headers, home: '/caldav/' };
  const root = await dav(t, 'PROPFIND', '/caldav/', '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>', { depth: '0' });
  t.home = /<d:current-user-principal><d:href>([^<]+)</.exec(root)![1]!;
  return t;
}


/** Debian's Xandikos (git-backed) on a temp folder, loopback only, its default principal `/user/`. */
async function startXandikos(dir: string): Promise<ServerProcess> {
  const port = await freePort();
  mkdirSync(dir, { recursive: true });
  return startServer({
    name: 'xandikos', command: 'xandikos',
    args: ['-d', dir, '--defaults', '-l', '127.0.0.1', '-p', String(port)],
    ready: { poll: `http://127.0.0.1:${port}` },
  });
}

/**
 * The CalDAV rows: Kalends always, Radicale and Xandikos with `--peers` (each stopped when its
 * rows are done). A peer that is not installed is skipped with a line saying so.
 */
export async function runCaldav(bench: Bench, tmp: string, kalends: () => Promise<ServerProcess>, dingtalk: () => Promise<DingTalk>, peers: boolean): Promise<void> {
  if (bench.wantsAny('kalends-caldav')) await runOn(bench, await kalendsTarget(await kalends(), await dingtalk()));
  if (!peers) return;
  for (const [name, start, home] of [
    ['radicale', startRadicale, '/bench/'], ['xandikos', startXandikos, '/user/calendars/'],
  ] as const) {
    if (!bench.wantsAny(`${name}-caldav`)) continue;
    const server = await start(path.join(tmp, `${name}-caldav`)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      bench.log(`  ${name} rows skipped: ${name} is not installed (apt-get install -y ${name})`);
      return null;
    });
    if (!server) continue;
    try {
      const t: DavTarget = { name, server, headers: {}, home };
      if (name === 'radicale') await dav(t, 'MKCOL', home);
      await runOn(bench, t);
    } finally {
      await server.stop();
    }
  }
}
