import type { Actor, AppIdentity } from '../actor.ts';
import { fail } from '../errors.ts';
import type { CalendarEvent } from '../events/event.ts';
import type { Db } from '../../store/store.ts';
import * as calendars from '../../store/repositories/calendars.ts';
import type { UserRow } from '../../store/repositories/directory.ts';
import type { AttendeeRow } from '../../store/repositories/attendees.ts';
import { findEvent, findEventForWrite } from '../../store/repositories/events.ts';
import { effectiveRole } from '../calendars/calendar-settings.ts';
import { actingUserByUnionId } from './acting-users.ts';
import { findUserAttendee, isChatMember } from '../../store/repositories/attendees.ts';

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
 * Resolves the user an app acts for, by unionId, within the app's tenant (remembered:
 * acting-users.ts).
 * @throws KalendsError USER_NOT_FOUND for an unknown user, a user of another tenant, or one who has left.
 */
export async function resolveActingUser(db: Db, app: AppIdentity, unionId: string): Promise<Actor & { user: UserRow }> {
  const user = unionId ? await actingUserByUnionId(db, app.tenantId, unionId) : undefined;
  if (!user || user.active !== 1 || user.bot_app_id !== null) fail('USER_NOT_FOUND', `user ${unionId} not found`);
  return { ...app, userId: user.id, user };
}

/**
 * Resolves a calendar for the acting user.
 * Reading events takes at least the reader role (a member's, or what a public calendar gives).
 * @throws KalendsError CALENDAR_NOT_FOUND (unknown, another tenant's), CALENDAR_DELETED, or
 *   CALENDAR_ACCESS_DENIED (no reader role, and not the user's own primary).
 */
export async function resolveCalendar(db: Db, actor: Actor, ref: CalendarRef): Promise<CalendarAccess> {
  const calendar = 'primary' in ref
    ? await calendars.findPrimaryCalendar(db, actor.userId)
    : await calendars.findCalendar(db, actor.tenantId, ref.id);
  if (!calendar) fail('CALENDAR_NOT_FOUND', 'calendar not found');
  if (calendar.deleted_at !== null) fail('CALENDAR_DELETED', 'calendar is deleted');
  const isOwnPrimary = calendar.type === 'primary' && calendar.owner_user_id === actor.userId;
  // A user owns their primary calendar: no need to look the membership up.
  const role = isOwnPrimary ? 'owner' : effectiveRole(calendar, await calendars.findMemberRole(db, calendar.id, actor.userId));
  if ((!role || role === 'free_busy_reader') && !isOwnPrimary) fail('CALENDAR_ACCESS_DENIED', 'no calendar access_role');
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
  /** The acting user is invited (a user attendee, or a member of a chat attendee); only looked
   * up when it decides something, i.e. when the user cannot write: false otherwise. */
  isAttendee: boolean;
  /** The acting user's own attendee row, when isAttendee was looked up and they are one. */
  attendee?: AttendeeRow | undefined;
}

/**
 * What attendees may do on an event (Feishu `attendee_ability`): `none`, `can_see_others`,
 * `can_invite_others`, `can_modify_event` (each includes the ones before). Events made through
 * DingTalk, which has no such setting, let attendees see each other.
 */
export type AttendeeAbility = 'none' | 'can_see_others' | 'can_invite_others' | 'can_modify_event';
const ABILITY_RANK: Record<AttendeeAbility, number> = { none: 0, can_see_others: 1, can_invite_others: 2, can_modify_event: 3 };

function attendeeMay(access: EventAccess, ability: AttendeeAbility): boolean {
  const granted = (access.event.details.attendeeAbility ?? 'can_see_others') as AttendeeAbility;
  return access.isAttendee && ABILITY_RANK[granted] >= ABILITY_RANK[ability];
}

/** May list the event's attendees: its organizer or writers, or an attendee allowed to see others. */
export function canSeeAttendees(access: EventAccess): boolean {
  return access.canWrite || attendeeMay(access, 'can_see_others');
}

/** May add attendees: organizer or writers, or an attendee allowed to invite others. */
export function canInvite(access: EventAccess): boolean {
  return access.canWrite || attendeeMay(access, 'can_invite_others');
}

/** May change the event's attributes: organizer or writers, or an attendee allowed to modify it. */
export function canModify(access: EventAccess): boolean {
  return access.canWrite || attendeeMay(access, 'can_modify_event');
}

/**
 * Attendees change only on primary or shared calendars (Feishu seed 001; DingTalk's public
 * calendars count as shared).
 * @throws KalendsError CALENDAR_TYPE_INVALID on a meeting room's resource calendar.
 */
export function requireAttendeeCalendar(access: EventAccess): void {
  if (access.calendar.calendar.type === 'resource') fail('CALENDAR_TYPE_INVALID', 'invalid calendar type');
}

/**
 * Feishu's `instance_start_time_admin` names one instance of a recurring event to change; it is
 * meaningless (and ignored) on a single event. Kalends keeps no per-instance attendees yet, so a
 * change aimed at one instance of a series is refused rather than applied to the whole series.
 * @param instanceStart the instance's start (Unix seconds), or null for the event itself.
 * @throws KalendsError INVALID_PARAMETER for an instance of a recurring event.
 */
export function requireWholeSeries(access: EventAccess, instanceStart: number | null): void {
  if (instanceStart !== null && access.event.recurrence !== null) {
    fail('INVALID_PARAMETER', 'changing the attendees of one instance of a recurring event is not supported yet');
  }
}

/**
 * Resolves an event as seen through a calendar: the event's own calendar, or the acting
 * user's primary calendar when they are invited (an invitation shows on the invitee's primary).
 * With `forWrite`, the event's row is read locked for the rest of the transaction (see
 * findEventForWrite), and what is looked up after it (the user's attendee row) is current.
 * @throws KalendsError CALENDAR_* as resolveCalendar; EVENT_NOT_FOUND when the event is not on
 *   that calendar; EVENT_DELETED for a deleted event unless `allowDeleted`.
 */
export async function resolveEvent(db: Db, actor: Actor, ref: CalendarRef, eventId: string, allowDeleted = false, forWrite = false): Promise<EventAccess> {
  const calendar = await resolveCalendar(db, actor, ref);
  const event = !eventId ? undefined : forWrite ? await findEventForWrite(db, actor.tenantId, eventId) : await findEvent(db, actor.tenantId, eventId);
  if (!event) fail('EVENT_NOT_FOUND', 'the specified event cannot be found');
  const onItsCalendar = event.calendarId === calendar.calendar.id;
  const canWrite = onItsCalendar && (canWriteCalendar(calendar) || event.organizerId === actor.userId);
  // Whether the user is invited only matters when they cannot write through this calendar.
  const attendee = canWrite ? undefined : await findUserAttendee(db, event.id, actor.userId);
  const isAttendee = attendee !== undefined || (!canWrite && (await isChatMember(db, event.id, actor.userId)));
  if (!onItsCalendar && !(calendar.isOwnPrimary && isAttendee)) fail('EVENT_NOT_FOUND', 'the specified event cannot be found');
  if (event.deletedAt !== null && !allowDeleted) fail('EVENT_DELETED', 'the event has been deleted');
  return { event, calendar, canWrite, isAttendee, attendee };
}
