// Outbox messages are claimed by exactly one dispatcher, however many claim at once: on
// PostgreSQL with FOR UPDATE SKIP LOCKED across connection pools (as on several nodes); on
// SQLite, where a fan-out plans its pass by reading and writes it only for the messages still
// pending in its write transaction, across connections to one file (a server's delivery thread,
// --workers processes).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { fanOut } from '../../src/core/outbox/fan-out.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { CALLBACK_FORMATS } from '../../src/workers/dispatcher.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { openPostgresStore } from '../../src/store/postgres.ts';
import { enqueue, lockPending, markDone } from '../../src/store/repositories/outbox.ts';
import type { Store } from '../../src/store/store.ts';
import { createDatabase, testDatabaseUrl } from '../helpers/postgres.ts';

const MESSAGES = 1000;
const DISPATCHERS = 4;

async function claimAll(stores: Store[]): Promise<number[][]> {
  return Promise.all(stores.map(async (store) => {
    const mine: number[] = [];
    for (;;) {
      const batch = await store.transaction(async (tx) => {
        const taken = await lockPending(tx, 25);
        await markDone(tx, taken);
        return taken;
      });
      if (batch.length === 0) return mine;
      mine.push(...batch.map((m) => m.id));
    }
  }));
}

async function fill(store: Store): Promise<void> {
  await migrateToLatest(store);
  const rows = Array.from({ length: MESSAGES }, (_, i) => ({
    tenant_id: 't', topic: 'attendee.added', channel: 'push', recipient_id: `u${i}`, event_id: 'e', payload: '{}',
  }));
  for (let i = 0; i < rows.length; i += 250) await store.transaction((tx) => enqueue(tx, rows.slice(i, i + 250), Date.now()));
}

function checkExactlyOnce(claims: number[][]): void {
  const all = claims.flat();
  assert.equal(all.length, MESSAGES, 'every message claimed');
  assert.equal(new Set(all).size, MESSAGES, 'no message claimed twice');
  assert.ok(claims.filter((c) => c.length > 0).length > 1, 'the work was shared between dispatchers');
}

describe('outbox claiming', () => {
  it(`PostgreSQL: ${DISPATCHERS} dispatchers on their own pools claim ${MESSAGES} messages exactly once`, async () => {
    const url = await createDatabase(testDatabaseUrl());
    const stores = Array.from({ length: DISPATCHERS }, () => openPostgresStore(url, 2));
    try {
      await fill(stores[0]!);
      checkExactlyOnce(await claimAll(stores));
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it(`SQLite: ${DISPATCHERS} fan-outs on their own connections to one file make each message's inbox message once`, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kalends-fan-out-'));
    const stores = Array.from({ length: DISPATCHERS }, (_, i) => openSqliteStore(dir, { checkpoints: i === 0 }));
    try {
      await fill(stores[0]!);
      const handled = await Promise.all(stores.map(async (store) => {
        let messages = 0;
        for (;;) {
          const pass = await fanOut(store, CALLBACK_FORMATS, Date.now(), 25);
          if (pass.messages === 0) return messages;
          messages += pass.messages;
        }
      }));
      const db = stores[0]!.db;
      const made = (await sql<{ n: number; outboxes: number }>`SELECT count(*) AS n, count(DISTINCT outbox_id) AS outboxes FROM inbox_messages`.execute(db)).rows[0]!;
      assert.equal(made.outboxes, MESSAGES, 'every message made its inbox message');
      assert.equal(made.n, MESSAGES, 'no message made two');
      assert.equal(handled.reduce((a, b) => a + b, 0), MESSAGES, 'each message counted by the one fan-out that wrote it');
      const pending = (await sql<{ n: number }>`SELECT count(*) AS n FROM outbox`.execute(db)).rows[0]!;
      assert.equal(pending.n, 0, 'every notice row settled');
    } finally {
      for (const s of stores) await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
