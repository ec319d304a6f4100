import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/store.ts';

/** A migrated SQLite store in a new temporary folder, for tests of the store and the core. */
export interface TempStore {
  store: Store;
  /** Closes the store and removes its folder. */
  cleanup(): Promise<void>;
}

export async function openTempStore(prefix: string): Promise<TempStore> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const store = openSqliteStore(dir);
  await migrateToLatest(store);
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
