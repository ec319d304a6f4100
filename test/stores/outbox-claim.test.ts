// Outbox messages are claimed by exactly one dispatcher, however many claim at once: on
// PostgreSQL with FOR UPDATE SKIP LOCKED across connection pools (as on several nodes). (On
// SQLite a claim runs in a write transaction, which holds the file's write lock: exclusive.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
});
