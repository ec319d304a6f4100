// Nothing lost: a writer load through the official SDK, the server killed with SIGKILL
// mid-load and restarted on the same data; every mutation that got a 2xx is there, none is
// half-applied, and the store is intact. Then the same under SIGTERM (graceful), and a backup.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { ACME, buildDirectory, bulkIds, U } from '../helpers/directory.ts';
import { Dt, getToken, settle, timedEventBody, uniqueToken } from '../helpers/dingtalk.ts';
import { createDatabase, testDatabaseUrl } from '../helpers/postgres.ts';
import { makeTmpDir, spawnKalends, startServer, stopProc, type KalendsServer } from '../helpers/server.ts';
import { migrationProvider } from '../../src/store/migrations/index.ts';

const BATCH = 10;
const KILLS = 3;

interface Load {
  /** Batches whose addAttendee got a 2xx. */
  acknowledged: string[][];
  /** Every batch sent, answered or not. */
  sent: string[][];
}

/** Adds batches of BATCH fresh users from several concurrent writers until stopped. */
function startLoad(server: KalendsServer, token: string, eventId: string, firstUser: number): { stop(): Promise<Load> } {
  const load: Load = { acknowledged: [], sent: [] };
  let next = firstUser;
  let running = true;
  const writers = Array.from({ length: 4 }, async () => {
    const dt = new Dt(server.endpoint, token);
    while (running) {
      const batch = bulkIds(next, next + BATCH);
      next += BATCH;
      load.sent.push(batch);
      const r = await settle(dt.addAttendees(U.alice, eventId, batch, { clientToken: uniqueToken('dur') }));
      if (!r.ok) break; // the server is gone: this writer stops
      load.acknowledged.push(batch);
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(writers);
      return load;
    },
  };
}

async function attendeeIds(server: KalendsServer, token: string, eventId: string): Promise<Set<string>> {
  const dt = new Dt(server.endpoint, token);
  const seen = new Set<string>();
  let nextToken: string | undefined;
  do {
    const r = await dt.listAttendees(U.alice, eventId, { maxResults: 500, ...(nextToken ? { nextToken } : {}) });
    for (const a of r.body.attendees ?? []) seen.add(a.id);
    nextToken = r.body.nextToken;
  } while (nextToken);
  return seen;
}

function checkNothingLost(load: Load, present: Set<string>): void {
  for (const batch of load.acknowledged) for (const id of batch) assert.ok(present.has(id), `acknowledged attendee ${id} is missing`);
  for (const batch of load.sent) {
    const count = batch.filter((id) => present.has(id)).length;
    assert.ok(count === 0 || count === batch.length, `batch ${batch[0]}… is half-applied (${count}/${batch.length})`);
  }
}

async function storeIntact(server: KalendsServer): Promise<void> {
  if (server.databaseUrl) {
    const client = new pg.Client({ connectionString: server.databaseUrl });
    await client.connect();
    try {
      const r = await client.query('SELECT name FROM kysely_migration ORDER BY name');
      assert.deepEqual(r.rows.map((row) => row.name), Object.keys(await migrationProvider.getMigrations()).sort());
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(path.join(server.dataDir, 'kalends.sqlite'), { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    db.close();
  }
}

for (const store of ['sqlite', 'postgres'] as const) {
  describe(`durability on ${store}`, () => {
    let server: KalendsServer;
    after(async () => server?.cleanup());

    it(`every 2xx survives ${KILLS} SIGKILLs mid-load; no batch is half-applied`, async () => {
      server = await startServer({ directory: buildDirectory(), store, ...(store === 'postgres' ? { databaseUrl: await createDatabase(testDatabaseUrl()) } : {}) });
      let token = await getToken(server.endpoint, ACME.app);
      const eventId = (await new Dt(server.endpoint, token).createEvent(U.alice, timedEventBody('durable'))).body.id as string;
      const all: Load = { acknowledged: [], sent: [] };
      for (let kill = 0; kill < KILLS; kill++) {
        const load = startLoad(server, token, eventId, kill * 1500);
        await new Promise((resolve) => setTimeout(resolve, 400 + 200 * kill));
        await server.kill();
        const result = await load.stop();
        all.acknowledged.push(...result.acknowledged);
        all.sent.push(...result.sent);
        await server.restart();
        token = await getToken(server.endpoint, ACME.app);
        checkNothingLost(all, await attendeeIds(server, token, eventId));
      }
      assert.ok(all.acknowledged.length > 0, 'the load got replies before the kills');
      process.stdout.write(`# durability ${store}: ${all.sent.length} batches sent, ${all.acknowledged.length} acknowledged, ${KILLS} kills, lost 0\n`);
      await server.stop();
      await storeIntact(server);
    });

    it('SIGTERM under load: requests in flight finish and every 2xx is kept', async () => {
      await server.restart();
      const token = await getToken(server.endpoint, ACME.app);
      const eventId = (await new Dt(server.endpoint, token).createEvent(U.alice, timedEventBody('graceful'))).body.id as string;
      const load = startLoad(server, token, eventId, 4600);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(await server.stop(), 0, 'exit code 0 after SIGTERM');
      const result = await load.stop();
      await server.restart();
      checkNothingLost(result, await attendeeIds(server, await getToken(server.endpoint, ACME.app), eventId));
      assert.ok(result.acknowledged.length > 0);
    });
  });
}

describe('kalends backup', () => {
  it('copies a running SQLite store consistently', async () => {
    const server = await startServer({ directory: buildDirectory({ bulk: false }), store: 'sqlite' });
    try {
      const token = await getToken(server.endpoint, ACME.app);
      const dt = new Dt(server.endpoint, token);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await dt.createEvent(U.alice, timedEventBody(`backup ${i}`))).body.id as string);
      const out = path.join(await makeTmpDir(), 'copy.sqlite');
      const backup = spawnKalends(['backup', '--data', server.dataDir, '--out', out]);
      assert.equal(await stopProcWhenDone(backup), 0, backup.stderr());
      const copy = new Database(out, { readonly: true });
      try {
        assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
        const n = copy.prepare("SELECT count(*) AS n FROM events WHERE summary LIKE 'backup %'").get() as { n: number };
        assert.equal(n.n, 5);
      } finally {
        copy.close();
      }
    } finally {
      await server.cleanup();
    }
  });
});

async function stopProcWhenDone(proc: ReturnType<typeof spawnKalends>): Promise<number | null> {
  const { code } = await proc.exited;
  return code ?? (await stopProc(proc));
}
