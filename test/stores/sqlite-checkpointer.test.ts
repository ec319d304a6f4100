// WAL checkpoints on SQLite run in a background thread (src/store/sqlite-checkpointer.ts): the
// committed pages reach the database file while the store is open, without a COMMIT of the
// serving connection copying them, and every committed row is there after a reopen.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from '../../src/store/sqlite-checkpointer.ts';
import { openSqliteStore, SQLITE_FILE } from '../../src/store/sqlite.ts';

describe('SQLite background checkpoints', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kalends-checkpoint-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('moves committed pages into the database file while the store is open, and keeps them', async () => {
    const store = openSqliteStore(dir);
    const file = path.join(dir, SQLITE_FILE);
    const setting = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db);
    assert.equal(setting.rows[0]!.wal_autocheckpoint, FALLBACK_AUTOCHECKPOINT_PAGES);

    await sql`create table filler (id integer primary key, body text not null)`.execute(store.db);
    const sizeBefore = statSync(file).size;
    // ~2 MiB in 100 commits: under the serving connection's own checkpoint threshold (64 MiB),
    // so only the background thread can have copied it into the file.
    const body = 'x'.repeat(20_000);
    for (let i = 0; i < 100; i++) {
      await store.transaction((tx) => sql`insert into filler (body) values (${body})`.execute(tx));
    }
    let size = statSync(file).size;
    for (let waited = 0; size < sizeBefore + 2_000_000 && waited < 10_000; waited += 50) {
      await sleep(50);
      size = statSync(file).size;
    }
    assert.ok(size >= sizeBefore + 2_000_000, `database file ${size} bytes, ${sizeBefore} before the writes`);
    await store.close();

    const reopened = openSqliteStore(dir);
    const count = await sql<{ n: number }>`select count(*) as n from filler`.execute(reopened.db);
    assert.equal(count.rows[0]!.n, 100);
    await reopened.close();
  });
});
