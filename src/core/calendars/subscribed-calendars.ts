import type { Actor } from '../actor.ts';
import type { CalendarRef } from '../acl/access.ts';
import { fail } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Db } from '../../store/store.ts';
import * as calendars from '../../store/repositories/calendars.ts';
import { findUsersByIdType, memberChatIds } from '../../store/repositories/directory.ts';
import { DEFAULT_TIME_ZONE } from './primary-calendar.ts';

/**
 * Who may subscribe to a public ("subscribed") calendar: users by unionId, whole tenants by
 * corpId (a Kalends tenant id), and the members of chats by openConversationId.
 */
export interface SubscribeScope {
  unionIds: string[];
  corpIds: string[];
  openConversationIds: string[];
}

export interface SubscribedCalendarInput {
  name: string;
  description: string;
  /** unionIds of users who manage the calendar besides its author. */
  managers: string[];
  subscribeScope: SubscribeScope;
}

export interface SubscribedCalendar extends SubscribedCalendarInput {
  id: string;
  /** unionId of the user who created it. */
  author: string;
}

interface Attributes { author: string; managers: string[]; subscribeScope: SubscribeScope }

function attributesOf(row: calendars.CalendarRow): Attributes {
  return JSON.parse(row.attributes) as Attributes;
}

function toSubscribed(row: calendars.CalendarRow): SubscribedCalendar {
  const a = attributesOf(row);
  return { id: row.id, name: row.summary, description: row.description, author: a.author, managers: a.managers, subscribeScope: a.subscribeScope };
}

async function requireActiveUsers(tx: Db, tenantId: string, unionIds: readonly string[]): Promise<string[]> {
  const users = await findUsersByIdType(tx, tenantId, 'union_id', unionIds);
  const found = new Map(users.filter((u) => u.active === 1).map((u) => [u.union_id, u.id]));
  const missing = unionIds.filter((id) => !found.has(id));
  if (missing.length > 0) fail('INVALID_PARAMETER', `managers not found: ${missing.join(', ')}`);
  return unionIds.map((id) => found.get(id)!);
}

/**
 * Creates a public calendar others can subscribe to (DingTalk CreateSubscribedCalendar); the
 * acting user is its author (owner), managers become writers.
 * @returns the new calendar's id.
 * @throws KalendsError INVALID_PARAMETER for unknown managers.
 */
export async function createSubscribedCalendar(tx: Db, actor: Actor & { user: { union_id: string } }, input: SubscribedCalendarInput, now: number): Promise<string> {
  const managerIds = await requireActiveUsers(tx, actor.tenantId, input.managers);
  const id = newId();
  const attributes: Attributes = { author: actor.user.union_id, managers: input.managers, subscribeScope: input.subscribeScope };
  await calendars.insertCalendar(tx, {
    id, tenant_id: actor.tenantId, type: 'subscribed', owner_user_id: actor.userId, summary: input.name,
    description: input.description, time_zone: DEFAULT_TIME_ZONE, attributes: JSON.stringify(attributes),
    created_at: now, updated_at: now, deleted_at: null,
  });
  await calendars.upsertMember(tx, id, actor.userId, 'owner', now);
  for (const managerId of managerIds) if (managerId !== actor.userId) await calendars.upsertMember(tx, id, managerId, 'writer', now);
  return id;
}

/**
 * Finds a live subscribed calendar of the tenant.
 * @throws KalendsError CALENDAR_ID_INVALID (blank id), CALENDAR_NOT_FOUND, CALENDAR_TYPE_INVALID
 *   (a calendar that is not a subscribed calendar).
 */
async function findSubscribed(db: Db, actor: Actor, ref: CalendarRef): Promise<calendars.CalendarRow> {
  if ('id' in ref && !ref.id.trim()) fail('CALENDAR_ID_INVALID', 'calendarId cannot be blank');
  const row = 'primary' in ref ? await calendars.findPrimaryCalendar(db, actor.userId) : await calendars.findCalendar(db, actor.tenantId, ref.id);
  if (!row || row.deleted_at !== null) fail('CALENDAR_NOT_FOUND', 'calendar not found');
  if (row.type !== 'subscribed') fail('CALENDAR_TYPE_INVALID', 'calendar type invalid');
  return row;
}

async function requireManager(db: Db, actor: Actor, row: calendars.CalendarRow): Promise<void> {
  const role = await calendars.findMemberRole(db, row.id, actor.userId);
  if (role !== 'owner' && role !== 'writer') fail('CALENDAR_ACCESS_DENIED', 'only the author or a manager may change this calendar');
}

