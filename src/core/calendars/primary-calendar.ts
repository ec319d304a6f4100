import { newId } from '../ids.ts';
import type { Db } from '../../store/store.ts';
import * as calendars from '../../store/repositories/calendars.ts';

/** Time zone of calendars created without one (both platforms default to China Standard Time). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/**
 * Gives a user their primary calendar (owner role) if they have none yet.
 * @returns the primary calendar's id.
 */
export async function ensurePrimaryCalendar(tx: Db, user: { id: string; tenantId: string; name: string }, now: number): Promise<string> {
  const existing = await calendars.findPrimaryCalendar(tx, user.id);
  if (existing) return existing.id;
  const id = newId();
  await calendars.insertCalendar(tx, {
    id, tenant_id: user.tenantId, type: 'primary', owner_user_id: user.id, summary: user.name,
    description: '', time_zone: DEFAULT_TIME_ZONE, attributes: '{}', created_at: now, updated_at: now, deleted_at: null,
  });
  await calendars.upsertMember(tx, id, user.id, 'owner', now);
  return id;
}

/** Gives each of these users (who have none yet) a primary calendar, in set-based inserts. */
export async function createPrimaryCalendars(tx: Db, users: ReadonlyArray<{ id: string; tenantId: string; name: string }>, now: number): Promise<void> {
  await calendars.insertCalendarsWithOwners(tx, users.map((u) => ({
    id: newId(), tenant_id: u.tenantId, type: 'primary', owner_user_id: u.id, summary: u.name,
    description: '', time_zone: DEFAULT_TIME_ZONE, attributes: '{}', created_at: now, updated_at: now, deleted_at: null,
  })), now);
}
