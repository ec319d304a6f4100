import { storeIdentity, type Db } from '../../store/store.ts';
import { findActiveUserIds, type ActiveUserId } from '../../store/repositories/directory.ts';
import { directoryGeneration } from '../directory/directory-changes.ts';
import { DirectoryMemory } from '../directory/directory-memory.ts';
import type { UserIdType } from './attendee.ts';

/** How long (ms) found people are remembered, and how many at most. */
const REMEMBER_MS = 10_000;
const MAX_REMEMBERED = 20_000;

/** Per store (storeIdentity), per tenant, per id type: person by the id as given; and how many. */
interface Remembered {
  stores: WeakMap<object, Map<string, Record<UserIdType, Map<string, ActiveUserId>>>>;
  size: number;
}

/**
 * The people (active, not bots) that attendee ids name, remembered per process and store, as
 * the acting users are (acting-users.ts): for at most 10 s (all forgotten together every 10 s,
 * or past 20,000), and at once when this process changes the directory (directory-changes.ts),
 * so a user who left is refused from the next request on; other processes on the same store
 * (`--workers`) refuse them within 10 s. Only people found are remembered: an unknown id is
 * asked of the store every time.
 *
 * Why: a 500-attendee add spent ~0.6 ms of SQLite finding its 500 people by unionId
 * (`bench/micro.ts --sql --only add-500`), about a tenth of the call.
 */
const remembered = new DirectoryMemory<Remembered>(() => ({ stores: new WeakMap(), size: 0 }), REMEMBER_MS, (m) => m.size > MAX_REMEMBERED);

/**
 * The active people of `tenantId` among `ids` (of one id type), by the id as given; ids of
 * no such person are absent. One query for those not remembered. The answer is usually the
 * remembered map itself (it may hold other ids too, and only ever gains entries); if the
 * directory changed while the query ran, it is a map of a second query of all `ids`, so
 * nothing remembered from before the change is answered.
 */
export async function findAttendeeUserIds(db: Db, tenantId: string, idType: UserIdType, ids: readonly string[]): Promise<ReadonlyMap<string, ActiveUserId>> {
  const memory = remembered.current();
  const store = storeIdentity(db);
  let tenants = memory.stores.get(store);
  if (!tenants) memory.stores.set(store, (tenants = new Map()));
  let tenant = tenants.get(tenantId);
  if (!tenant) tenants.set(tenantId, (tenant = { union_id: new Map(), open_id: new Map(), user_id: new Map() }));
  const known = tenant[idType];
  const missing = new Set<string>();
  for (const id of ids) if (!known.has(id)) missing.add(id);
  if (missing.size === 0) return known;
  const generation = directoryGeneration();
  const found = await findActiveUserIds(db, tenantId, idType, [...missing]);
  if (remembered.mayKeep(memory, generation)) {
    for (const user of found) known.set(user.given!, user);
    memory.size += found.length;
    return known;
  }
  // The directory changed (or the memory was renewed) meanwhile: what was remembered may be
  // stale, so every id is asked again and nothing is remembered.
  const again = await findActiveUserIds(db, tenantId, idType, [...new Set(ids)]);
  return new Map(again.map((u) => [u.given!, u]));
}
