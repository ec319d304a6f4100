// The PostgreSQL connection's round-trip savings keep a transaction's meaning
// (src/store/pg-naming-client.ts): held writes are seen by the transaction's later reads, commit
// and roll back with it, and a failing one fails the transaction; a held idempotency claim of a
// key already there fails with the error the idempotent path recognises; a prepared `select *`
// still answers after another process added a column to its table; BEGIN and COMMIT travel with
// statements (literals quoted as Bind would carry them) and a failure in either message rolls back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { PreparedQuery } from '../../src/store/prepared-query.ts';
import { openPostgresStore } from '../../src/store/postgres.ts';
import { claimOrFailLater, isClaimTaken } from '../../src/store/repositories/idempotency.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import type { Store } from '../../src/store/store.ts';
import { createDatabase, testDatabaseUrl } from '../helpers/postgres.ts';

interface Scratch { id: number; note: string }

// Written through PreparedQuery (named, and held in a transaction) on a table of this test's own.
const insertNote = new PreparedQuery((db, a: { id: number; note: string }) =>
  db.insertInto('scratch' as never).values({ id: a.id, note: a.note } as never), [], { deferrable: true });
const updateNote = new PreparedQuery((db, a: { id: number; note: string }) =>
  db.updateTable('scratch' as never).set({ note: a.note } as never).where('id' as never, '=', a.id as never), [], { deferrable: true });
const readAll = new PreparedQuery((db, a: { from: number }) =>
  db.selectFrom('scratch' as never).selectAll().where('id' as never, '>=', a.from as never).orderBy('id' as never));

/** The texts of the messages pg's clients send from now on, until `restore`. */
function spyOnMessages(): string[] & { restore(): void } {
  const original = pg.Client.prototype.query;
  const sent = Object.assign([] as string[], { restore: () => { pg.Client.prototype.query = original; } });
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    sent.push(typeof first === 'string' ? first : (first as { text: string }).text);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return sent;
}

async function notes(store: Store): Promise<Scratch[]> {
  return (await readAll.rows(store.db, { from: 0 })) as Scratch[];
}

