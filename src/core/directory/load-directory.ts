import type { Platform } from '../actor.ts';
import { ALL_SCOPES } from '../auth/scopes.ts';
import { hashSecret, needsRehash, verifySecret } from '../auth/secrets.ts';
import { newId } from '../ids.ts';
import type { Store, Db } from '../../store/store.ts';
import * as dir from '../../store/repositories/directory.ts';
import { createPrimaryCalendars, DEFAULT_TIME_ZONE, ensurePrimaryCalendar } from '../calendars/primary-calendar.ts';
import { primaryCalendarOwners } from '../../store/repositories/calendars.ts';
import { insertCalendar } from '../../store/repositories/calendars.ts';
import type { DirectoryApp, DirectoryFile, DirectoryTenant } from './directory-file.ts';
import { recordCallbackRegistration } from '../outbox/notify.ts';
import { directoryChanged } from './directory-changes.ts';

/** What a directory load changed, for the start-up log. */
export interface DirectoryLoadSummary {
  tenants: number;
  apps: number;
  users: number;
  chats: number;
  rooms: number;
}

/**
 * Upserts a parsed directory file into the store, in one transaction: loading the same file
 * twice changes nothing. Every user gets a primary calendar the moment they exist.
 * Chat members name users by unionId. What this process remembers of the directory is
 * forgotten once the load is over (directory-changes.ts).
 * @throws Error when a chat names a member that is not a user of its tenant.
 */
export async function loadDirectory(store: Store, file: DirectoryFile, now: number): Promise<DirectoryLoadSummary> {
  const summary: DirectoryLoadSummary = { tenants: 0, apps: 0, users: 0, chats: 0, rooms: 0 };
  try {
    const secrets = await secretHashes(store, file);
    await store.transaction(async (tx) => {
      for (const tenant of file.tenants) {
        await dir.upsertTenant(tx, { id: tenant.id, name: tenant.name });
        summary.tenants++;
        for (const app of tenant.apps ?? []) {
          await upsertApp(tx, tenant.id, app, secrets.get(secretSlot(app))!, now);
          summary.apps++;
        }
        summary.users += await upsertUsers(tx, tenant, now);
        summary.chats += await upsertChats(tx, tenant);
        for (const room of tenant.rooms ?? []) {
          await upsertRoom(tx, tenant.id, room.roomId, room.name, room.capacity ?? null, room.approval === true, now);
          summary.rooms++;
        }
      }
    });
  } finally {
    directoryChanged();
  }
  return summary;
}

/** An app's client id (DingTalk appKey, Feishu app_id). */
function clientIdOf(app: DirectoryApp): string {
  return app.platform === 'dingtalk' ? app.appKey : app.appId;
}

/** Where secretHashes files an app: its platform and client id. */
function secretSlot(app: DirectoryApp): string {
  return `${app.platform}\u0000${clientIdOf(app)}`;
}

/**
 * The secret hash to store for each app of the file: the stored one when the secret is the
 * same (and hashed with today's parameters), else a new one. Worked out before the load's
 * transaction: scrypt takes ~110 ms per new, rotated or upgraded secret, which the transaction
 * would otherwise hold every other write for (on SQLite, the one connection).
 */
async function secretHashes(store: Store, file: DirectoryFile): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const app of file.tenants.flatMap((t) => t.apps ?? [])) {
    const existing = await dir.findApp(store.db, app.platform, clientIdOf(app));
    const kept = existing !== undefined && verifySecret(app.appSecret, existing.secret_hash) && !needsRehash(existing.secret_hash);
    hashes.set(secretSlot(app), kept ? existing.secret_hash : hashSecret(app.appSecret));
  }
  return hashes;
}

async function upsertApp(tx: Db, tenantId: string, app: DirectoryApp, secretHash: string, now: number): Promise<void> {
  const platform: Platform = app.platform;
  const clientId = clientIdOf(app);
  const scopes = JSON.stringify(app.scopes ?? ALL_SCOPES[platform]);
  const bot = app.platform === 'feishu' && app.bot ? 1 : 0;
  const callback = callbackFields(app);
  const existing = await dir.findApp(tx, platform, clientId);
  const id = existing?.id ?? newId();
  if (!existing) {
    await dir.insertApp(tx, { id, tenant_id: tenantId, platform, client_id: clientId, secret_hash: secretHash, scopes, bot, ...callback });
  } else {
    if (existing.tenant_id !== tenantId) throw new Error(`app ${clientId} already belongs to tenant ${existing.tenant_id}`);
    await dir.updateApp(tx, id, { secret_hash: secretHash, scopes, bot, ...callback });
  }
  const changed = !existing || (Object.keys(callback) as (keyof typeof callback)[]).some((k) => existing[k] !== callback[k]);
  if (callback.event_callback_url && callback.event_delivery === 'http' && changed) await recordCallbackRegistration(tx, tenantId, id, now);
  if (platform === 'feishu') await ensureBotUser(tx, tenantId, id, clientId, now);
}

