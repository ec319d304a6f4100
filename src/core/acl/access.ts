import type { Actor, AppIdentity } from '../actor.ts';
import { fail } from '../errors.ts';
import type { CalendarEvent } from '../events/event.ts';
import type { Db } from '../../store/store.ts';
import * as calendars from '../../store/repositories/calendars.ts';
import { findUserByUnionId, type UserRow } from '../../store/repositories/directory.ts';
import { findEvent } from '../../store/repositories/events.ts';
import { findUserAttendee } from '../../store/repositories/attendees.ts';

/** A calendar named by a request: the acting user's primary, or a calendar id. */
export type CalendarRef = { primary: true } | { id: string };

/** Roles that may change a calendar's events (Feishu seed 001: writer or owner). */
const WRITE_ROLES = new Set(['owner', 'writer']);

export interface CalendarAccess {
  calendar: calendars.CalendarRow;
  /** The acting user's role on it, or null for none. */
  role: string | null;
  /** The calendar is the acting user's own primary calendar. */
  isOwnPrimary: boolean;
}

/**
 * Resolves the user an app acts for, by unionId, within the app's tenant.
 * @throws KalendsError USER_NOT_FOUND for an unknown user, a user of another tenant, or one who has left.
 */
export async function resolveActingUser(db: Db, app: AppIdentity, unionId: string): Promise<Actor & { user: UserRow }> {
  const user = unionId ? await findUserByUnionId(db, app.tenantId, unionId) : undefined;
  if (!user || user.active !== 1) fail('USER_NOT_FOUND', `user ${unionId} not found`);
  return { ...app, userId: user.id, user };
}

/**
 * Resolves a calendar for the acting user.
 * @throws KalendsError CALENDAR_NOT_FOUND (unknown, another tenant's, deleted) or
 *   CALENDAR_ACCESS_DENIED (the user has no role and the calendar is not one they attend through).
 */
export async function resolveCalendar(db: Db, actor: Actor, ref: CalendarRef): Promise<CalendarAccess> {
  const calendar = 'primary' in ref
    ? await calendars.findPrimaryCalendar(db, actor.userId)
    : await calendars.findCalendar(db, actor.tenantId, ref.id);
  if (!calendar || calendar.deleted_at !== null) fail('CALENDAR_NOT_FOUND', 'calendar not found');
  const role = (await calendars.findMemberRole(db, calendar.id, actor.userId)) ?? null;
  const isOwnPrimary = calendar.type === 'primary' && calendar.owner_user_id === actor.userId;
  if (!role && !isOwnPrimary) fail('CALENDAR_ACCESS_DENIED', 'no access role on this calendar');
  return { calendar, role, isOwnPrimary };
}

export function canWriteCalendar(access: CalendarAccess): boolean {
  return access.role !== null && WRITE_ROLES.has(access.role);
}

export interface EventAccess {
  event: CalendarEvent;
  calendar: CalendarAccess;
  /** Organizer or writer/owner of the event's calendar, reached through that calendar. */
  canWrite: boolean;
  /** The acting user is invited (a user attendee of the event). */
  isAttendee: boolean;
}

/**
 * Resolves an event as seen through a calendar: the event's own calendar, or the acting
 * user's primary calendar when they are invited (an invitation shows on the invitee's primary).
 * @throws KalendsError CALENDAR_* as resolveCalendar; EVENT_NOT_FOUND when the event is not on
 *   that calendar; EVENT_DELETED for a deleted event unless `allowDeleted`.
 */
export async function resolveEvent(db: Db, actor: Actor, ref: CalendarRef, eventId: string, allowDeleted = false): Promise<EventAccess> {
  const calendar = await resolveCalendar(db, actor, ref);
  const event = eventId ? await findEvent(db, actor.tenantId, eventId) : undefined;
  if (!event) fail('EVENT_NOT_FOUND', 'the specified event cannot be found');
  const onItsCalendar = event.calendarId === calendar.calendar.id;
  const isAttendee = (await findUserAttendee(db, event.id, actor.userId)) !== undefined;
  if (!onItsCalendar && !(calendar.isOwnPrimary && isAttendee)) fail('EVENT_NOT_FOUND', 'the specified event cannot be found');
  if (event.deletedAt !== null && !allowDeleted) fail('EVENT_DELETED', 'the event has been deleted');
  const canWrite = onItsCalendar && (canWriteCalendar(calendar) || event.organizerId === actor.userId);
  return { event, calendar, canWrite, isAttendee };
}
