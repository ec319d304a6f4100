// Group commit on SQLite (src/store/sqlite-group-commit.ts): concurrent writes share one
// transaction, each in its own savepoint. A write that fails leaves nothing and fails alone; a
// reply is sent only for committed data; reads never see a batch before its COMMIT.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { PreparedQuery } from '../../src/store/prepared-query.ts';
import { openSqliteStore, SQLITE_FILE } from '../../src/store/sqlite.ts';
import type { Db, Store } from '../../src/store/store.ts';
import { ACME, U, buildDirectory, bulkIds } from '../helpers/directory.ts';
import { Dt, getToken, settle, timedEventBody } from '../helpers/dingtalk.ts';
import { startServer, type KalendsServer } from '../helpers/server.ts';

describe('group commit through the DingTalk API (SQLite)', () => {
  let server: KalendsServer;
  let dt: Dt;
  before(async () => {
    server = await startServer({ directory: buildDirectory(), store: 'sqlite' });
    dt = new Dt(server.endpoint, await getToken(server.endpoint, ACME.app));
  });
  after(async () => server?.cleanup());

  it('concurrent addAttendee calls, some refused: every 2xx kept, every refusal left nothing', async () => {
    const open = (await dt.createEvent(U.alice, timedEventBody('group commit open'))).body.id as string;
    const full = (await dt.createEvent(U.alice, timedEventBody('group commit full'))).body.id as string;
    for (let i = 0; i < 4800; i += 500) await dt.addAttendees(U.alice, full, bulkIds(i, Math.min(i + 500, 4800)));

    // 40 valid adds of one user; 10 naming an unknown user beside a valid one (refused whole);
    // 6 adds of 50 onto an event at 4,800: exactly 4 fit under the 5,000 cap.
    type Call = { kind: 'valid' | 'unknown' | 'cap'; event: string; users: string[]; token: string };
    const calls: Call[] = [];
    for (let i = 0; i < 40; i++) calls.push({ kind: 'valid', event: open, users: bulkIds(i, i + 1), token: `gc-valid-${i}` });
    for (let i = 0; i < 10; i++) calls.push({ kind: 'unknown', event: open, users: [...bulkIds(100 + i, 101 + i), `u_no_such_user_${i}`], token: `gc-unknown-${i}` });
    for (let i = 0; i < 6; i++) calls.push({ kind: 'cap', event: full, users: bulkIds(4800 + 50 * i, 4850 + 50 * i), token: `gc-cap-${i}` });
    calls.sort((a, b) => a.token.length - b.token.length || (a.token < b.token ? -1 : 1)); // interleave kinds
    const results = await Promise.all(calls.map((c) => settle(dt.addAttendees(U.alice, c.event, c.users, { clientToken: c.token }))));
    const status = (r: (typeof results)[number]) => (r.ok ? r.value.statusCode : r.error?.statusCode);
    const kept = calls.filter((_, i) => results[i]!.ok);
    const refused = calls.filter((_, i) => !results[i]!.ok);
    for (const [i, c] of calls.entries()) {
      if (c.kind === 'valid') assert.equal(status(results[i]!), 200, `${c.token}: ${String(results[i]!.ok || results[i]!.error)}`);
      if (c.kind === 'unknown') assert.equal(status(results[i]!), 400, c.token);
      if (c.kind === 'cap') assert.ok([200, 400].includes(status(results[i]!)!), c.token);
    }
    for (const r of refused) assert.equal((results[calls.indexOf(r)] as { error: { code: string } }).error.code, 'invalidParameter', r.token);
    assert.equal(kept.filter((c) => c.kind === 'cap').length, 4, 'exactly 4 of 6 batches of 50 fit from 4,800 to 5,000');

    await server.stop();
    const db = new Database(path.join(server.dataDir, SQLITE_FILE), { readonly: true });
    try {
      // The wire ids are the dialect's; the store's rows are found by summary.
      const internal = (wire: string) => (db.prepare('SELECT id FROM events WHERE summary = ?').get(wire === open ? 'group commit open' : 'group commit full') as { id: string }).id;
      const refsOf = (event: string) => new Set((db.prepare(
        "SELECT u.union_id AS id FROM attendees a JOIN users u ON u.id = a.ref WHERE a.event_id = ? AND a.kind = 'user'",
      ).all(internal(event)) as { id: string }[]).map((r) => r.id));
      const counts = (event: string) => db.prepare('SELECT attendee_count AS kept, (SELECT count(*) FROM attendees a WHERE a.event_id = e.id) AS n FROM events e WHERE e.id = ?').get(internal(event)) as { kept: number; n: number };
      const openRefs = refsOf(open);
      const fullRefs = refsOf(full);
      for (const c of kept) for (const u of c.users) assert.ok((c.event === open ? openRefs : fullRefs).has(u), `${c.token}: ${u} kept`);
      for (const c of refused) for (const u of c.users) assert.ok(!(c.event === open ? openRefs : fullRefs).has(u), `${c.token}: ${u} left nothing`);
      assert.deepEqual(counts(open), { kept: 40, n: 40 });
      assert.deepEqual(counts(full), { kept: 5000, n: 5000 });

      const keys = new Map((db.prepare("SELECT key, state FROM idempotency_keys WHERE key LIKE 'gc-%'").all() as { key: string; state: string }[]).map((r) => [r.key, r.state]));
      for (const c of kept) assert.equal(keys.get(c.token), 'done', `${c.token}: its reply is recorded`);
      for (const c of refused) assert.equal(keys.has(c.token), false, `${c.token}: its claim was rolled back`);

      // Outbox rows are written in the write's transaction: a refused call left none, a kept one its own.
      const told = (event: string) => (db.prepare("SELECT payload FROM outbox WHERE event_id = ? AND topic = 'attendee.added'").all(internal(event)) as { payload: string }[]).map((r) => r.payload).join('\n');
      const userId = (unionId: string) => (db.prepare('SELECT id FROM users WHERE union_id = ?').get(unionId) as { id: string }).id;
      const changes = new Map([[open, told(open)], [full, told(full)]]);
      for (const c of refused) for (const u of c.users.filter((x) => !x.startsWith('u_no_such'))) assert.ok(!changes.get(c.event)!.includes(userId(u)), `${c.token}: no change row names ${u}`);
      for (const c of kept) for (const u of c.users) assert.ok(changes.get(c.event)!.includes(userId(u)), `${c.token}: a change row names ${u}`);
    } finally {
      db.close();
    }
  });
});