describe('PostgreSQL round trips: held writes and named statements', () => {
  let store: Store;
  let other: Store;

  before(async () => {
    const url = await createDatabase(testDatabaseUrl());
    store = openPostgresStore(url, 4);
    other = openPostgresStore(url, 1);
    await migrateToLatest(store);
    await sql`create table scratch (id integer primary key, note text not null)`.execute(store.db);
  });

  after(async () => {
    await store.close();
    await other.close();
  });

  it('a held write is seen by the next read of its transaction and commits with it', async () => {
    const seen = await store.transaction(async (tx) => {
      await insertNote.run(tx, { id: 1, note: 'one' });
      await updateNote.run(tx, { id: 1, note: 'one, changed' }); // a second write to the table sends the first
      await insertNote.run(tx, { id: 2, note: 'two' });
      return (await readAll.rows(tx, { from: 0 })) as Scratch[];
    });
    assert.deepEqual(seen.map((r) => [r.id, r.note]), [[1, 'one, changed'], [2, 'two']]);
    assert.deepEqual((await notes(store)).map((r) => r.id), [1, 2]);
  });

  it('a transaction that throws leaves none of its held writes', async () => {
    await assert.rejects(store.transaction(async (tx) => {
      await insertNote.run(tx, { id: 10, note: 'never' });
      throw new Error('the write is refused');
    }), /refused/);
    assert.equal((await notes(store)).some((r) => r.id === 10), false);
  });

  it('a held write that fails fails the transaction at its next statement, nothing applied', async () => {
    await assert.rejects(store.transaction(async (tx) => {
      await insertNote.run(tx, { id: 20, note: 'fine' });
      await sql`select 1`.execute(tx); // sends the held insert
      await insertNote.run(tx, { id: 1, note: 'duplicate key' }); // held: accepted for now
      await readAll.rows(tx, { from: 0 });
    }), (error: { code?: string }) => error.code === '23505');
    assert.equal((await notes(store)).some((r) => r.id === 20), false, 'the first write rolled back too');
  });

  it('a held write still pending at COMMIT is sent before it, and a failure there rolls back', async () => {
    await store.transaction(async (tx) => insertNote.run(tx, { id: 30, note: 'last' }));
    assert.ok((await notes(store)).some((r) => r.id === 30 && r.note === 'last'));
    await assert.rejects(store.transaction(async (tx) => {
      await updateNote.run(tx, { id: 30, note: 'changed' });
      await insertNote.run(tx, { id: 30, note: 'duplicate' }); // held beside the update, fails at COMMIT
    }), (error: { code?: string }) => error.code === '23505');
    assert.equal((await notes(store)).find((r) => r.id === 30)?.note, 'last');
  });

  it('a held claim of a key already there fails the transaction with the error isClaimTaken names', async () => {
    const claim = { app_id: 'app', key: 'k1', request_hash: 'h', created_at: Date.now() };
    await store.transaction(async (tx) => assert.equal(await claimOrFailLater(tx, claim), true));
    const error = await store.transaction(async (tx) => {
      await claimOrFailLater(tx, claim);
      await readAll.rows(tx, { from: 0 });
    }).then(() => undefined, (e: unknown) => e);
    assert.equal(isClaimTaken(error), true, String(error));
  });

  it('BEGIN goes with the first statement and COMMIT with the held writes, once prepared on the connection', async () => {
    const single = openPostgresStore(await createDatabase(testDatabaseUrl()), 1); // one connection: prepared after the first run
    await sql`create table scratch (id integer primary key, note text not null)`.execute(single.db);
    const sent = spyOnMessages();
    try {
      const writeAndRead = (id: number, note: string) => single.transaction(async (tx) => {
        await insertNote.run(tx, { id, note });
        const seen = (await readAll.rows(tx, { from: id })) as Scratch[];
        await updateNote.run(tx, { id, note: `${note}, changed` });
        return seen;
      });
      await writeAndRead(1, 'first');
      sent.length = 0;
      const seen = await writeAndRead(2, "it's \\ quoted"); // a quote and a backslash as literals
      assert.deepEqual(seen.map((r) => [r.id, r.note]), [[2, "it's \\ quoted"]]);
      // The held insert goes with BEGIN (before the read, which names its table), the update with COMMIT.
      assert.equal(sent.length, 3, sent.join('\n'));
      assert.match(sent[0]!, /^begin; execute \w+\(/);
      assert.match(sent[1]!, /^select \* from "scratch"/);
      assert.match(sent[2]!, /^execute \w+\(.*\); commit$/s);
      assert.deepEqual((await notes(single)).map((r) => [r.id, r.note]), [[1, 'first, changed'], [2, "it's \\ quoted, changed"]]);
      sent.length = 0;
      assert.equal(await single.transaction(async () => 42), 42);
      assert.deepEqual([...sent], [], 'a transaction that sent nothing sends neither BEGIN nor COMMIT');
      // A failure in either message rolls the whole transaction back and leaves the connection usable.
      await assert.rejects(writeAndRead(1, 'duplicate key'), (error: { code?: string }) => error.code === '23505');
      await assert.rejects(single.transaction(async (tx) => {
        await updateNote.run(tx, { id: 2, note: 'not kept' });
        await readAll.rows(tx, { from: 0 });
        await insertNote.run(tx, { id: 1, note: 'duplicate key, at COMMIT' });
      }), (error: { code?: string }) => error.code === '23505');
      assert.deepEqual((await notes(single)).map((r) => r.note), ['first, changed', "it's \\ quoted, changed"]);
    } finally {
      sent.restore();
      await single.close();
    }
  });

  it('a prepared select * answers after another process adds a column to its table', async () => {
    for (let i = 0; i < 6; i++) await readAll.rows(store.db, { from: 0 }); // prepared on the pool's connections
    await sql`alter table scratch add column extra text`.execute(other.db);
    const rows = (await readAll.rows(store.db, { from: 0 })) as Array<Scratch & { extra: string | null }>;
    assert.ok(rows.length > 0);
    assert.equal(rows[0]!.extra, null);
    const inTransaction = await store.transaction(async (tx) => (await readAll.rows(tx, { from: 0 })).length);
    assert.equal(inTransaction, rows.length);
  });
});
