import type { Actor } from '../actor.ts';
import type { CalendarRef } from '../acl/access.ts';
import { fail } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Db } from '../../store/store.ts';
import * as calendars from '../../store/repositories/calendars.ts';
import { findUsersByIdType, type UserRow } from '../../store/repositories/directory.ts';
import { effectiveRole, settingsOf, type CalendarSettings } from './calendar-settings.ts';
import { DEFAULT_TIME_ZONE } from './primary-calendar.ts';
import { recordCalendarChange } from '../outbox/notify.ts';

/** A calendar as one user sees it, with their role (null: none). */
export interface CalendarView {
  row: calendars.CalendarRow;
  role: string | null;
  settings: CalendarSettings;
}

export interface CalendarInput {
  summary?: string;
  description?: string;
  permissions?: CalendarSettings['permissions'];
  color?: number;
  summaryAlias?: string;
}

/**
 * Finds a calendar for calendar-level operations (Feishu calendar get/patch/delete/subscribe).
 * @throws KalendsError CALENDAR_NOT_FOUND (unknown, another tenant's), CALENDAR_DELETED.
 */
export async function findCalendarView(db: Db, actor: Actor, ref: CalendarRef): Promise<CalendarView> {
  const row = 'primary' in ref ? await calendars.findPrimaryCalendar(db, actor.userId) : await calendars.findCalendar(db, actor.tenantId, ref.id);
  if (!row) fail('CALENDAR_NOT_FOUND', 'calendar not found');
  if (row.deleted_at !== null) fail('CALENDAR_DELETED', 'calendar is deleted');
  const role = effectiveRole(row, await calendars.findMemberRole(db, row.id, actor.userId));
  return { row, role, settings: settingsOf(row) };
}

/**
 * A calendar the acting user may see at all.
 * @throws KalendsError CALENDAR_ACCESS_DENIED when they have no role on it; those of findCalendarView.
 */
export async function viewCalendar(db: Db, actor: Actor, ref: CalendarRef): Promise<CalendarView> {
  const view = await findCalendarView(db, actor, ref);
  if (!view.role) fail('CALENDAR_ACCESS_DENIED', 'no calendar access_role');
  return view;
}

function attributes(settings: CalendarSettings, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...extra, ...settings });
}

/**
 * Creates a shared calendar owned by the acting user (Feishu calendar create).
 * @returns its view, role `owner`.
 */
export async function createCalendar(tx: Db, actor: Actor, input: CalendarInput, now: number): Promise<CalendarView> {
  const settings: CalendarSettings = { permissions: input.permissions ?? 'private', color: input.color ?? -1, summaryAlias: input.summaryAlias ?? '' };
  const id = newId();
  await calendars.insertCalendar(tx, {
    id, tenant_id: actor.tenantId, type: 'shared', owner_user_id: actor.userId, summary: input.summary ?? '',
    description: input.description ?? '', time_zone: DEFAULT_TIME_ZONE, attributes: attributes(settings),
    created_at: now, updated_at: now, deleted_at: null,
  });
  await calendars.upsertMember(tx, id, actor.userId, 'owner', now);
  await recordCalendarChange(tx, actor, id, [actor.userId], now);
  return viewCalendar(tx, actor, { id });
}

/**
 * Changes a calendar's summary, description, permissions, colour or alias; fields left
 * undefined keep their value. Only its owner may.
 * @throws KalendsError CALENDAR_ACCESS_DENIED (not owner), those of findCalendarView.
 */
export async function patchCalendar(tx: Db, actor: Actor, ref: CalendarRef, input: CalendarInput, now: number): Promise<CalendarView> {
  const view = await viewCalendar(tx, actor, ref);
  if (view.role !== 'owner') fail('CALENDAR_ACCESS_DENIED', 'only the owner may change the calendar');
  const settings: CalendarSettings = {
    permissions: input.permissions ?? view.settings.permissions, color: input.color ?? view.settings.color,
    summaryAlias: input.summaryAlias ?? view.settings.summaryAlias,
  };
  await calendars.updateCalendar(tx, view.row.id, {
    summary: input.summary ?? view.row.summary, description: input.description ?? view.row.description,
    attributes: attributes(settings, JSON.parse(view.row.attributes) as Record<string, unknown>), updated_at: now,
  });
  await recordCalendarChange(tx, actor, view.row.id, await calendars.memberIds(tx, view.row.id), now);
  return viewCalendar(tx, actor, { id: view.row.id });
}

/**
 * Deletes a shared calendar; only its owner may, and primary and room calendars cannot be deleted.
 * @throws KalendsError CALENDAR_TYPE_INVALID, CALENDAR_ACCESS_DENIED, those of findCalendarView.
 */