describe('group commit inside the store (SQLite)', () => {
  let dir: string;
  let store: Store;
  let file: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kalends-group-commit-'));
    store = openSqliteStore(dir);
    file = path.join(dir, SQLITE_FILE);
    await sql`CREATE TABLE parent (id TEXT PRIMARY KEY)`.execute(store.db);
    await sql`CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent (id))`.execute(store.db);
  });
  after(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (tx: Db, id: string) => sql`INSERT INTO parent (id) VALUES (${id})`.execute(tx);
  const ids = async () => (await sql<{ id: string }>`SELECT id FROM parent ORDER BY id`.execute(store.db)).rows.map((r) => r.id);
  const clear = () => store.transaction((tx) => sql`DELETE FROM parent`.execute(tx));
  const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (e: Error) => `rejected: ${e.message}`);

  it('a read started during a batch waits for its COMMIT and sees all of it; nothing is committed before', async () => {
    await clear();
    const order: string[] = [];
    let uncommittedSeen: number | undefined;
    const first = store.transaction((tx) => insert(tx, 'b')).then(() => order.push('first'));
    const slow = store.transaction(async (tx) => {
      await insert(tx, 'a');
      const other = new Database(file, { readonly: true });
      try {
        const read = ids().then((rows) => order.push(`read ${rows.join(',')}`));
        await new Promise((resolve) => setTimeout(resolve, 30));
        // Both writes are in the batch, neither is committed, and the read is still waiting.
        uncommittedSeen = (other.prepare('SELECT count(*) AS n FROM parent').get() as { n: number }).n;
        order.push('slow done');
        void read;
      } finally {
        other.close();
      }
    }).then(() => order.push('slow'));
    await Promise.all([first, slow]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(uncommittedSeen, 0, 'another connection saw nothing before the COMMIT');
    assert.deepEqual(order, ['slow done', 'first', 'slow', 'read a,b']);
  });

  it('a prepared query runs on the batch inside it, and through the store waits for its COMMIT', async () => {
    // The hot repository queries are prepared (src/store/prepared-query.ts): they must keep the
    // isolation the builder's queries have above.
    type Parents = Kysely<{ parent: { id: string } }>;
    const countParents = new PreparedQuery((db: Db) => (db as unknown as Parents).selectFrom('parent').select((eb) => eb.fn.countAll<number>().as('n')));
    await clear();
    const seen: number[] = [];
    let inside: number | undefined;
    let read: Promise<unknown> | undefined;
    await store.transaction(async (tx) => {
      await insert(tx, 'p');
      inside = Number((await countParents.first(tx, {}))!.n);
      read = countParents.first(store.db, {}).then((row) => seen.push(Number(row!.n)));
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(seen, [], 'the read through the store waits while the batch is open');
    });
    await read;
    assert.equal(inside, 1, 'inside the batch, its own write is seen');
    assert.deepEqual(seen, [1], 'after the COMMIT, the read sees it');
  });

  it('while another connection holds the write lock, a write waits for it without stopping the event loop, and reads go on', async () => {
    // The delivery thread's connection, or another process's (--workers), holds the lock. SQLite's
    // busy handler would sleep on this thread until the lock is free or the busy timeout (5 s) ends.
    await clear();
    await store.transaction((tx) => insert(tx, 'before'));
    const other = new Database(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      other.exec("INSERT INTO parent (id) VALUES ('other')");
      const order: string[] = [];
      const write = store.transaction((tx) => insert(tx, 'mine')).then(() => order.push('write'));
      const started = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 30));
      const waited = performance.now() - started;
      assert.ok(waited < 1_000, `a 30 ms timer fired after ${Math.round(waited)} ms: the event loop was held`);
      assert.deepEqual(await ids(), ['before'], 'a read goes on, and sees neither uncommitted write');
      assert.deepEqual(order, [], 'the write waits for the lock');
      other.exec('COMMIT');
      await write;
      assert.deepEqual(await ids(), ['before', 'mine', 'other']);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
  });

  it('when the write lock stays taken for the whole busy timeout, every write waiting for it fails; later ones succeed', async () => {
    await clear();
    const other = new Database(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      const outcomes = await Promise.all(['x', 'y', 'z'].map((id) => outcome(store.transaction((tx) => insert(tx, id)))));
      assert.deepEqual(outcomes, Array(3).fill('rejected: database is locked'), 'each waited for the lock, then failed with SQLite\'s error');
      other.exec('ROLLBACK');
      await store.transaction((tx) => insert(tx, 'after'));
      assert.deepEqual(await ids(), ['after']);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
  });

  it('failures in a batch: each rejects with its own error and leaves nothing; the others commit', async () => {
    await clear();
    const outcomes = await Promise.all([
      outcome(store.transaction((tx) => insert(tx, '1'))),
      outcome(store.transaction(async (tx) => {
        await insert(tx, '2');
        throw new Error('refused 2');
      })),
      outcome(store.transaction((tx) => insert(tx, '3'))),
      outcome(store.transaction(async (tx) => {
        await insert(tx, '4');
        await insert(tx, '1'); // unique violation: 1 is in the batch already
      })),
      outcome(store.transaction((tx) => insert(tx, '5'))),
    ]);
    assert.deepEqual(outcomes.slice(0, 3), ['ok', 'rejected: refused 2', 'ok']);
    assert.match(outcomes[3]!, /^rejected: UNIQUE constraint failed/);
    assert.equal(outcomes[4], 'ok');
    assert.deepEqual(await ids(), ['1', '3', '5']);
  });

  it('when SQLite rolls the whole transaction back, the earlier writes of the batch reject and the later ones run in a new transaction', async () => {
    await clear();
    const outcomes = await Promise.all([
      outcome(store.transaction((tx) => insert(tx, '1'))),
      outcome(store.transaction(async (tx) => {
        await insert(tx, '2');
        await sql`ROLLBACK`.execute(tx); // what SQLite does on SQLITE_FULL, SQLITE_IOERR, …
        throw new Error('disk full');
      })),
      outcome(store.transaction((tx) => insert(tx, '3'))),
      outcome(store.transaction(async (tx) => {
        await insert(tx, '4');
        throw new Error('refused 4'); // in a transaction again: its write is undone
      })),
    ]);
    assert.match(outcomes[0]!, /^rejected: the transaction was rolled back/);
    assert.deepEqual(outcomes.slice(1), ['rejected: disk full', 'ok', 'rejected: refused 4']);
    assert.deepEqual(await ids(), ['3']);
  });

  it('when the COMMIT fails, every write of the batch rejects and nothing is kept', async () => {
    await clear();
    const outcomes = await Promise.all([
      outcome(store.transaction((tx) => insert(tx, '1'))),
      outcome(store.transaction(async (tx) => {
        // A foreign key checked only at COMMIT (https://www.sqlite.org/pragma.html#pragma_defer_foreign_keys).
        await sql`PRAGMA defer_foreign_keys = ON`.execute(tx);
        await sql`INSERT INTO child (id, parent_id) VALUES ('c', 'missing')`.execute(tx);
      })),
      outcome(store.transaction((tx) => insert(tx, '3'))),
    ]);
    for (const o of outcomes) assert.match(o, /FOREIGN KEY constraint failed/);
    assert.deepEqual(await ids(), []);
    await store.transaction((tx) => insert(tx, 'after'));
    assert.deepEqual(await ids(), ['after'], 'the store goes on after a failed COMMIT');
  });
});
