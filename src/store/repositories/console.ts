import { sql, type Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { Db } from '../store.ts';

/**
 * The console's reads. Every list is bounded (the console is a window, not an export), and
 * nothing here returns an app's secrets: apps come back with their callback secrets reduced to
 * "set or not".
 */

export type ConsoleTenant = Database['tenants'];
export type ConsoleUser = Selectable<Database['users']>;
export type ConsoleCalendar = Selectable<Database['calendars']>;
export type ConsoleEvent = Selectable<Database['events']>;
export type ConsoleAttendee = Selectable<Database['attendees']>;
export type ConsoleInboxMessage = Selectable<Database['inbox_messages']>;
export type ConsoleOutboxRow = Selectable<Database['outbox']>;
export type ConsoleDelivery = Selectable<Database['deliveries']>;

/** An app as the console may show it: no secret hash, no callback secrets. */
export interface ConsoleApp {
  id: string;
  tenant_id: string;
  platform: string;
  client_id: string;
  scopes: string;
  bot: number;
  event_callback_url: string | null;
  /** Which callback secrets are configured (the values never leave the store through here). */
  secretsSet: { verificationToken: boolean; encryptKey: boolean; callbackToken: boolean; aesKey: boolean };
  /** Status of the latest URL check delivery (`url_verification`, `check_url`); null: none yet. */
  verification: string | null;
}

/** Feishu's and DingTalk's URL check callbacks: a delivered one means the URL is verified. */
const URL_CHECKS = ['url_verification', 'check_url'];

/** Escapes `%`, `_` and `\` for a `like … escape '\'` pattern that matches `text` anywhere. */
function containing(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function listTenants(db: Db, limit = 100): Promise<ConsoleTenant[]> {
  return db.selectFrom('tenants').selectAll().orderBy('id').limit(limit).execute();
}

/** Every app (bounded), with its URL-check status from the newest check delivery. */
export async function listApps(db: Db, limit = 200): Promise<ConsoleApp[]> {
  const rows = await db.selectFrom('apps')
    .select(['id', 'tenant_id', 'platform', 'client_id', 'scopes', 'bot', 'event_callback_url',
      'verification_token', 'encrypt_key', 'callback_token', 'aes_key'])
    .select((eb) => eb.selectFrom('deliveries as d').select('d.status')
      .whereRef('d.app_id', '=', 'apps.id').where('d.event_type', 'in', URL_CHECKS)
      .orderBy('d.id', 'desc').limit(1).as('verification'))
    .orderBy('tenant_id').orderBy('platform').orderBy('client_id').limit(limit).execute();
  return rows.map(({ verification_token, encrypt_key, callback_token, aes_key, verification, ...app }) => ({
    ...app,
    secretsSet: { verificationToken: verification_token !== null, encryptKey: encrypt_key !== null, callbackToken: callback_token !== null, aesKey: aes_key !== null },
    verification: verification ?? null,
  }));
}

/**
 * The secret values of apps, for the console to blank them out of captured callback bodies and
 * replies (a Feishu envelope carries the Verification Token in clear). Never rendered.
 */
export async function appSecretValues(db: Db, appIds: readonly string[]): Promise<string[]> {
  if (appIds.length === 0) return [];
  const rows = await db.selectFrom('apps').select(['verification_token', 'encrypt_key', 'callback_token', 'aes_key'])
    .where('id', 'in', [...new Set(appIds)]).execute();
  return rows.flatMap((r) => [r.verification_token, r.encrypt_key, r.callback_token, r.aes_key]).filter((v): v is string => !!v);
}

/** Users of a tenant by name (bots included; they are principals too), at most `limit`. */
export function listTenantUsers(db: Db, tenantId: string, limit: number): Promise<ConsoleUser[]> {
  return db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).orderBy('name').orderBy('id').limit(limit).execute();
}

/** Number of users per tenant. */
export async function countUsersByTenant(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('users').select(['tenant_id', (eb) => eb.fn.countAll().as('n')]).groupBy('tenant_id').execute();
  return new Map(rows.map((r) => [r.tenant_id, Number(r.n)]));
}

export function findUser(db: Db, id: string): Promise<ConsoleUser | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Display names of users, chats and rooms by internal id (kind `user`, `chat`, `resource`). */
export async function namesOf(db: Db, refs: ReadonlyArray<{ kind: string; ref: string }>): Promise<Map<string, string>> {
  const ids = (kind: string) => [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.ref))];
  const names = new Map<string, string>();
  const users = ids('user');
  const chats = ids('chat');
  const rooms = ids('resource');
  if (users.length) for (const r of await db.selectFrom('users').select(['id', 'name']).where('id', 'in', users).execute()) names.set(r.id, r.name);
  if (chats.length) for (const r of await db.selectFrom('chats').select(['id', 'name']).where('id', 'in', chats).execute()) names.set(r.id, r.name);
  if (rooms.length) for (const r of await db.selectFrom('rooms').select(['id', 'name']).where('id', 'in', rooms).execute()) names.set(r.id, r.name);
  return names;
}

