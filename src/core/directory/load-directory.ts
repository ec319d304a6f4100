import type { Platform } from '../actor.ts';
import { ALL_SCOPES } from '../auth/scopes.ts';
import { hashSecret, verifySecret } from '../auth/secrets.ts';
import { newId } from '../ids.ts';
import type { Store, Db } from '../../store/store.ts';
import * as dir from '../../store/repositories/directory.ts';
import { ensurePrimaryCalendar } from '../calendars/primary-calendar.ts';
import type { DirectoryApp, DirectoryFile, DirectoryTenant } from './directory-file.ts';

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
 * Chat members name users by unionId.
 * @throws Error when a chat names a member that is not a user of its tenant.
 */
export async function loadDirectory(store: Store, file: DirectoryFile, now: number): Promise<DirectoryLoadSummary> {
  const summary: DirectoryLoadSummary = { tenants: 0, apps: 0, users: 0, chats: 0, rooms: 0 };
  await store.transaction(async (tx) => {
    for (const tenant of file.tenants) {
      await dir.upsertTenant(tx, { id: tenant.id, name: tenant.name });
      summary.tenants++;
      for (const app of tenant.apps ?? []) {
        await upsertApp(tx, tenant.id, app);
        summary.apps++;
      }
      summary.users += await upsertUsers(tx, tenant, now);
      summary.chats += await upsertChats(tx, tenant);
      for (const room of tenant.rooms ?? []) {
        await dir.upsertRoom(tx, { id: newId(), tenant_id: tenant.id, room_id: room.roomId, name: room.name, capacity: room.capacity ?? null });
        summary.rooms++;
      }
    }
  });
  return summary;
}

async function upsertApp(tx: Db, tenantId: string, app: DirectoryApp): Promise<void> {
  const platform: Platform = app.platform;
  const clientId = app.platform === 'dingtalk' ? app.appKey : app.appId;
  const scopes = JSON.stringify(app.scopes ?? ALL_SCOPES[platform]);
  const bot = app.platform === 'feishu' && app.bot ? 1 : 0;
  const existing = await dir.findApp(tx, platform, clientId);
  if (!existing) {
    await dir.insertApp(tx, { id: newId(), tenant_id: tenantId, platform, client_id: clientId, secret_hash: hashSecret(app.appSecret), scopes, bot });
    return;
  }
  if (existing.tenant_id !== tenantId) {
    throw new Error(`app ${clientId} already belongs to tenant ${existing.tenant_id}`);
  }
  const secret_hash = verifySecret(app.appSecret, existing.secret_hash) ? existing.secret_hash : hashSecret(app.appSecret);
  await dir.updateApp(tx, existing.id, { secret_hash, scopes, bot });
}

async function upsertUsers(tx: Db, tenant: DirectoryTenant, now: number): Promise<number> {
  let count = 0;
  for (const user of tenant.users ?? []) {
    const fields = {
      user_id: user.userId ?? null,
      open_id: user.openId ?? null,
      name: user.name,
      email: user.email ?? null,
      active: user.active === false ? 0 : 1,
    };
    const existing = await dir.findUserByUnionId(tx, tenant.id, user.unionId);
    const id = existing?.id ?? newId();
    if (existing) await dir.updateUser(tx, id, fields);
    else await dir.insertUser(tx, { id, tenant_id: tenant.id, union_id: user.unionId, ...fields });
    await ensurePrimaryCalendar(tx, { id, tenantId: tenant.id, name: user.name }, now);
    count++;
  }
  return count;
}

async function upsertChats(tx: Db, tenant: DirectoryTenant): Promise<number> {
  for (const chat of tenant.chats ?? []) {
    const chatId = await dir.upsertChat(tx, { id: newId(), tenant_id: tenant.id, chat_id: chat.chatId, name: chat.name });
    const members = chat.members ?? [];
    const users = await dir.findUsersByUnionIds(tx, tenant.id, members);
    const missing = members.filter((m) => !users.some((u) => u.union_id === m));
    if (missing.length > 0) throw new Error(`chat ${chat.chatId} names unknown members: ${missing.join(', ')}`);
    await dir.replaceChatMembers(tx, chatId, users.map((u) => u.id));
  }
  return tenant.chats?.length ?? 0;
}
