// Migration 004 on a store that already holds users and attendees: every user gets a distinct
// number, each user attendee its user's number (other kinds none), a user added later the next
// number, and the events a user attends are still found, through the new index. SQLite and
// PostgreSQL.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Migrator, sql } from 'kysely';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { migrationProvider } from '../../src/store/migrations/index.ts';
import { openPostgresStore } from '../../src/store/postgres.ts';
import { queryEvents } from '../../src/store/repositories/events.ts';
import { insertUser } from '../../src/store/repositories/directory.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/store.ts';
import { createDatabase, testDatabaseUrl } from '../helpers/postgres.ts';

const user = (id: string) => ({ id, tenant_id: 't', union_id: `union-${id}`, user_id: null, open_id: null, name: id, email: null, active: 1, bot_app_id: null });
const event = (id: string) => ({
  id, tenant_id: 't', calendar_id: 'c', organizer_id: 'ann', summary: id, description: '', is_all_day: 0,
  start_at: 1000, start_date: null, start_tz: 'UTC', end_at: 2000, end_date: null, end_tz: 'UTC', recurrence: null,
  range_start: 1000, range_end: 2000, status: 'confirmed', change_seq: 1, created_at: 1, updated_at: 1,
});
const attendee = (eventId: string, kind: string, ref: string) => ({ event_id: eventId, kind, ref, is_optional: 0, partstat: 'NEEDS-ACTION', created_at: 1, updated_at: 1 });

/** Fills a store migrated up to 003 the way that schema was written, then migrates to the latest. */
async function upgrade(store: Store): Promise<void> {
  const migrated = await new Migrator({ db: store.db, provider: migrationProvider }).migrateTo('003-users-by-bot-app');
  if (migrated.error) throw migrated.error;
  const db = store.db as unknown as import('kysely').Kysely<any>;
  await db.insertInto('tenants').values({ id: 't', name: 'T' }).execute();
  await db.insertInto('users').values(['ann', 'bob', 'cy'].map(user)).execute();
  await db.insertInto('calendars').values({
    id: 'c', tenant_id: 't', type: 'primary', owner_user_id: 'ann', summary: 'Ann', description: '', time_zone: 'UTC', attributes: '{}', created_at: 1, updated_at: 1, deleted_at: null,
  }).execute();
  await db.insertInto('chats').values({ id: 'chat1', tenant_id: 't', chat_id: 'oc_1', name: 'Chat' }).execute();
  await db.insertInto('events').values([event('e1'), event('e2')]).execute();
  await db.insertInto('attendees').values([attendee('e1', 'user', 'bob'), attendee('e1', 'chat', 'chat1'), attendee('e2', 'user', 'cy')]).execute();
  // 004 first; later migrations (005 on) follow it.
  assert.equal((await migrateToLatest(store))[0], '004-attendees-by-user-number');
}

async function check(store: Store): Promise<void> {
  await upgrade(store);
  const users = await store.db.selectFrom('users').select(['id', 'seq']).orderBy('id').execute();
  const seqs = users.map((u) => Number(u.seq));
  assert.equal(new Set(seqs).size, 3, `distinct numbers: ${seqs.join(', ')}`);
  assert.ok(seqs.every((s) => Number.isInteger(s) && s > 0));
  const bySeq = new Map(users.map((u) => [u.id, Number(u.seq)]));
  const attendees = await store.db.selectFrom('attendees').select(['event_id', 'kind', 'ref', 'user_seq']).orderBy('seq').execute();
  assert.deepEqual(attendees.map((a) => [a.event_id, a.kind, a.user_seq === null ? null : Number(a.user_seq)]),
    [['e1', 'user', bySeq.get('bob')], ['e1', 'chat', null], ['e2', 'user', bySeq.get('cy')]]);

  await store.transaction((tx) => insertUser(tx, user('dee')));
  const dee = await store.db.selectFrom('users').select('seq').where('id', '=', 'dee').executeTakeFirstOrThrow();
  assert.ok(Number(dee.seq) > Math.max(...seqs), `the new user's number ${dee.seq} follows ${Math.max(...seqs)}`);

  const attending = async (userId: string) => (await queryEvents(store.db, {
    tenantId: 't', calendarId: 'none', attendeeUserId: userId, from: null, to: null, includeDeleted: false, changedAfter: null, after: null, limit: 10,
  })).map((e) => e.id);
  assert.deepEqual(await attending('bob'), ['e1']);
  assert.deepEqual(await attending('cy'), ['e2']);
  assert.deepEqual(await attending('dee'), []);
}

describe('migration 004: user numbers', () => {
  it('SQLite: numbers users and user attendees, and finds a user\'s events through attendees_by_user', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kalends-user-numbers-'));
    const store = openSqliteStore(dir);
    try {
      await check(store);
      const plan = await sql<{ detail: string }>`explain query plan select event_id from attendees where user_seq = 1`.execute(store.db);
      assert.ok(plan.rows.some((r) => r.detail.includes('attendees_by_user')), JSON.stringify(plan.rows));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: numbers users and user attendees, and a new user takes the next number', async () => {
    const store = openPostgresStore(await createDatabase(testDatabaseUrl()), 2);
    try {
      await check(store);
    } finally {
      await store.close();
    }
  });
});
