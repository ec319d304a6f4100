// Sync tokens under concurrent writes (src/store/repositories/change-log.ts): writers on several
// events of one tenant never wait for each other on a tenant-wide lock, and a reader syncing in a
// loop with the tokens it gets back never misses an acknowledged change, on PostgreSQL with two
// Kalends processes and on SQLite.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres.ts';
import { nextChangeSeq } from '../../src/store/repositories/change-log.ts';
import type { Store } from '../../src/store/store.ts';
import { ACME, U, buildDirectory } from '../helpers/directory.ts';
import { Dt, getToken, timedEventBody } from '../helpers/dingtalk.ts';
import { createDatabase, testDatabaseUrl } from '../helpers/postgres.ts';
import { startServer, type KalendsServer } from '../helpers/server.ts';

const EVENTS = 16;
const WRITERS = 8; // each owns EVENTS / WRITERS events and writes them in turn
const VERSIONS = 10; // patches per event; then every other event is deleted

/** What the reader knows of an event: the highest version it saw, and whether it saw it deleted. */
interface Seen { version: number; cancelled: boolean }

const versionOf = (summary: string) => Number(/ v(\d+)$/.exec(summary)![1]);

/**
 * Writers patch their own events (summary `… vN`, N rising), spread over `writers`, then delete
 * every other event; meanwhile a reader syncs with the token of its previous sync. Before each
 * sync the reader notes what had been acknowledged; after it, it must know every event at that
 * version or later (a token that skipped a change committed after it was issued fails here).
 */
async function syncUnderWrites(writers: Dt[], reader: Dt): Promise<void> {
  const ids: string[] = [];
  for (let e = 0; e < EVENTS; e++) ids.push((await writers[0]!.createEvent(U.alice, timedEventBody(`sync e${e} v0`))).body.id as string);
  const acked = new Map<string, Seen>(ids.map((id) => [id, { version: 0, cancelled: false }]));
  const seen = new Map<string, Seen>();
  const apply = (events: any[]) => {
    for (const ev of events) {
      if (!acked.has(ev.id)) continue;
      const was = seen.get(ev.id) ?? { version: -1, cancelled: false };
      seen.set(ev.id, { version: Math.max(was.version, versionOf(ev.summary)), cancelled: was.cancelled || ev.status === 'cancelled' });
    }
  };
  const first = await reader.listEvents(U.alice, { maxResults: 100 });
  apply(first.body.events);
  let token = first.body.syncToken as string;
  assert.equal(typeof token, 'string');

  let writing = true;
  let syncs = 0;
  const sync = async () => {
    const expected = new Map([...acked].map(([id, s]) => [id, { ...s }]));
    const r = await reader.listEvents(U.alice, { syncToken: token, maxResults: 100 });
    assert.equal(r.body.nextToken, undefined, 'one page holds every change');
    apply(r.body.events);
    token = r.body.syncToken as string;
    syncs++;
    for (const [id, want] of expected) {
      const got = seen.get(id);
      assert.ok(got && got.version >= want.version, `sync ${syncs}: ${id} acknowledged at v${want.version}, the reader knows v${got?.version}`);
      if (want.cancelled) assert.ok(got.cancelled, `sync ${syncs}: ${id} was deleted and acknowledged, the reader has not seen it`);
    }
  };
  const readerLoop = (async () => {
    while (writing) await sync();
  })();
  await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
    const mine = ids.filter((_, e) => e % WRITERS === w);
    for (let v = 1; v <= VERSIONS; v++) {
      for (const id of mine) {
        const e = ids.indexOf(id);
        const r = await writers[(w + v) % writers.length]!.patchEvent(U.alice, id, { summary: `sync e${e} v${v}` });
        assert.equal(r.statusCode, 200);
        acked.get(id)!.version = v;
      }
    }
    for (const id of mine.filter((id) => ids.indexOf(id) % 2 === 0)) {
      assert.equal((await writers[w % writers.length]!.deleteEvent(U.alice, id)).statusCode, 200);
      acked.get(id)!.cancelled = true;
    }
  }));
  writing = false;
  await readerLoop;
  await sync();
  assert.ok(syncs > 2, `the reader synced while the writers wrote (${syncs} syncs)`);
  // The reader's copy is the final state, event by event.
  for (const [e, id] of ids.entries()) {
    const final = e % 2 === 0 ? { version: VERSIONS, cancelled: true } : { version: VERSIONS, cancelled: false };
    assert.deepEqual(seen.get(id), final, `event ${e}`);
    const stored = await reader.getEvent(U.alice, id);
    assert.equal(versionOf(stored.body.summary), VERSIONS);
    assert.equal(stored.body.status === 'cancelled', final.cancelled);
  }
}

