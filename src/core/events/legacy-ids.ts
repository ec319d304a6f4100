import type { Actor } from '../actor.ts';
import type { Db } from '../../store/store.ts';
import { findUserAttendee, isChatMember } from '../../store/repositories/attendees.ts';
import { findMemberRole } from '../../store/repositories/calendars.ts';
import { findEventsByIds } from '../../store/repositories/events.ts';
import { eventsByLegacyIds } from '../../store/repositories/legacy-ids.ts';
import type { CalendarEvent } from './event.ts';

/** Roles on a calendar that show its events. */
const READ_ROLES = new Set(['reader', 'writer', 'owner']);

async function mayRead(db: Db, actor: Actor, event: CalendarEvent): Promise<boolean> {
  if (event.organizerId === actor.userId) return true;
  if (READ_ROLES.has((await findMemberRole(db, event.calendarId, actor.userId)) ?? '')) return true;
  return (await findUserAttendee(db, event.id, actor.userId)) !== undefined || isChatMember(db, event.id, actor.userId);
}

/**
 * The events behind legacy numeric ids (DingTalk convertLegacyEventId), among those the acting
 * user may see (organizes, is invited to, or reads the calendar of). An id that is not a
 * number, names no event of the tenant, or one the user may not see is left out, as the
 * platform leaves out what it cannot convert.
 * @returns legacy id (as given) → event.
 */
export async function eventsOfLegacyIds(db: Db, actor: Actor, legacyIds: readonly string[]): Promise<Map<string, CalendarEvent>> {
  const numbers = legacyIds.filter((id) => /^[1-9][0-9]{0,15}$/.test(id)).map(Number);
  const byLegacy = await eventsByLegacyIds(db, actor.tenantId, [...new Set(numbers)]);
  const events = new Map((await findEventsByIds(db, actor.tenantId, [...byLegacy.values()])).map((e) => [e.id, e]));
  const found = new Map<string, CalendarEvent>();
  for (const id of legacyIds) {
    const event = events.get(byLegacy.get(Number(id)) ?? '');
    if (event && /^[1-9][0-9]{0,15}$/.test(id) && (await mayRead(db, actor, event))) found.set(id, event);
  }
  return found;
}
