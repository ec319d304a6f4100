// What the core remembers of the directory per process (acting users, the people attendee ids
// name) is remembered per store: two stores in one process (an embedder's, a test's) may name
// different users by the same tenant and unionId.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resolveActingUser } from '../../src/core/acl/access.ts';
import { resolveAttendees } from '../../src/core/attendees/resolve-attendees.ts';
import { findAttendeeUserIds } from '../../src/core/attendees/attendee-user-ids.ts';
import { directoryChanged } from '../../src/core/directory/directory-changes.ts';
import { parseDirectory } from '../../src/core/directory/directory-file.ts';
import { loadDirectory } from '../../src/core/directory/load-directory.ts';
import type { Store } from '../../src/store/store.ts';
import { openTempStore, type TempStore } from '../helpers/sqlite-store.ts';

const DIRECTORY = parseDirectory({ tenants: [{ id: 'twin', name: 'Twin', users: [{ unionId: 'u_twin', name: 'Twin' }, { unionId: 'u_other', name: 'Other' }] }] });
const APP = { tenantId: 'twin', appId: 'app', platform: 'dingtalk' as const, scopes: [], bot: false };

describe('directory memory, two stores in one process', () => {
  let temps: TempStore[] = [];
  before(async () => {
    temps = [await openTempStore('kalends-memory-a-'), await openTempStore('kalends-memory-b-')];
    for (const { store } of temps) await loadDirectory(store, DIRECTORY, Date.now());
  });
  after(async () => {
    for (const temp of temps) await temp.cleanup();
  });

  const ownId = async (store: Store) =>
    (await store.db.selectFrom('users').select('id').where('union_id', '=', 'u_twin').executeTakeFirstOrThrow()).id;

  it('each store resolves an attendee id to its own user', async () => {
    const [a, b] = temps.map((t) => t.store) as [Store, Store];
    assert.notEqual(await ownId(a), await ownId(b));
    const spec = [{ kind: 'user' as const, idType: 'union_id' as const, id: 'u_twin', isOptional: false }];
    for (const store of [a, b, a, b]) {
      const [resolved] = await resolveAttendees(store.db, 'twin', spec);
      assert.equal(resolved?.ref, await ownId(store));
    }
  });

  it('each store resolves the acting user to its own user', async () => {
    const [a, b] = temps.map((t) => t.store) as [Store, Store];
    for (const store of [a, b, a, b]) assert.equal((await resolveActingUser(store.db, APP, 'u_twin')).userId, await ownId(store));
  });
});

describe('directory memory, a change while a lookup runs', () => {
  let temp: TempStore;
  before(async () => {
    temp = await openTempStore('kalends-memory-change-');
    await loadDirectory(temp.store, DIRECTORY, Date.now());
  });
  after(async () => temp?.cleanup());

  it('answers nothing remembered from before the change', async () => {
    const { db } = temp.store;
    assert.equal((await findAttendeeUserIds(db, 'twin', 'union_id', ['u_twin'])).has('u_twin'), true, 'now remembered');
    // u_twin leaves behind the memory's back (as another process would), then a lookup that
    // must query (u_other is not remembered) is under way when this process's change lands.
    await db.updateTable('users').set({ active: 0 }).where('union_id', '=', 'u_twin').execute();
    const lookup = findAttendeeUserIds(db, 'twin', 'union_id', ['u_twin', 'u_other']);
    directoryChanged();
    const found = await lookup;
    assert.equal(found.has('u_twin'), false, 'the user who left is not answered from the old memory');
    assert.equal(found.has('u_other'), true);
  });
});
