// Internal ids (src/core/ids.ts) are UUID version 7: ordered by creation, so the rows one write
// makes together — a directory load's users, and through them an invitation's attendees — sit
// side by side in every index keyed by these ids (bench/README.md, add-500).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseDirectory } from '../../src/core/directory/directory-file.ts';
import { loadDirectory } from '../../src/core/directory/load-directory.ts';
import { newId } from '../../src/core/ids.ts';
import type { Store } from '../../src/store/store.ts';
import { openTempStore, type TempStore } from '../helpers/sqlite-store.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('internal ids', () => {
  let temp: TempStore;
  let store: Store;
  before(async () => {
    temp = await openTempStore('kalends-ids-');
    store = temp.store;
  });
  after(async () => temp?.cleanup());

  it('are version-7 UUIDs that sort in the order they were made, within one millisecond too', () => {
    const ids = Array.from({ length: 2_000 }, () => newId());
    for (const id of ids) assert.match(id, UUID_V7);
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });

  it("give a directory load's users ids in the order of the file", async () => {
    const unionIds = Array.from({ length: 300 }, (_, i) => `u_${String(299 - i).padStart(3, '0')}`);
    await loadDirectory(store, parseDirectory({
      tenants: [{ id: 't', name: 'T', users: unionIds.map((unionId) => ({ unionId, name: unionId })) }],
    }), Date.now());
    const rows = await store.db.selectFrom('users').select(['id', 'union_id']).where('tenant_id', '=', 't').orderBy('id').execute();
    assert.deepEqual(rows.map((r) => r.union_id), unionIds);
  });
});
