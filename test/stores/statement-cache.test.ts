// The SQLite statement cache (src/store/statement-cache.ts) reads rows in better-sqlite3's raw
// mode and builds the objects itself: the rows Kysely gets must be exactly better-sqlite3's own.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { cachingDatabase } from '../../src/store/statement-cache.ts';

describe('SQLite statement cache', () => {
  const sqlite = new SqliteDatabase(':memory:');
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: cachingDatabase(sqlite) }) });
  after(() => db.destroy());
  sqlite.exec(`create table t (id integer primary key, n integer, r real, s text, b blob);
    insert into t (n, r, s, b) values (9007199254740991, 1.5, 'é', x'00ff'), (null, null, null, null), (-1, 0, '', x'');`);
  const text = 'select t.*, t.s as n, 2 + 2 as "four" from t order by id';

  it('gives the rows better-sqlite3 gives, values, types and column order alike (the last of two same-named columns wins)', async () => {
    const expected = sqlite.prepare(text).all();
    const { rows } = await sql.raw(text).execute(db);
    assert.deepEqual(rows, expected);
    assert.deepEqual(rows.map((row) => Object.keys(row as object)), expected.map((row) => Object.keys(row as object)));
    assert.deepEqual((rows[0] as { n: unknown }).n, 'é');
    assert.ok(Buffer.isBuffer((rows[0] as { b: unknown }).b));
  });

  it('gives the same rows to a streamed query and to a second run of the cached statement', async () => {
    const first = await db.selectFrom('t').selectAll().orderBy('id').execute();
    const streamed = [];
    for await (const row of db.selectFrom('t').selectAll().orderBy('id').stream()) streamed.push(row);
    assert.deepEqual(streamed, first);
    assert.deepEqual(await db.selectFrom('t').selectAll().orderBy('id').execute(), first);
  });

  it('reads the columns a schema change made, after the change ran through the same connection', async () => {
    await sql.raw('create table s (a integer)').execute(db);
    await sql.raw('insert into s (a) values (1)').execute(db);
    assert.deepEqual(await db.selectFrom('s').selectAll().execute(), [{ a: 1 }]);
    await sql.raw('alter table s add column z text').execute(db);
    await sql.raw("update s set z = 'new'").execute(db);
    assert.deepEqual(await db.selectFrom('s').selectAll().execute(), [{ a: 1, z: 'new' }]);
  });

  it('runs writes as before and returns the rows of RETURNING', async () => {
    const inserted = await db.insertInto('t').values({ n: 7, s: 'x' }).returning(['id', 's']).execute();
    assert.deepEqual(inserted, [{ id: 4, s: 'x' }]);
    const updated = await db.updateTable('t').set({ n: 8 }).where('id', '=', 4).executeTakeFirst();
    assert.equal(updated.numUpdatedRows, 1n);
    assert.equal(sqlite.prepare('select n from t where id = 4').pluck().get(), 8);
  });
});
