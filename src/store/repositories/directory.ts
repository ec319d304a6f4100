import type { Insertable, Selectable } from 'kysely';
import { hasRowLocks } from '../row-lock.ts';
import type { Database } from '../schema.ts';
import { PreparedQuery } from '../prepared-query.ts';
import type { Db } from '../store.ts';
import { receivesEvents } from './stream-connections.ts';

export interface TenantRow { id: string; name: string }
export type AppRow = Database['apps'];
export interface UserRow {
  id: string; tenant_id: string; union_id: string; user_id: string | null;
  open_id: string | null; name: string; email: string | null; active: number; bot_app_id: string | null;
}

export async function countTenants(db: Db): Promise<number> {
  const row = await db.selectFrom('tenants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function upsertTenant(db: Db, tenant: TenantRow): Promise<void> {
  await db.insertInto('tenants').values(tenant)
    .onConflict((oc) => oc.column('id').doUpdateSet({ name: tenant.name })).execute();
}

export function findApp(db: Db, platform: string, clientId: string): Promise<AppRow | undefined> {
  return db.selectFrom('apps').selectAll().where('platform', '=', platform).where('client_id', '=', clientId).executeTakeFirst();
}

export function findAppById(db: Db, id: string): Promise<AppRow | undefined> {
  return db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Tenants with at least one app that receives events now (a callback URL, or an open long connection). */
export async function tenantsWithCallbacks(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('apps as a').select('a.tenant_id').distinct().where(receivesEvents).execute();
  return new Set(rows.map((r) => r.tenant_id));
}

/** The tenant's apps of one platform that receive events now: by HTTP callback or over an open long connection. */
export function findCallbackApps(db: Db, tenantId: string, platform: string): Promise<AppRow[]> {
  return db.selectFrom('apps as a').selectAll('a').where('a.tenant_id', '=', tenantId).where('a.platform', '=', platform)
    .where(receivesEvents).orderBy('a.client_id').execute();
}

export async function insertApp(db: Db, app: AppRow): Promise<void> {
  await db.insertInto('apps').values(app).execute();
}

export async function updateApp(db: Db, id: string, fields: Partial<Omit<AppRow, 'id'>>): Promise<void> {
  await db.updateTable('apps').set(fields).where('id', '=', id).execute();
}

export function findUserByUnionId(db: Db, tenantId: string, unionId: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('union_id', '=', unionId).executeTakeFirst();
}

/** Users of a tenant by unionId, for resolving a batch of attendee ids in one query. */
export async function findUsersByUnionIds(db: Db, tenantId: string, unionIds: readonly string[]): Promise<UserRow[]> {
  if (unionIds.length === 0) return [];
  return db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('union_id', 'in', unionIds).execute();
}

/** Users by internal id, for rendering attendees. */
export async function findUsersByIds(db: Db, ids: readonly string[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return usersById.rows(db, { ids });
}

/** Users per query of `unionIdsByUserIds` (parameters: under SQLite's and PostgreSQL's limits). */
const IDS_PER_QUERY = 500;

/**
 * The unionId of each of many users, by internal id, in one query per IDS_PER_QUERY ids (not
 * prepared: a pass's list has a length of its own each time). Unknown ids are left out.
 */
export async function unionIdsByUserIds(db: Db, ids: readonly string[]): Promise<Array<{ id: string; union_id: string }>> {
  const found: Array<{ id: string; union_id: string }> = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    found.push(...await db.selectFrom('users').select(['id', 'union_id']).where('id', 'in', ids.slice(i, i + IDS_PER_QUERY)).execute());
  }
  return found;
}

const usersById = new PreparedQuery((db, a: { ids: readonly string[] }) => db.selectFrom('users').selectAll().where('id', 'in', a.ids), ['ids']);

export async function insertUser(db: Db, user: UserRow): Promise<void> {
  await db.insertInto('users').values(user).execute();
}

export async function updateUser(db: Db, id: string, fields: Partial<Omit<UserRow, 'id' | 'tenant_id'>>): Promise<void> {
  await db.updateTable('users').set(fields).where('id', '=', id).execute();
}

export async function upsertChat(db: Db, chat: { id: string; tenant_id: string; chat_id: string; name: string }): Promise<string> {
  const existing = await db.selectFrom('chats').select('id').where('tenant_id', '=', chat.tenant_id).where('chat_id', '=', chat.chat_id).executeTakeFirst();
  if (existing) {
    await db.updateTable('chats').set({ name: chat.name }).where('id', '=', existing.id).execute();
    return existing.id;
  }
  await db.insertInto('chats').values(chat).execute();
  return chat.id;
}

export async function replaceChatMembers(db: Db, chatId: string, userIds: readonly string[]): Promise<void> {
  await db.deleteFrom('chat_members').where('chat_id', '=', chatId).execute();
  if (userIds.length > 0) {
    await db.insertInto('chat_members').values(userIds.map((user_id) => ({ chat_id: chatId, user_id }))).execute();
  }
}

export type RoomRow = Selectable<Database['rooms']>;

export function findRoom(db: Db, tenantId: string, roomId: string): Promise<RoomRow | undefined> {
  return db.selectFrom('rooms').selectAll().where('tenant_id', '=', tenantId).where('room_id', '=', roomId).executeTakeFirst();
}

export async function insertRoom(db: Db, room: Insertable<Database['rooms']>): Promise<void> {
  await db.insertInto('rooms').values(room).execute();
}

export async function updateRoom(db: Db, id: string, fields: { name: string; capacity: number | null; approval: number }): Promise<void> {
  await db.updateTable('rooms').set(fields).where('id', '=', id).execute();
}

/**
 * Locks a room's row until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite's write
 * transactions are already serial), so two bookings of one room, on any node, are checked for
 * overlap one after the other.
 */
export async function lockRoom(db: Db, id: string): Promise<void> {
  if (hasRowLocks(db)) await db.selectFrom('rooms').select('id').where('id', '=', id).forUpdate().execute();
}

/** The bot principal of a Feishu app, if it has one. */
export function findBotUser(db: Db, appId: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('bot_app_id', '=', appId).executeTakeFirst();
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

const USER_ID_COLUMNS = { union_id: 'union_id', open_id: 'open_id', user_id: 'user_id' } as const;

/** Users of a tenant by one of the three id types, in one query. */
export async function findUsersByIdType(db: Db, tenantId: string, idType: keyof typeof USER_ID_COLUMNS, ids: readonly string[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where(USER_ID_COLUMNS[idType], 'in', ids).execute();
}

const userIdsByIdType = Object.fromEntries(Object.values(USER_ID_COLUMNS).map((column) => [column, new PreparedQuery(
  (db, a: { tenantId: string; ids: readonly string[] }) => db.selectFrom('users').select('id').where('tenant_id', '=', a.tenantId).where(column, 'in', a.ids),
  ['ids'],
)])) as Record<keyof typeof USER_ID_COLUMNS, PreparedQuery<{ tenantId: string; ids: readonly string[] }, { id: string }>>;

/**
 * The internal ids of a tenant's users (any, active or not) among `ids` of one id type, in one
 * prepared query: what a removal of 500 needs, without reading 500 whole user rows.
 */
export async function findUserIdsByIdType(db: Db, tenantId: string, idType: keyof typeof USER_ID_COLUMNS, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  return (await userIdsByIdType[idType].rows(db, { tenantId, ids })).map((u) => u.id);
}

/** Users (of any tenant) whose internal id, unionId, open_id or user_id is `id`. */
export function findUsersByAnyId(db: Db, id: string): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll()
    .where((eb) => eb.or([eb('id', '=', id), eb('union_id', '=', id), eb('open_id', '=', id), eb('user_id', '=', id)]))
    .limit(10).execute();
}

export function findTenant(db: Db, id: string): Promise<TenantRow | undefined> {
  return db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
}

type IdType = keyof typeof USER_ID_COLUMNS;
const activeByIdType = Object.fromEntries(Object.values(USER_ID_COLUMNS).map((column) => [column, new PreparedQuery(
  (db, a: { tenantId: string; ids: readonly string[] }) => db.selectFrom('users').select(['id', 'seq', `${column} as given`])
    .where('tenant_id', '=', a.tenantId).where(column, 'in', a.ids).where('active', '=', 1).where('bot_app_id', 'is', null),
  ['ids'],
)])) as Record<IdType, PreparedQuery<{ tenantId: string; ids: readonly string[] }, ActiveUserId>>;

/** A person found by one of their ids: that id (`given`), their internal id and number. */
export interface ActiveUserId { id: string; seq: number; given: string | null }

/**
 * The people (active users, bots excluded) of a tenant among `ids` of one id type, in one query:
 * each as the id it was asked by (`given`), its internal id and number. Only the columns that
 * decide are read, so a batch of 500 costs what SQLite needs to find them.
 */
export async function findActiveUserIds(db: Db, tenantId: string, idType: IdType, ids: readonly string[]): Promise<ActiveUserId[]> {
  if (ids.length === 0) return [];
  return activeByIdType[idType].rows(db, { tenantId, ids });
}

export async function findChatsByChatIds(db: Db, tenantId: string, chatIds: readonly string[]) {
  if (chatIds.length === 0) return [];
  return db.selectFrom('chats').selectAll().where('tenant_id', '=', tenantId).where('chat_id', 'in', chatIds).execute();
}

export async function findChatsByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('chats').selectAll().where('id', 'in', ids).execute();
}

export async function findRoomsByRoomIds(db: Db, tenantId: string, roomIds: readonly string[]) {
  if (roomIds.length === 0) return [];
  return db.selectFrom('rooms').selectAll().where('tenant_id', '=', tenantId).where('room_id', 'in', roomIds).execute();
}

export async function findRoomsByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('rooms').selectAll().where('id', 'in', ids).execute();
}

/** Of the given chat ids (platform chat_id), those the user is a member of. */
export async function memberChatIds(db: Db, userId: string, chatIds: readonly string[]): Promise<string[]> {
  if (chatIds.length === 0) return [];
  const rows = await db.selectFrom('chat_members').innerJoin('chats', 'chats.id', 'chat_members.chat_id')
    .select('chats.chat_id').where('chat_members.user_id', '=', userId)
    .where('chats.chat_id', 'in', chatIds).execute();
  return rows.map((r) => r.chat_id);
}

/** Internal user ids of a chat's active members, its bots left out (a chat invites its people). */
export async function chatMemberUserIds(db: Db, chatId: string): Promise<string[]> {
  const rows = await db.selectFrom('chat_members').innerJoin('users', 'users.id', 'chat_members.user_id')
    .select('users.id').where('chat_members.chat_id', '=', chatId).where('users.active', '=', 1)
    .where('users.bot_app_id', 'is', null).orderBy('users.id').execute();
  return rows.map((r) => r.id);
}

/** Whether a user (or bot) is in a chat (internal chat id). */
export async function isInChat(db: Db, chatId: string, userId: string): Promise<boolean> {
  const row = await db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chatId).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** Every user of a tenant (bots included). */
export function findTenantUsers(db: Db, tenantId: string): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).execute();
}

/** Inserts users in chunks of 500 rows per statement. */
export async function insertUsers(db: Db, rows: readonly UserRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('users').values(rows.slice(i, i + 500)).execute();
}
