// The scaled store of `npm run bench -- --scale`: a Kalends store prepared by Kalends' own code
// (migrations, the directory load), then filled with set-based SQL — not through the API — with
// one tenant's events and attendees, row for row as the API writes them (see bench/README.md).
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { parseDirectory } from '../../src/core/directory/directory-file.ts';
import { loadDirectory } from '../../src/core/directory/load-directory.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { openStore } from '../../src/store/open-store.ts';
import { SQLITE_FILE } from '../../src/store/sqlite.ts';
import { unionId } from './directory.ts';

/** Where a store lives: a SQLite data directory, or a PostgreSQL database. */
export type StoreLocation = { kind: 'sqlite'; dataDir: string } | { kind: 'postgres'; url: string };

export interface FillSize {
  events: number;
  /** Attendee rows per filled event (5: 5,000,000 rows for 1,000,000 events). */
  attendeesPerEvent: number;
}

/** The store: 1,000,000 events, 5,000,000 attendee rows (the tenant has 50,000 users). */
export const FULL_FILL: FillSize = { events: 1_000_000, attendeesPerEvent: 5 };
export const SCALE_USERS = 50_000;
/**
 * The fill's events are organized by and attended by users u_12000 … u_49999 only: the users
 * the measured rows use (below 12,000) have the same calendars on both stores, so a scaled row
 * does the same work as its empty-store row, among a million events of the same tenant.
 */
export const FILL_FIRST_USER = 12_000;

