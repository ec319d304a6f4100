import type { Actor } from '../actor.ts';
import type { CalendarRef } from '../acl/access.ts';
import type { UserIdType } from '../attendees/attendee.ts';
import { fail } from '../errors.ts';
import type { Db } from '../../store/store.ts';
import * as calendars from '../../store/repositories/calendars.ts';
import { findUsersByIdType, type UserRow } from '../../store/repositories/directory.ts';
import { recordAclChange, recordCalendarChange } from '../outbox/notify.ts';
import { viewCalendar, type CalendarView } from './manage-calendars.ts';

/** Roles a calendar's access list grants (Feishu calendar ACL `role`). */
export const ACL_ROLES = ['free_busy_reader', 'reader', 'writer', 'owner'] as const;
export type AclRole = (typeof ACL_ROLES)[number];

/** One entry of a calendar's access list: a user and their role. */
export interface AclEntry {
  user: UserRow;
  role: string;
}

/**
 * The calendar, if the acting identity owns it: only owners manage its access list
 * (Feishu calendarAcl create/list/delete: "the identity must have the owner role").
 * @throws KalendsError CALENDAR_ACCESS_DENIED, those of viewCalendar.
 */
async function ownedCalendar(db: Db, actor: Actor, ref: CalendarRef): Promise<CalendarView> {
  const view = await viewCalendar(db, actor, ref);
  if (view.role !== 'owner') fail('CALENDAR_ACCESS_DENIED', 'only the owner of the calendar may manage its access');
  return view;
}

/**
 * Gives a user of the tenant a role on a calendar (replacing any role they had), and records it
 * for `calendar.calendar.acl.created_v4` and the user's calendar list.
 * @throws KalendsError USER_NOT_FOUND (unknown or departed user), CALENDAR_TYPE_INVALID (a room
 *   calendar), INVALID_PARAMETER (the owner's own entry), those of ownedCalendar.
 */
export async function grantCalendarAccess(tx: Db, actor: Actor, ref: CalendarRef, grantee: { id: string; type: UserIdType }, role: AclRole, now: number): Promise<AclEntry> {
  const view = await ownedCalendar(tx, actor, ref);
  if (view.row.type === 'resource') fail('CALENDAR_TYPE_INVALID', 'invalid calendar type');
  const user = (await findUsersByIdType(tx, actor.tenantId, grantee.type, [grantee.id]))[0];
  if (!user || user.active !== 1) fail('USER_NOT_FOUND', `user ${grantee.id} is not in the tenant`);
  if (user.id === view.row.owner_user_id) fail('INVALID_PARAMETER', 'the owner of the calendar keeps the owner role');
  await calendars.upsertMember(tx, view.row.id, user.id, role, now);
  await recordAclChange(tx, actor, 'acl.created', { calendarId: view.row.id, userId: user.id, role }, now);
  await recordCalendarChange(tx, actor, view.row.id, [user.id], now);
  return { user, role };
}

/**
 * Takes a user's role on a calendar away. Removing someone who has none changes nothing.
 * @throws KalendsError INVALID_PARAMETER (the owner's own entry), those of ownedCalendar.
 */
export async function revokeCalendarAccess(tx: Db, actor: Actor, ref: CalendarRef, userId: string, now: number): Promise<void> {
  const view = await ownedCalendar(tx, actor, ref);
  if (userId === view.row.owner_user_id) fail('INVALID_PARAMETER', 'the owner of the calendar keeps the owner role');
  const role = await calendars.findMemberRole(tx, view.row.id, userId);
  if (!role) return;
  await calendars.deleteMember(tx, view.row.id, userId);
  await recordAclChange(tx, actor, 'acl.deleted', { calendarId: view.row.id, userId, role }, now);
  await recordCalendarChange(tx, actor, view.row.id, [userId], now);
}

/**
 * A page of a calendar's access list (the owner included), by user id.
 * @param afterUserId the last user id of the previous page ('' for the first).
 */
export async function listCalendarAccess(db: Db, actor: Actor, ref: CalendarRef, afterUserId: string, limit: number): Promise<AclEntry[]> {
  const view = await ownedCalendar(db, actor, ref);
  return calendars.pageMembers(db, view.row.id, afterUserId, limit);
}
