// Fan-out's insert of the stream pushes it hands to its own connections (deliveries.ts
// insertClaimedDeliveries): the rows it hands over are made from those it inserted and the ids
// the store gave them, not read back, so each must carry the payload stored under its id. A
// Feishu app subscribed to two calendars a change touches gets two pushes of one change; rows
// alike in change, app and event id (none is planned so) still get their own ids. On SQLite and
// on PostgreSQL, in chunks of every size a pass makes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { openStore } from '../../src/store/open-store.ts';
import { insertClaimedDeliveries, type PlannedDelivery } from '../../src/store/repositories/deliveries.ts';
import type { Store } from '../../src/store/store.ts';
import { createDatabase, testDatabaseUrl } from '../helpers/postgres.ts';
import { openTempStore, type TempStore } from '../helpers/sqlite-store.ts';

const planned = (outboxId: number, appId: string, eventId: string | null, payload: string): PlannedDelivery => ({
  tenant_id: 't', app_id: appId, outbox_id: outboxId, event_type: 'calendar.calendar.event.changed_v4', event_id: eventId, url: '',
  transport: 'stream', payload, status: 'sending', attempts: 1, created_at: 1, next_attempt_at: 2,
});

const CASES: Array<[string, PlannedDelivery[]]> = [
  ['two pushes of one change to one app (two calendars), and other apps and changes', [
    planned(1, 'app-a', 'e1', 'p1'), planned(1, 'app-a', 'e2', 'p2'), planned(1, 'app-b', 'e3', 'p3'), planned(2, 'app-a', 'e4', 'p4')]],
  ['rows alike in change, app and event id', [planned(3, 'app-a', null, 'q1'), planned(3, 'app-a', null, 'q2'), planned(3, 'app-b', null, 'q3')]],
  ['a pass of 135 pushes (chunks of 64, 64, 4, 2 and 1)', Array.from({ length: 135 }, (_, i) => planned(100 + i, `app-${i % 3}`, `e-${i}`, `r${i}`))],
];

function suite(name: string, open: () => Promise<{ store: Store; close(): Promise<void> }>): void {
  describe(`claimed deliveries as inserted, ${name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    before(async () => ({ store, close } = await open()));
    after(async () => close?.());
    for (const [title, rows] of CASES) {
      it(title, async () => {
        const handed = await store.transaction((tx) => insertClaimedDeliveries(tx, rows));
        assert.equal(handed.length, rows.length);
        assert.deepEqual(handed.map((d) => d.id), [...handed.map((d) => d.id)].sort((a, b) => a - b), 'handed in id order');
        assert.equal(new Set(handed.map((d) => d.payload)).size, rows.length, 'every planned row handed once');
        const stored = await store.db.selectFrom('deliveries').selectAll().where('id', 'in', handed.map((d) => d.id)).execute();
        const byId = new Map(stored.map((d) => [Number(d.id), d]));
        for (const d of handed) {
          const row = byId.get(d.id);
          assert.ok(row, `delivery ${d.id} is stored`);
          assert.deepEqual({ ...d }, { ...row, id: Number(row.id), outbox_id: Number(row.outbox_id) }, `delivery ${d.id} as handed is as stored`);
        }
      });
    }
  });
}

suite('SQLite', async () => {
  const temp: TempStore = await openTempStore('kalends-deliveries-');
  return { store: temp.store, close: () => temp.cleanup() };
});
suite('PostgreSQL', async () => {
  const store = await openStore({ databaseUrl: await createDatabase(testDatabaseUrl()), poolSize: 2, data: '' });
  await migrateToLatest(store);
  return { store, close: () => store.close() };
});