const TENANT = 'bench';
/** Filled events start on one of 1,461 days from 2029-01-01 (UTC+8), 08:00–18:00 local, for an hour. */
const FIRST_DAY = Date.parse('2029-01-01T00:00:00+08:00');
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Open-ended series: range_end as the API stores it (events.ts' 8.64e15). */
const OPEN_END = 8_640_000_000_000_000;
/** Every 20th filled event is a daily series without end, as DingTalk's createEvent stores one. */
const SERIES_EVERY = 20;
const DAILY_RULE = 'FREQ=DAILY;INTERVAL=1';
const DAILY_DETAILS = JSON.stringify({ dingtalk: { recurrence: { rule: DAILY_RULE, given: { pattern: { type: 'daily', interval: 1 }, range: { type: 'noEnd' } } } } });
/** When the filled rows were written (ms): before the bench's own rows. */
const CREATED = Date.parse('2026-01-01T00:00:00Z');
/** Events per transaction of the fill. */
const CHUNK = 50_000;

/** Applies the migrations and loads the directory file, as `kalends start` does. */
export async function prepareStore(location: StoreLocation, directoryFile: string): Promise<void> {
  const store = await openStore(location.kind === 'sqlite'
    ? { databaseUrl: undefined, poolSize: 1, data: location.dataDir }
    : { databaseUrl: location.url, poolSize: 2, data: '' });
  try {
    await migrateToLatest(store);
    await loadDirectory(store, parseDirectory(JSON.parse(readFileSync(directoryFile, 'utf8')) as unknown), Date.now());
  } finally {
    await store.close();
  }
}

export interface FillReport {
  seconds: number;
  /** Bytes the store takes on disk after the fill (SQLite: the file; PostgreSQL: the database). */
  bytes: number;
}

/** The parameters every fill statement shares. */
interface FillPlan {
  size: FillSize;
  /** How many users organize and attend the filled events. */
  fillUsers: number;
  /** Attendee j of event i is fill user (i mod fillUsers + 1 + j × step) mod fillUsers: never the organizer, never twice. */
  step: number;
}

function plan(size: FillSize, users: number): FillPlan {
  const fillUsers = users - FILL_FIRST_USER;
  const step = Math.floor((fillUsers - 1) / Math.max(1, size.attendeesPerEvent));
  if (fillUsers <= size.attendeesPerEvent || step < 1) throw new Error(`too few users (${users}) to fill events of ${size.attendeesPerEvent} attendees`);
  return { size, fillUsers, step };
}

/**
 * Fills the store with `size.events` events of the bench tenant on the primary calendars of
 * users u_12000 and up (and their legacy ids, by the schema's trigger), each with
 * `size.attendeesPerEvent` user attendees, and moves the change log past them. `users` is how
 * many users the directory gave the tenant.
 */
export async function fillStore(location: StoreLocation, size: FillSize, users: number, log: (line: string) => void): Promise<FillReport> {
  const t0 = performance.now();
  const p = plan(size, users);
  const bytes = location.kind === 'sqlite' ? fillSqlite(location.dataDir, p, log) : await fillPostgres(location.url, p, log);
  return { seconds: (performance.now() - t0) / 1000, bytes };
}

// The filled event i, in SQL over i: its id (a UUID-shaped internal id, in creation order like
// the v7 ids Kalends gives), its start, and whether it is a series.
const startSql = `${FIRST_DAY} + ((i * 7919) % 1461) * ${DAY} + ${8 * HOUR} + ((i * 31) % 40) * ${HOUR / 4}`;

function fillSqlite(dataDir: string, p: FillPlan, log: (line: string) => void): number {
  const file = path.join(dataDir, SQLITE_FILE);
  const db = new SqliteDatabase(file);
  try {
    // A throwaway store: no journal while filling (a crash loses the store, not a user's data).
    // Kalends puts the file back in WAL mode when it opens it.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -524288');
    db.pragma('temp_store = MEMORY');
    for (const statement of FILL_USERS) db.exec(statement);
    const id = `printf('018f%04x-%04x-7000-8000-%012x', i >> 16, i & 65535, i)`;
    const base = Number((db.prepare(`insert into change_log (tenant_id, seq) values (?, ?)
      on conflict (tenant_id) do update set seq = seq + excluded.seq returning seq`).get(TENANT, p.size.events) as { seq: number }).seq) - p.size.events;
    const events = db.prepare(`with recursive n(i) as (select cast(? as integer) union all select i + 1 from n where i + 1 < ?)
      insert into events (id, tenant_id, calendar_id, organizer_id, summary, description, is_all_day, start_at, start_date, start_tz,
        end_at, end_date, end_tz, recurrence, range_start, range_end, status, details, attendee_count, change_seq,
        created_at, updated_at, deleted_at, series_master_id, original_start)
      select ${id}, '${TENANT}', u.calendar_id, u.user_id, 'Filled ' || i, '', 0, ${startSql}, null, 'Asia/Shanghai',
        ${startSql} + ${HOUR}, null, 'Asia/Shanghai', case when i % ${SERIES_EVERY} = 0 then '${DAILY_RULE}' end,
        ${startSql}, case when i % ${SERIES_EVERY} = 0 then ${OPEN_END} else ${startSql} + ${HOUR} end, 'confirmed',
        case when i % ${SERIES_EVERY} = 0 then '${DAILY_DETAILS}' else '{}' end, ${p.size.attendeesPerEvent}, ${base} + i + 1,
        ${CREATED} + i, ${CREATED} + i, null, null, null
      from n join fill_users u on u.k = i % ${p.fillUsers} order by i`);
    const attendees = db.prepare(`with recursive n(i) as (select cast(? as integer) union all select i + 1 from n where i + 1 < ?),
        j(j) as (select 0 union all select j + 1 from j where j + 1 < ${p.size.attendeesPerEvent})
      insert into attendees (event_id, kind, ref, user_seq, is_optional, partstat, created_at, updated_at)
      select ${id}, 'user', u.user_id, u.user_seq, 0, ${partstatSql}, ${CREATED} + i, ${CREATED} + i
      from n join j join fill_users u on u.k = (i % ${p.fillUsers} + 1 + j * ${p.step}) % ${p.fillUsers} order by i, j`);
    const chunk = db.transaction((from: number, to: number) => {
      events.run(from, to);
      attendees.run(from, to);
    });
    inChunks(p, log, (from, to) => chunk(from, to));
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  return statSync(file).size;
}

const partstatSql = `case (i + j) % 4 when 0 then 'ACCEPTED' when 1 then 'DECLINED' when 2 then 'TENTATIVE' else 'NEEDS-ACTION' end`;

/** fill_users (k, user_id, user_seq, calendar_id): the k-th user from u_12000 on, with their primary calendar. */
const FILL_USERS = [
  'create temp table fill_users (k integer primary key, user_id text not null, user_seq bigint not null, calendar_id text not null)',
  `insert into fill_users (k, user_id, user_seq, calendar_id)
    select row_number() over (order by u.union_id) - 1, u.id, u.seq, c.id
    from users u join calendars c on c.owner_user_id = u.id and c.type = 'primary'
    where u.tenant_id = '${TENANT}' and u.bot_app_id is null and u.union_id >= '${unionId(FILL_FIRST_USER)}'`,
];

function inChunks(p: FillPlan, log: (line: string) => void, f: (from: number, to: number) => void | Promise<void>): Promise<void> | void {
  const t0 = performance.now();
  const report = (to: number) => {
    if (to % (CHUNK * 4) === 0 || to === p.size.events) {
      log(`    filled ${to.toLocaleString('en')} events, ${(to * p.size.attendeesPerEvent).toLocaleString('en')} attendees in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  };
  const step = (from: number): Promise<void> | void => {
    for (; from < p.size.events; from += CHUNK) {
      const to = Math.min(p.size.events, from + CHUNK);
      const done = f(from, to);
      if (done instanceof Promise) return done.then(() => { report(to); return step(to); });
      report(to);
    }
  };
  return step(0);
}

async function fillPostgres(url: string, p: FillPlan, log: (line: string) => void): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of FILL_USERS) await client.query(statement);
    const id = `'018f' || lpad(to_hex(i >> 16), 4, '0') || '-' || lpad(to_hex(i & 65535), 4, '0') || '-7000-8000-' || lpad(to_hex(i), 12, '0')`;
    // The change-log position a write's transaction gives its changes (change-log.ts: the
    // transaction id + 2^40): every filled event of a chunk carries its chunk's, as the events
    // of one API transaction share theirs; all are below any token issued after the fill.
    const position = `pg_current_xact_id()::text::bigint + ${2 ** 40}`;
    await inChunks(p, log, async (from, to) => {
      await client.query('begin');
      await client.query(`insert into events (id, tenant_id, calendar_id, organizer_id, summary, description, is_all_day, start_at, start_date, start_tz,
          end_at, end_date, end_tz, recurrence, range_start, range_end, status, details, attendee_count, change_seq,
          created_at, updated_at, deleted_at, series_master_id, original_start)
        select ${id}, '${TENANT}', u.calendar_id, u.user_id, 'Filled ' || i, '', 0, ${startSql}, null, 'Asia/Shanghai',
          ${startSql} + ${HOUR}, null, 'Asia/Shanghai', case when i % ${SERIES_EVERY} = 0 then '${DAILY_RULE}' end,
          ${startSql}, case when i % ${SERIES_EVERY} = 0 then ${OPEN_END} else ${startSql} + ${HOUR} end, 'confirmed',
          case when i % ${SERIES_EVERY} = 0 then '${DAILY_DETAILS}' else '{}' end, ${p.size.attendeesPerEvent}, ${position},
          ${CREATED} + i, ${CREATED} + i, null, null, null
        from generate_series($1::bigint, $2::bigint - 1) as i join fill_users u on u.k = i % ${p.fillUsers} order by i`, [from, to]);
      await client.query(`insert into attendees (event_id, kind, ref, user_seq, is_optional, partstat, created_at, updated_at)
        select ${id}, 'user', u.user_id, u.user_seq, 0, ${partstatSql}, ${CREATED} + i, ${CREATED} + i
        from generate_series($1::bigint, $2::bigint - 1) as i cross join generate_series(0, ${p.size.attendeesPerEvent - 1}) as j
        join fill_users u on u.k = (i % ${p.fillUsers} + 1 + j * ${p.step}) % ${p.fillUsers} order by i, j`, [from, to]);
      await client.query('commit');
    });
    // What autovacuum does on its own soon after a bulk insert (statistics, the visibility map).
    const t0 = performance.now();
    await client.query('vacuum analyze');
    log(`    vacuum analyze in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const { rows } = await client.query<{ bytes: string }>('select pg_database_size(current_database()) as bytes');
    return Number(rows[0]!.bytes);
  } finally {
    await client.end();
  }
}