/** Users whose unionId, openId or userId is `id`, or whose name contains `text`. */
export function searchUsers(db: Db, text: string, limit: number): Promise<ConsoleUser[]> {
  return db.selectFrom('users').selectAll()
    .where((eb) => eb.or([
      eb('id', '=', text), eb('union_id', '=', text), eb('open_id', '=', text), eb('user_id', '=', text),
      eb(sql<string>`lower(name)`, 'like', sql<string>`${containing(text)} escape '\\'`),
    ]))
    .orderBy('name').orderBy('id').limit(limit).execute();
}

/** The user's calendars: those they are a member of, plus the primary calendar they own. */
export async function userCalendars(db: Db, userId: string): Promise<Array<ConsoleCalendar & { role: string }>> {
  const members = await db.selectFrom('calendar_members')
    .innerJoin('calendars', 'calendars.id', 'calendar_members.calendar_id')
    .selectAll('calendars').select('calendar_members.role')
    .where('calendar_members.user_id', '=', userId).orderBy('calendars.created_at').limit(200).execute();
  const owned = await db.selectFrom('calendars').selectAll().where('owner_user_id', '=', userId).orderBy('created_at').limit(50).execute();
  const seen = new Set(members.map((c) => c.id));
  return [...owned.filter((c) => !seen.has(c.id)).map((c) => ({ ...c, role: 'owner' })), ...members];
}

/** Events the user organizes or is invited to (directly or through a chat), newest first. */
export function userEvents(db: Db, userId: string, limit: number): Promise<ConsoleEvent[]> {
  return db.selectFrom('events').selectAll()
    .where((eb) => eb.or([
      eb('organizer_id', '=', userId),
      eb('id', 'in', eb.selectFrom('attendees').select('event_id')
        .where('user_seq', '=', eb.selectFrom('users').select('seq').where('id', '=', userId))),
      eb('id', 'in', eb.selectFrom('attendee_chat_members').select('event_id').where('user_id', '=', userId)),
    ]))
    .orderBy('range_start', 'desc').orderBy('id').limit(limit).execute();
}

export function findCalendars(db: Db, ids: readonly string[]): Promise<ConsoleCalendar[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('calendars').selectAll().where('id', 'in', [...ids]).execute();
}

/** Calendars whose summary contains `text` (case-insensitive). */
export function searchCalendarsBySummary(db: Db, text: string, limit: number): Promise<ConsoleCalendar[]> {
  return db.selectFrom('calendars').selectAll()
    .where(sql<string>`lower(summary)`, 'like', sql<string>`${containing(text)} escape '\\'`)
    .orderBy('created_at').orderBy('id').limit(limit).execute();
}

/** Members of a calendar with their roles. */
export function calendarMembers(db: Db, calendarId: string, limit: number): Promise<Array<{ user_id: string; role: string; name: string }>> {
  return db.selectFrom('calendar_members').innerJoin('users', 'users.id', 'calendar_members.user_id')
    .select(['calendar_members.user_id', 'calendar_members.role', 'users.name'])
    .where('calendar_members.calendar_id', '=', calendarId).orderBy('users.name').limit(limit).execute();
}

/** Events of a calendar, newest first. */
export function calendarEvents(db: Db, calendarId: string, limit: number): Promise<ConsoleEvent[]> {
  return db.selectFrom('events').selectAll().where('calendar_id', '=', calendarId)
    .orderBy('range_start', 'desc').orderBy('id').limit(limit).execute();
}

export function findEvents(db: Db, ids: readonly string[]): Promise<ConsoleEvent[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('events').selectAll().where('id', 'in', [...ids]).execute();
}

/** Events whose summary contains `text` (case-insensitive), newest first. */
export function searchEventsBySummary(db: Db, text: string, limit: number): Promise<ConsoleEvent[]> {
  return db.selectFrom('events').selectAll()
    .where(sql<string>`lower(summary)`, 'like', sql<string>`${containing(text)} escape '\\'`)
    .orderBy('range_start', 'desc').orderBy('id').limit(limit).execute();
}

/** Events (or series) whose covered span overlaps `[from, to)`, ms; earliest first. */
export function eventsOverlapping(db: Db, from: number, to: number, limit: number): Promise<ConsoleEvent[]> {
  return db.selectFrom('events').selectAll().where('range_start', '<', to).where('range_end', '>=', from)
    .orderBy('range_start').orderBy('id').limit(limit).execute();
}

/** One page of an event's attendees in the order added (keyset on `seq`). */
export function attendeePage(db: Db, eventId: string, afterSeq: number, limit: number): Promise<ConsoleAttendee[]> {
  return db.selectFrom('attendees').selectAll().where('event_id', '=', eventId).where('seq', '>', afterSeq)
    .orderBy('seq').limit(limit).execute();
}

/** The event's change records (`change` outbox rows: who changed what), oldest first. */
export function eventHistory(db: Db, eventId: string, limit: number): Promise<ConsoleOutboxRow[]> {
  return db.selectFrom('outbox').selectAll().where('event_id', '=', eventId).where('channel', '=', 'change')
    .orderBy('id').limit(limit).execute();
}

export function findDelivery(db: Db, id: number): Promise<ConsoleDelivery | undefined> {
  return db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}
