import type { Actor, AppIdentity } from '../actor.ts';
import { fail } from '../errors.ts';
import type { CalendarEvent, EventKey } from '../events/event.ts';
import { findOccurrence, materializeException } from '../recurrence/exceptions.ts';
import type { Db } from '../../store/store.ts';
import * as calendars from '../../store/repositories/calendars.ts';
import type { UserRow } from '../../store/repositories/directory.ts';
import type { AttendeeRow, ListedAttendee } from '../../store/repositories/attendees.ts';
import { findEvent } from '../../store/repositories/events.ts';
import { findEventAndCalendar, type AttendeePageKey, type CalendarKey } from '../../store/repositories/event-and-calendar.ts';
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
  return accessTo(db, actor, calendar);
}

/** resolveCalendar's checks on the calendar the reference named (undefined: none). */
async function accessTo(db: Db, actor: Actor, calendar: calendars.CalendarRow | undefined): Promise<CalendarAccess> {
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

function calendarKey(actor: Actor, ref: CalendarRef): CalendarKey {
  return 'primary' in ref ? { primaryOf: actor.userId } : { tenantId: actor.tenantId, id: ref.id };
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
  /** The page of attendees resolveEvent was asked to read ahead (`attendeePage`), when the store read it with the event. */
  attendeePage?: ListedAttendee[];
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
 * Feishu's `instance_start_time_admin` (Unix seconds) names one instance of a recurring event
 * whose attendees a call changes (calendarEventAttendee.create / batch_delete); it is
 * meaningless, and ignored, on a single event and on a key that already names an instance.
 * @returns the key of that instance, or `key` unchanged.
 */
export async function instanceKeyOf(db: Db, tenantId: string, key: EventKey, instanceStart: number | null): Promise<EventKey> {
  if (instanceStart === null || key.originalStart !== null) return key;
  const event = key.id ? await findEvent(db, tenantId, key.id) : undefined;
  const isSeries = event !== undefined && event.recurrence !== null && event.seriesMasterId === null;
  return isSeries ? { id: key.id, originalStart: instanceStart * 1000 } : key;
}

/**
 * Resolves an event as seen through a calendar: the event's own calendar, or the acting
 * user's primary calendar when they are invited (an invitation shows on the invitee's primary).
 * A key with an original start names one occurrence of a recurring series: its exception, or
 * the occurrence expanded from the master; with `forWrite` an expanded occurrence is first
 * stored as an exception (materializeException at `now`), so that the write changes that
 * occurrence alone. With `forWrite`, the event's row (for an occurrence, the master's: every
 * write to a series' occurrences takes it first) is read locked for the rest of the
 * transaction (see findEventForWrite), and what is looked up after it (the user's attendee
 * row) is current.
 * @throws KalendsError CALENDAR_* as resolveCalendar; EVENT_NOT_FOUND when the event is not on
 *   that calendar; EVENT_DELETED for a deleted event unless `allowDeleted`; INSTANCE_NOT_FOUND
 *   for an occurrence the series does not have, or one that was cancelled (unless `allowDeleted`).
 */
export async function resolveEvent(
  db: Db, actor: Actor, ref: CalendarRef, key: EventKey, allowDeleted = false, forWrite = false, now = 0, attendeePage?: AttendeePageKey,
): Promise<EventAccess> {
  // The calendar's checks come first (a missing calendar is CALENDAR_NOT_FOUND whatever the
  // event); the event is read with the calendar (one round trip on PostgreSQL).
  const found = key.id ? await findEventAndCalendar(db, actor.tenantId, key.id, calendarKey(actor, ref), forWrite, attendeePage) : undefined;
  const calendar = found ? await accessTo(db, actor, found.calendar) : await resolveCalendar(db, actor, ref);
  let event = found?.event;
  if (!event) fail('EVENT_NOT_FOUND', 'the specified event cannot be found');
  if (key.originalStart !== null) {
    if (event.recurrence === null || event.seriesMasterId !== null) fail('INSTANCE_NOT_FOUND', 'instance not exist');
    if (event.deletedAt !== null && !allowDeleted) fail('EVENT_DELETED', 'the event has been deleted');
    const occurrence = await findOccurrence(db, event, key.originalStart);
    // A cancelled occurrence is gone (DingTalk GetEvent: 404 instanceNotExist), even where a
    // deleted event still reads as cancelled.
    if (!occurrence || occurrence.deletedAt !== null) fail('INSTANCE_NOT_FOUND', 'instance not exist');
    event = forWrite && occurrence.expanded ? await materializeException(db, occurrence, now) : occurrence;
  }
  const onItsCalendar = event.calendarId === calendar.calendar.id;
  const canWrite = onItsCalendar && (canWriteCalendar(calendar) || event.organizerId === actor.userId);
  // Whether the user is invited only matters when they cannot write through this calendar.
  const attendee = canWrite ? undefined : await findUserAttendee(db, event.id, actor.userId);
  const isAttendee = attendee !== undefined || (!canWrite && (await isChatMember(db, event.id, actor.userId)));
  if (!onItsCalendar && !(calendar.isOwnPrimary && isAttendee)) fail('EVENT_NOT_FOUND', 'the specified event cannot be found');
  if (event.deletedAt !== null && !allowDeleted) fail('EVENT_DELETED', 'the event has been deleted');
  // A page read with the event is the event's own (not an occurrence's, read after it).
  const attendees = key.originalStart === null ? found?.attendees : undefined;
  return { event, calendar, canWrite, isAttendee, attendee, ...(attendees ? { attendeePage: attendees } : {}) };
}
