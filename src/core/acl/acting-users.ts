import { LRUCache } from 'lru-cache';
import { storeIdentity, type Db } from '../../store/store.ts';
import { findBotUser, findUserById, findUserByUnionId, type UserRow } from '../../store/repositories/directory.ts';
import { directoryGeneration, onDirectoryChange } from '../directory/directory-changes.ts';

/**
 * The users that calls act as, remembered per process and store (storeIdentity) for 10 s (the
 * 10,000 most recently used), and forgotten at once when this process changes the directory
 * (directory-changes.ts), so a user who left, or an app whose bot was turned off, is refused
 * from the next request on; other processes on the same store (`--workers`) within 10 s.
 * Only users found are remembered. Every call names its actor: DingTalk by the unionId in its
 * path, Feishu by its token (the token's user, or the app's bot); reading that user's row was
 * one query of every request.
 */
let remembered = new WeakMap<object, LRUCache<string, UserRow>>();
onDirectoryChange(() => {
  remembered = new WeakMap();
});

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
  const memory = remembered;
  let users = memory.get(storeIdentity(db));
  if (!users) memory.set(storeIdentity(db), (users = new LRUCache({ max: 10_000, ttl: 10_000 })));
  const known = users.get(key);
  if (known) return known;
  const generation = directoryGeneration();
  const user = await load();
  // A lookup that began before a directory change must not put the old row back.
  // Frozen: one remembered row is every later request's actor.user.
  if (user && generation === directoryGeneration() && memory === remembered) users.set(key, Object.freeze(user));
  return user;
}