describe('sync tokens under concurrent writes: two Kalends processes on one PostgreSQL', () => {
  let db: string;
  const nodes: KalendsServer[] = [];
  let dts: Dt[];
  let store: Store;
  let sql: pg.Client;

  before(async () => {
    db = await createDatabase(testDatabaseUrl());
    nodes.push(await startServer({ directory: buildDirectory(), databaseUrl: db }));
    nodes.push(await startServer({ databaseUrl: db }));
    const token = await getToken(nodes[0]!.endpoint, ACME.app);
    dts = nodes.map((n) => new Dt(n.endpoint, token));
    store = openPostgresStore(db, 2);
    sql = new pg.Client({ connectionString: db });
    await sql.connect();
  });

  after(async () => {
    await sql?.end();
    await store?.close();
    for (const node of nodes) await node.cleanup();
  });

  it('a reader syncing in a loop sees every acknowledged change of writers on both nodes', async () => {
    await syncUnderWrites(dts, dts[1]!);
  });

  it('a write to another event commits while one transaction is still open, and the open one is synced once it commits', async () => {
    const a = (await dts[0]!.createEvent(U.alice, timedEventBody('held v0'))).body.id as string;
    const b = (await dts[0]!.createEvent(U.alice, timedEventBody('free v0'))).body.id as string;
    const start = await dts[1]!.listEvents(U.alice, { maxResults: 100 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => { opened = resolve; });
    // Event a (its stored id, not DingTalk's rendering) changes in a transaction that stays
    // open, as a write of the core does: its change-log position first, then the row.
    const stored = await sql.query(`SELECT id FROM events WHERE summary = 'held v0'`);
    const held = store.transaction(async (tx) => {
      const touched = await tx.updateTable('events').set({ change_seq: await nextChangeSeq(tx, ACME.tenantId), updated_at: Date.now() })
        .where('id', '=', stored.rows[0].id).executeTakeFirst();
      assert.equal(touched.numUpdatedRows, 1n);
      opened();
      await gate;
    });
    await isOpen;
    try {
      // Event b is written through the API, on the other node. Either its reply comes, or its
      // backend waits on a lock (a tenant-wide serialization point): then the test fails.
      let replied = false;
      const write = dts[1]!.patchEvent(U.alice, b, { summary: 'free v1' }).finally(() => { replied = true; });
      while (!replied) {
        const waiting = await sql.query(`SELECT query FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        assert.equal(waiting.rowCount, 0, `a write to another event waits on a lock: ${JSON.stringify(waiting.rows)}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      assert.equal((await write).statusCode, 200);
      // A token issued now, with a's transaction still open, must not pass over a's change.
      const mid = await dts[0]!.listEvents(U.alice, { syncToken: start.body.syncToken, maxResults: 100 });
      const midIds = mid.body.events.map((e: any) => e.id);
      assert.ok(midIds.includes(b), 'the committed write is synced');
      release();
      await held;
      const next = await dts[0]!.listEvents(U.alice, { syncToken: mid.body.syncToken, maxResults: 100 });
      assert.ok(next.body.events.map((e: any) => e.id).includes(a), 'a change committed after the token was issued is in the next sync');
    } finally {
      release();
      await held;
    }
  });
});

describe('sync tokens under concurrent writes: SQLite', () => {
  let server: KalendsServer;
  let dt: Dt;
  before(async () => {
    server = await startServer({ directory: buildDirectory(), store: 'sqlite' });
    dt = new Dt(server.endpoint, await getToken(server.endpoint, ACME.app));
  });
  after(async () => server?.cleanup());

  it('a reader syncing in a loop sees every acknowledged change of concurrent writers', async () => {
    await syncUnderWrites([dt], dt);
  });
});
