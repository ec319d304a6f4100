import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { call, range } from '../lib/api.ts';
import { Work, type Bench } from '../lib/bench.ts';
import { dingtalkBatch } from '../lib/directory.ts';
import { startServer, type ServerProcess } from '../lib/server-process.ts';

const BENCH_DIR = path.resolve(import.meta.dirname, '..');

/**
 * Starts bench/servers/NAME.ts on a free loopback port, its data (if any) under `tmp`; the
 * PostgreSQL ceiling in the database of `databaseUrl`.
 */
export function startReference(name: 'baseline' | 'ceiling' | 'pg-ceiling', tmp: string, databaseUrl?: string): Promise<ServerProcess> {
  const data = path.join(tmp, name);
  mkdirSync(data, { recursive: true });
  return startServer({
    name, command: process.execPath, args: ['--import', 'tsx', path.join(BENCH_DIR, 'servers', `${name}.ts`)],
    env: { ...process.env, CEILING_DATA: data, ...(databaseUrl ? { CEILING_DATABASE_URL: databaseUrl } : {}) },
    cwd: path.resolve(BENCH_DIR, '..'), ready: new RegExp(`${name} listening on (http://\\S+)`),
  });
}

/** `baseline-get`: a bare Fastify server's fixed small JSON GET. */
export async function baselineGet(bench: Bench, server: ServerProcess): Promise<void> {
  await bench.measure('baseline-get', server, Work.cycling([{ method: 'GET', path: '/hello' }]), { warmup: true });
}

/**
 * Adds: request i inserts batch ⌊i / events⌋ into event i mod events, so every request inserts
 * rows that are not there yet, spread over many events as Kalends' scenarios are.
 */
function addWork(events: number, batchSize: number, batchesPerEvent: number, prefix: string): Work {
  return new Work(events * batchesPerEvent, (i) => ({
    method: 'POST', path: `/events/${prefix}${i % events}/attendees`,
    body: dingtalkBatch(Math.floor(i / events) * batchSize, batchSize),
  }));
}

/** The ceilings' rows are named `ceiling-…` (SQLite) or `pg-ceiling-…` (PostgreSQL). */
type Prefix = 'ceiling' | 'pg-ceiling';

export async function ceilingAdd1(bench: Bench, server: ServerProcess, prefix: Prefix = 'ceiling'): Promise<void> {
  await bench.measure(`${prefix}-add-1`, server, addWork(200, 1, 4_999, 'a1-'), { warmup: true });
}

export async function ceilingAdd500(bench: Bench, server: ServerProcess, prefix: Prefix = 'ceiling'): Promise<void> {
  await bench.measure(`${prefix}-add-500`, server, addWork(2_000, 500, 10, 'a500-'), { warmup: true });
}

export async function ceilingAdd500c1(bench: Bench, server: ServerProcess, prefix: Prefix = 'ceiling'): Promise<void> {
  await bench.measure(`${prefix}-add-500-c1`, server, addWork(2_000, 500, 10, 'c1-'), { connections: 1 });
}

/** `ceiling-list-100`: every keyset page of 100 of a 5,000-row event, in turn. */
export async function ceilingList100(bench: Bench, server: ServerProcess, prefix: Prefix = 'ceiling'): Promise<void> {
  for (const b of range(10)) await call(server.origin, 'POST', '/events/list/attendees', dingtalkBatch(b * 500, 500));
  const pages = await walkPages((after) => call(server.origin, 'GET', `/events/list/attendees${after ? `?after=${after}` : ''}`));
  if (pages.length !== 50) throw new Error(`the ceiling listed 5,000 rows in ${pages.length} pages of 100, not 50`);
  await bench.measure(`${prefix}-list-100`, server, Work.cycling(pages.map((after) =>
    ({ method: 'GET', path: `/events/list/attendees${after ? `?after=${after}` : ''}` }))), { warmup: true });
}

/** Every page's cursor of a paged list (undefined for the first page), following nextToken. */
export async function walkPages(get: (token: string | undefined) => Promise<{ nextToken?: string }>): Promise<Array<string | undefined>> {
  const tokens: Array<string | undefined> = [undefined];
  for (;;) {
    const page = await get(tokens[tokens.length - 1]);
    if (!page.nextToken) return tokens;
    tokens.push(page.nextToken);
  }
}
