import type { Db } from '../../store/store.ts';
import type { AttendeeUser } from '../../store/repositories/attendees.ts';
import { findUsersByIds } from '../../store/repositories/directory.ts';
import { directoryGeneration, onDirectoryChange } from '../directory/directory-changes.ts';

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
const remembered = new Map<string, AttendeeUser>();
let rememberedSince = performance.now();
onDirectoryChange(() => remembered.clear());

/**
 * The users of the given internal ids, by id; ids of no user are absent from the map.
 * One query for those not remembered.
 */
export async function findAttendeeUsers(db: Db, ids: readonly string[]): Promise<Map<string, AttendeeUser>> {
  if (performance.now() - rememberedSince > REMEMBER_MS || remembered.size > MAX_REMEMBERED) {
    remembered.clear();
    rememberedSince = performance.now();
  }
  const found = new Map<string, AttendeeUser>();
  const missing: string[] = [];
  for (const id of ids) {
    const user = remembered.get(id);
    if (user) found.set(id, user);
    else missing.push(id);
  }
  const generation = directoryGeneration();
  const users = await findUsersByIds(db, [...new Set(missing)]);
  const keep = generation === directoryGeneration();
  for (const u of users) {
    const user: AttendeeUser = { name: u.name, union_id: u.union_id, open_id: u.open_id, user_id: u.user_id, email: u.email };
    if (keep) remembered.set(u.id, user);
    found.set(u.id, user);
  }
  return found;
}
