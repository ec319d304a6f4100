import type { Db } from '../../store/store.ts';
import type { AttendeeUser } from '../../store/repositories/attendees.ts';
import { findUsersByIds } from '../../store/repositories/directory.ts';
import { directoryGeneration } from '../directory/directory-changes.ts';
import { DirectoryMemory } from '../directory/directory-memory.ts';

/** How long (ms) users are remembered, and how many at most. */
const REMEMBER_MS = 10_000;
const MAX_REMEMBERED = 20_000;

/**
 * What attendee views show of users (name and ids), remembered per process for at most 10 s
 * (all are forgotten together every 10 s, or when more than 20,000) and forgotten at once when
 * this process changes the directory (directory-changes.ts), as the acting users are. A page of
 * 100 attendees read its users with it in one joined query; the join was about half of the
 * page's SQLite time (bench/README.md, list-100). A plain map: an LRU with a time to live per
 * entry cost more than the join it saves.
 */
const remembered = new DirectoryMemory(() => new Map<string, AttendeeUser>(), REMEMBER_MS, (users) => users.size > MAX_REMEMBERED);

/** Users by internal id, as findAttendeeUsers gives them. */
export interface AttendeeUsers {
  get(id: string): AttendeeUser | undefined;
}

/**
 * The users of the given internal ids; ids of no user are absent. One query for those not
 * remembered; when all are remembered (a page of a listed event, the common case) the
 * remembered map itself is the answer, with nothing copied.
 */
export async function findAttendeeUsers(db: Db, ids: readonly string[]): Promise<AttendeeUsers> {
  const known = remembered.current();
  const missing = new Set<string>();
  for (const id of ids) if (!known.has(id)) missing.add(id);
  if (missing.size === 0) return known;
  const generation = directoryGeneration();
  const users = await findUsersByIds(db, [...missing]);
  const fetched = users.map((u): [string, AttendeeUser] => [u.id, { name: u.name, union_id: u.union_id, open_id: u.open_id, user_id: u.user_id, email: u.email }]);
  if (remembered.mayKeep(known, generation)) {
    for (const [id, user] of fetched) known.set(id, user);
    return known;
  }
  // The directory changed (or the memory was renewed) meanwhile: answer without remembering.
  const found = new Map(fetched);
  for (const id of ids) {
    const user = known.get(id);
    if (user && !found.has(id)) found.set(id, user);
  }
  return found;
}