export async function deleteCalendar(tx: Db, actor: Actor, ref: CalendarRef, now: number): Promise<void> {
  const view = await viewCalendar(tx, actor, ref);
  if (view.row.type !== 'shared') fail('CALENDAR_TYPE_INVALID', 'invalid calendar type');
  if (view.role !== 'owner') fail('CALENDAR_ACCESS_DENIED', 'only the owner may delete the calendar');
  await calendars.updateCalendar(tx, view.row.id, { deleted_at: now, updated_at: now });
  await recordCalendarChange(tx, actor, view.row.id, await calendars.memberIds(tx, view.row.id), now);
  await calendars.deleteMembers(tx, view.row.id);
}

/**
 * Adds a calendar someone else owns to the acting user's list, with the role its permissions
 * give (Feishu calendar subscribe). Subscribing twice changes nothing.
 * @throws KalendsError CALENDAR_ACCESS_DENIED (private), CALENDAR_TYPE_INVALID (own primary).
 */
export async function subscribeToCalendar(tx: Db, actor: Actor, ref: CalendarRef, now: number): Promise<CalendarView> {
  const view = await viewCalendar(tx, actor, ref);
  const member = await calendars.findMemberRole(tx, view.row.id, actor.userId);
  if (view.row.type === 'primary' && view.row.owner_user_id === actor.userId) fail('CALENDAR_TYPE_INVALID', 'invalid calendar type');
  if (!member) {
    await calendars.upsertMember(tx, view.row.id, actor.userId, view.role ?? 'reader', now);
    await recordCalendarChange(tx, actor, view.row.id, [actor.userId], now);
  }
  return viewCalendar(tx, actor, { id: view.row.id });
}

/**
 * Takes a subscribed calendar off the acting user's list; owners and writers keep theirs.
 * @throws KalendsError CALENDAR_TYPE_INVALID for the user's own primary calendar.
 */
export async function unsubscribeFromCalendar(tx: Db, actor: Actor, ref: CalendarRef, now: number): Promise<void> {
  const view = await findCalendarView(tx, actor, ref);
  if (view.row.type === 'primary' && view.row.owner_user_id === actor.userId) fail('CALENDAR_TYPE_INVALID', 'invalid calendar type');
  const member = await calendars.findMemberRole(tx, view.row.id, actor.userId);
  if (member !== 'reader' && member !== 'free_busy_reader') return;
  await calendars.deleteMember(tx, view.row.id, actor.userId);
  await recordCalendarChange(tx, actor, view.row.id, [actor.userId], now);
}

/** Calendars of the tenant the acting user can see whose summary contains `query`, at most `limit`. */
export async function searchCalendars(db: Db, actor: Actor, query: string, limit: number): Promise<CalendarView[]> {
  const rows = await calendars.searchCalendars(db, actor.tenantId, query, 1000);
  const views: CalendarView[] = [];
  for (const row of rows) {
    const role = effectiveRole(row, await calendars.findMemberRole(db, row.id, actor.userId));
    if (role && views.length < limit) views.push({ row, role, settings: settingsOf(row) });
  }
  return views;
}

/**
 * The calendars on the acting user's list (own, shared with them, subscribed), oldest first.
 * @param changedAfter only those changed after this time (ms), for sync tokens.
 */
export async function listCalendarViews(db: Db, actor: Actor, changedAfter: number | null): Promise<CalendarView[]> {
  const rows = await calendars.listUserCalendars(db, actor.userId);
  return rows.filter((r) => changedAfter === null || r.updated_at > changedAfter)
    .map((r) => ({ row: r, role: r.role, settings: settingsOf(r) }));
}

/**
 * The primary calendars of users of the tenant, named in one id type, with the acting user's
 * role on each (Feishu calendar.primarys); unknown users are left out.
 */
export async function primaryCalendarsOf(db: Db, actor: Actor, userIds: readonly string[], idType: 'open_id' | 'union_id' | 'user_id'): Promise<Array<{ user: UserRow; view: CalendarView }>> {
  const users = await findUsersByIdType(db, actor.tenantId, idType, userIds);
  const result: Array<{ user: UserRow; view: CalendarView }> = [];
  for (const id of userIds) {
    const user = users.find((u) => u[idType] === id);
    const row = user ? await calendars.findPrimaryCalendar(db, user.id) : undefined;
    if (!user || !row) continue;
    result.push({ user, view: { row, role: effectiveRole(row, await calendars.findMemberRole(db, row.id, actor.userId)), settings: settingsOf(row) } });
  }
  return result;
}