/** True when the user may subscribe: named in the scope, of a named tenant, or in a named chat. */
async function inScope(db: Db, actor: Actor & { user: { union_id: string } }, row: calendars.CalendarRow): Promise<boolean> {
  const { subscribeScope: scope } = attributesOf(row);
  if ((await calendars.findMemberRole(db, row.id, actor.userId)) !== undefined) return true;
  if (scope.unionIds.includes(actor.user.union_id) || scope.corpIds.includes(actor.tenantId)) return true;
  if (scope.openConversationIds.length === 0) return false;
  return (await memberChatIds(db, actor.userId, scope.openConversationIds)).length > 0;
}

/**
 * A subscribed calendar's settings, for its author, managers and anyone in its scope.
 * @throws KalendsError those of findSubscribed; SUBSCRIPTION_SCOPE_DENIED for others.
 */
export async function getSubscribedCalendar(db: Db, actor: Actor & { user: { union_id: string } }, ref: CalendarRef): Promise<SubscribedCalendar> {
  const row = await findSubscribed(db, actor, ref);
  if (!(await inScope(db, actor, row))) fail('SUBSCRIPTION_SCOPE_DENIED', 'The user is not within the subscription scope');
  return toSubscribed(row);
}

/**
 * Changes a subscribed calendar (DingTalk UpdateSubscribedCalendars); omitted fields keep their value.
 * @throws KalendsError those of findSubscribed; CALENDAR_ACCESS_DENIED unless author or manager.
 */
export async function updateSubscribedCalendar(tx: Db, actor: Actor, ref: CalendarRef, patch: Partial<SubscribedCalendarInput>, now: number): Promise<void> {
  const row = await findSubscribed(tx, actor, ref);
  await requireManager(tx, actor, row);
  const current = toSubscribed(row);
  const managers = patch.managers ?? current.managers;
  if (patch.managers) {
    const ids = await requireActiveUsers(tx, actor.tenantId, patch.managers);
    for (const id of ids) if (id !== row.owner_user_id) await calendars.upsertMember(tx, row.id, id, 'writer', now);
  }
  const attributes: Attributes = { author: current.author, managers, subscribeScope: patch.subscribeScope ?? current.subscribeScope };
  await calendars.updateCalendar(tx, row.id, {
    summary: patch.name ?? row.summary, description: patch.description ?? row.description,
    attributes: JSON.stringify(attributes), updated_at: now,
  });
}

/**
 * Deletes a subscribed calendar and every subscription to it.
 * @throws KalendsError those of findSubscribed; CALENDAR_ACCESS_DENIED unless author or manager.
 */
export async function deleteSubscribedCalendar(tx: Db, actor: Actor, ref: CalendarRef, now: number): Promise<void> {
  const row = await findSubscribed(tx, actor, ref);
  await requireManager(tx, actor, row);
  await calendars.updateCalendar(tx, row.id, { deleted_at: now, updated_at: now });
  await calendars.deleteMembers(tx, row.id);
}

/**
 * Subscribes the acting user to a public calendar (DingTalk SubscribeCalendar): it joins their
 * calendar list as a reader. Subscribing twice changes nothing.
 * @throws KalendsError those of findSubscribed; SUBSCRIPTION_SCOPE_DENIED outside the scope.
 */
export async function subscribeCalendar(tx: Db, actor: Actor & { user: { union_id: string } }, ref: CalendarRef, now: number): Promise<void> {
  const row = await findSubscribed(tx, actor, ref);
  if (!(await inScope(tx, actor, row))) fail('SUBSCRIPTION_SCOPE_DENIED', 'The user is not within the subscription scope');
  if ((await calendars.findMemberRole(tx, row.id, actor.userId)) === undefined) {
    await calendars.upsertMember(tx, row.id, actor.userId, 'reader', now);
  }
}

/**
 * Ends the acting user's subscription (DingTalk UnsubscribeCalendar, seed 003). Unsubscribing
 * when not subscribed changes nothing; the author and managers keep their role.
 * @throws KalendsError CALENDAR_ID_INVALID (`calendarId cannot be blank`), CALENDAR_TYPE_INVALID
 *   (`calendar type invalid`), SUBSCRIPTION_SCOPE_DENIED outside the scope, CALENDAR_NOT_FOUND.
 */
export async function unsubscribeCalendar(tx: Db, actor: Actor & { user: { union_id: string } }, ref: CalendarRef): Promise<void> {
  const row = await findSubscribed(tx, actor, ref);
  if (!(await inScope(tx, actor, row))) fail('SUBSCRIPTION_SCOPE_DENIED', 'The user is not within the subscription scope');
  if ((await calendars.findMemberRole(tx, row.id, actor.userId)) === 'reader') {
    await calendars.deleteMember(tx, row.id, actor.userId);
  }
}
