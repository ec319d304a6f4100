import { LRUCache } from 'lru-cache';
import { storeIdentity, type Db } from '../../store/store.ts';
import { findBotUser, findUserById, findUserByUnionId, type UserRow } from '../../store/repositories/directory.ts';
import { directoryGeneration } from '../directory/directory-changes.ts';
import { DirectoryMemory } from '../directory/directory-memory.ts';

/**
 * The users that calls act as, remembered per process and store (storeIdentity) for 10 s (the
 * 10,000 most recently used), and forgotten at once when this process changes the directory
 * (directory-changes.ts), so a user who left, or an app whose bot was turned off, is refused
 * from the next request on; other processes on the same store (`--workers`) within 10 s.
 * Only users found are remembered. Every call names its actor: DingTalk by the unionId in its
 * path, Feishu by its token (the token's user, or the app's bot); reading that user's row was
 * one query of every request.
 */
// Each store's LRU expires its own entries; the memory as a whole goes only on a change.
const remembered = new DirectoryMemory(() => new WeakMap<object, LRUCache<string, UserRow>>(), Infinity, () => false);

/** The user of `unionId` in the tenant (DingTalk's acting user), whatever their state. */
export function actingUserByUnionId(db: Db, tenantId: string, unionId: string): Promise<UserRow | undefined> {
  return recall(db, `union\u0000${tenantId}\u0000${unionId}`, () => findUserByUnionId(db, tenantId, unionId));
}

/** The user of an internal id (a Feishu user_access_token's user), whatever their state. */
export function actingUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return recall(db, `id\u0000${id}`, () => findUserById(db, id));
}

/** The bot principal of a Feishu app (a tenant_access_token's actor), if it has one. */
export function actingBot(db: Db, appId: string): Promise<UserRow | undefined> {
  return recall(db, `bot\u0000${appId}`, () => findBotUser(db, appId));
}

async function recall(db: Db, key: string, load: () => Promise<UserRow | undefined>): Promise<UserRow | undefined> {
  const memory = remembered.current();
  const store = storeIdentity(db);
  let users = memory.get(store);
  if (!users) memory.set(store, (users = new LRUCache({ max: 10_000, ttl: 10_000 })));
  const known = users.get(key);
  if (known) return known;
  const generation = directoryGeneration();
  const user = await load();
  // Frozen: one remembered row is every later request's actor.user.
  if (user && remembered.mayKeep(memory, generation)) users.set(key, Object.freeze(user));
  return user;
}
