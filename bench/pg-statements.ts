// Statements (round trips to PostgreSQL) per request, for cutting them: Kalends in this process
// (buildApp over a PostgreSQL store and the bench directory), driven one request at a time
// through Fastify's inject, with every query the pg driver sends counted and grouped by request.
// BEGIN and COMMIT count: each is a round trip. No dispatcher runs in this process, so what is
// counted is the request's own work.
//   node --import tsx bench/pg-statements.ts --database-url URL [--n 20] [--show]
// It also prints the CPU per request of Kalends (this process) and of PostgreSQL's server
// processes (from /proc, at 10 ms resolution: --n 200 or more for those).
// URL: a throwaway database (tables are created in it). --show prints each operation's statements.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { openSandbox } from '../src/cli/sandbox.ts';
import { parseDirectory } from '../src/core/directory/directory-file.ts';
import { loadDirectory } from '../src/core/directory/load-directory.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { openPostgresStore } from '../src/store/postgres.ts';
import { DINGTALK_APP, dingtalkBatch, dingtalkRemoveBatch, unionId, writeDirectory } from './lib/directory.ts';
import { EVENT_BODY } from './lib/kalends.ts';

const { values } = parseArgs({ options: { 'database-url': { type: 'string' }, n: { type: 'string' }, show: { type: 'boolean' } } });
const url = values['database-url'];
if (!url) throw new Error('usage: node --import tsx bench/pg-statements.ts --database-url URL [--n 20] [--show]');
const n = Number(values.n ?? 20);

// Every query a pooled client sends goes through Client.prototype.query.
let counting = false;
const sent: string[] = [];
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (counting) {
    const first = args[0] as string | { text: string };
    sent.push((typeof first === 'string' ? first : first.text).replace(/\s+/g, ' '));
  }
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

const dir = mkdtempSync(path.join(os.tmpdir(), 'kalends-pg-statements-'));
const directoryFile = path.join(dir, 'directory.json');
writeDirectory(directoryFile);
const store = openPostgresStore(url, 10);
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await migrateToLatest(store);
await loadDirectory(store, parseDirectory(JSON.parse(readFileSync(directoryFile, 'utf8')) as unknown), Date.now());
const { sandbox } = await openSandbox(store, { apiLog: 200 }, null);
const app = await buildApp({ logLevel: 'silent', rateLimit: 'off' }, { store, clock: sandbox.clock, sandbox });
await app.ready();

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: string, headers: Record<string, string> = {}) {
  const res = await app.inject({ method, url, payload: body, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers } });
  if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res;
}
const token = (await call('POST', '/v1.0/oauth2/accessToken', JSON.stringify(DINGTALK_APP))).json<{ accessToken: string }>().accessToken;
const auth = { 'x-acs-dingtalk-access-token': token };
let tokens = 0;
const write = () => ({ ...auth, 'x-client-token': `pg-statements-${Date.now()}-${tokens++}` });
const base = (user = unionId(0)) => `/v1.0/calendar/users/${user}/calendars/primary/events`;
const create = async () => (await call('POST', base(), EVENT_BODY, write())).json<{ id: string }>().id;

/** CPU time (µs) used so far by the server processes of this database's connections (Linux /proc; 0 elsewhere). */
async function backendCpuUs(): Promise<number> {
  const pids = (await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')).rows;
  const tick = 1e6 / 100;
  let total = 0;
  for (const { pid } of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {
      // not Linux, or the process is gone
    }
  }
  return total;
}

/**
 * Runs `request` n times (the first, a warm-up, not counted); prints statements per request,
 * and the CPU per request of this process (Kalends, without HTTP) and of PostgreSQL's
 * server processes for this database (at 10 ms resolution: use --n 200 or more for that).
 */
async function count(name: string, request: (i: number) => Promise<unknown>): Promise<void> {
  await request(0);
  const pgBefore = await backendCpuUs();
  sent.length = 0;
  counting = true;
  const before = process.cpuUsage();
  for (let i = 1; i <= n; i++) await request(i);
  const used = process.cpuUsage(before);
  counting = false;
  const pgUsed = await backendCpuUs() - pgBefore;
  const byText = new Map<string, number>();
  for (const text of sent) byText.set(text, (byText.get(text) ?? 0) + 1);
  process.stdout.write(`${name.padEnd(22)} ${(sent.length / n).toFixed(1).padStart(5)} statements/request`
    + `  CPU/request: Kalends ${((used.user + used.system) / n).toFixed(0)} µs, PostgreSQL ${(pgUsed / n).toFixed(0)} µs\n`);
  if (values.show) {
    for (const [text, calls] of byText) process.stdout.write(`    ${(calls / n).toFixed(2).padStart(5)}  ${text.slice(0, 150)}\n`);
  }
}

try {
  const events: string[] = [];
  for (let i = 0; i < n + 1; i++) events.push(await create());
  await count('dingtalk-create', () => create());
  await count('dingtalk-add-1', (i) => call('POST', `${base()}/${events[i]}/attendees`, dingtalkBatch(i, 1), write()));
  await count('dingtalk-respond', (i) => call('POST', `${base(unionId(i + 1))}/${events[i]}/respond`, JSON.stringify({ responseStatus: 'accepted' }), write()));
  await count('dingtalk-remove-1', (i) => call('POST', `${base()}/${events[i]}/attendees/batchRemove`, dingtalkRemoveBatch(i, 1), write()));
  await count('dingtalk-add-500', (i) => call('POST', `${base()}/${events[i]}/attendees`, dingtalkBatch(1000 + i * 10, 500), write()));
  const pages: string[] = [''];
  for (;;) {
    const page = (await call('GET', `${base()}/${events[1]}/attendees?maxResults=100${pages.at(-1) ? `&nextToken=${encodeURIComponent(pages.at(-1)!)}` : ''}`, undefined, auth))
      .json<{ nextToken?: string }>();
    if (!page.nextToken) break;
    pages.push(page.nextToken);
  }
  await count('dingtalk-list-100', (i) => call('GET', `${base()}/${events[1]}/attendees?maxResults=100${pages[i % pages.length] ? `&nextToken=${encodeURIComponent(pages[i % pages.length]!)}` : ''}`, undefined, auth));
  await count('dingtalk-patch', (i) => call('PUT', `${base()}/${events[i]}`, JSON.stringify({ id: events[i], summary: `patched ${i}` }), write()));
  await count('dingtalk-delete', (i) => call('DELETE', `${base()}/${events[i]}`, undefined, write()));
} finally {
  await app.close();
  await store.close();
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