/** The app's event-callback registration as stored; fields the platform does not have are null. */
function callbackFields(app: DirectoryApp) {
  const dingtalk = app.platform === 'dingtalk' ? app : undefined;
  const feishu = app.platform === 'feishu' ? app : undefined;
  return {
    event_callback_url: app.eventCallbackUrl ?? null,
    verification_token: feishu?.verificationToken ?? null,
    encrypt_key: feishu?.encryptKey ?? null,
    callback_token: dingtalk?.callbackToken ?? null,
    aes_key: dingtalk?.aesKey ?? null,
    event_delivery: app.eventDelivery ?? (app.eventCallbackUrl ? 'http' : 'stream'),
  };
}

/**
 * A Feishu app's bot is a principal of its own: a tenant_access_token acts as it, and it has
 * its own primary calendar (Feishu calendar.primary with an app identity). It is never a member
 * of the directory's people: it cannot be invited or acted for by unionId.
 */
async function ensureBotUser(tx: Db, tenantId: string, appId: string, clientId: string, now: number): Promise<void> {
  if (await dir.findBotUser(tx, appId)) return;
  const id = newId();
  await dir.insertUser(tx, {
    id, tenant_id: tenantId, union_id: `on_bot_${clientId}`, user_id: null, open_id: `ou_bot_${clientId}`,
    name: clientId, email: null, active: 1, bot_app_id: appId,
  });
  await ensurePrimaryCalendar(tx, { id, tenantId, name: clientId }, now);
}

/** A meeting room and its resource calendar (Feishu calendar type `resource`); `approval`: its bookings wait for an answer. */
async function upsertRoom(tx: Db, tenantId: string, roomId: string, name: string, capacity: number | null, approval: boolean, now: number): Promise<void> {
  const existing = await dir.findRoom(tx, tenantId, roomId);
  if (existing) {
    await dir.updateRoom(tx, existing.id, { name, capacity, approval: approval ? 1 : 0 });
    return;
  }
  const calendarId = newId();
  await insertCalendar(tx, {
    id: calendarId, tenant_id: tenantId, type: 'resource', owner_user_id: null, summary: name, description: '',
    time_zone: DEFAULT_TIME_ZONE, attributes: JSON.stringify({ roomId }), created_at: now, updated_at: now, deleted_at: null,
  });
  await dir.insertRoom(tx, { id: newId(), tenant_id: tenantId, room_id: roomId, name, capacity, calendar_id: calendarId, approval: approval ? 1 : 0 });
}

/**
 * Upserts a tenant's users in a few set-based statements: one read of who exists, inserts in
 * chunks, an update only for users whose fields changed, and primary calendars for those who
 * lack one. Reloading an unchanged directory of thousands of users writes nothing.
 */
async function upsertUsers(tx: Db, tenant: DirectoryTenant, now: number): Promise<number> {
  const users = tenant.users ?? [];
  const existing = new Map((await dir.findTenantUsers(tx, tenant.id)).map((u) => [u.union_id, u]));
  const fresh: dir.UserRow[] = [];
  for (const user of users) {
    const fields = {
      user_id: user.userId ?? null, open_id: user.openId ?? null, name: user.name,
      email: user.email ?? null, active: user.active === false ? 0 : 1,
    };
    const current = existing.get(user.unionId);
    if (!current) fresh.push({ id: newId(), tenant_id: tenant.id, union_id: user.unionId, ...fields, bot_app_id: null });
    else if (Object.entries(fields).some(([k, v]) => current[k as keyof typeof fields] !== v)) await dir.updateUser(tx, current.id, fields);
  }
  await dir.insertUsers(tx, fresh);
  const withCalendar = new Set(await primaryCalendarOwners(tx, tenant.id));
  const needing = [...existing.values(), ...fresh].filter((u) => u.bot_app_id === null && !withCalendar.has(u.id));
  await createPrimaryCalendars(tx, needing.map((u) => ({ id: u.id, tenantId: tenant.id, name: u.name })), now);
  return users.length;
}

async function upsertChats(tx: Db, tenant: DirectoryTenant): Promise<number> {
  for (const chat of tenant.chats ?? []) {
    const chatId = await dir.upsertChat(tx, { id: newId(), tenant_id: tenant.id, chat_id: chat.chatId, name: chat.name });
    const members = chat.members ?? [];
    const users = await dir.findUsersByUnionIds(tx, tenant.id, members);
    const missing = members.filter((m) => !users.some((u) => u.union_id === m));
    if (missing.length > 0) throw new Error(`chat ${chat.chatId} names unknown members: ${missing.join(', ')}`);
    const bots = [];
    for (const appId of chat.bots ?? []) {
      const app = await dir.findApp(tx, 'feishu', appId);
      const bot = app && await dir.findBotUser(tx, app.id);
      if (!bot || bot.tenant_id !== tenant.id) throw new Error(`chat ${chat.chatId} names a bot of no Feishu app of its tenant: ${appId}`);
      bots.push(bot.id);
    }
    await dir.replaceChatMembers(tx, chatId, [...users.map((u) => u.id), ...bots]);
  }
  return tenant.chats?.length ?? 0;
}
