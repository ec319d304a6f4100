// A Feishu-flavoured test directory: users with realistic Feishu ids (open_id `ou_…`, union_id `on_…`,
// user_id plain), chats `oc_…`, rooms `omm_…`, Feishu apps (full, read-only, no bot) beside a DingTalk app
// of the same tenant, and a second tenant for "another tenant's ids".
//
// App ids carry a per-file tag: the Feishu SDK caches tenant tokens process-wide per appId.
import { createHash } from 'node:crypto';

export interface FsUser {
  key: string;
  name: string;
  openId: string;
  unionId: string;
  userId: string;
  email: string;
  active: boolean;
}

export interface FsApp {
  appId: string;
  appSecret: string;
}

export interface FsChat {
  chatId: string;
  name: string;
  members: FsUser[];
}

export interface FsRoom {
  roomId: string;
  name: string;
  capacity: number;
}

function hex(seed: string, len = 32): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, len);
}

export function fsUser(tenant: string, key: string, name: string, active = true): FsUser {
  return {
    key,
    name,
    openId: `ou_${hex(`open:${tenant}:${key}`)}`,
    unionId: `on_${hex(`union:${key}@${tenant}`)}`,
    userId: key,
    email: `${key}@${tenant}.example`,
    active,
  };
}

export function bulkKey(i: number): string {
  return `bulk${String(i).padStart(5, '0')}`;
}

export interface FeishuFixture {
  tag: string;
  acme: {
    tenantId: string;
    /** All scopes (scopes omitted), bot enabled. */
    app: FsApp;
    /** scopes ['calendar:calendar:readonly'], bot enabled. */
    readonlyApp: FsApp;
    /** scopes ['calendar:calendar'] (explicit read+write), bot enabled. */
    rwApp: FsApp;
    /** bot: false */
    noBotApp: FsApp;
    /** The DingTalk app of the same tenant (all scopes). */
    dingtalkApp: { appKey: string; appSecret: string };
    users: {
      alice: FsUser;
      bob: FsUser;
      carol: FsUser;
      dave: FsUser;
      erin: FsUser;
      frank: FsUser;
      grace: FsUser;
      heidi: FsUser;
      /** active: false (has left the tenant) */
      zed: FsUser;
    };
    /** Members carol and erin. */
    chat: FsChat;
    /** Members alice, bob, dave. */
    chat2: FsChat;
    room: FsRoom;
    room2: FsRoom;
    bulk: FsUser[];
  };
  globex: {
    tenantId: string;
    app: FsApp;
    users: { gina: FsUser; gus: FsUser };
    chat: FsChat;
    room: FsRoom;
  };
  /** The directory JSON for `--directory`. */
  directory: unknown;
}

export interface FeishuDirectoryOptions {
  /** Distinguishes app ids between test files (SDK token cache is per appId). */
  tag: string;
  /** Number of generated users `bulk00000…` in acme (default 0). */
  bulk?: number;
}

export function buildFeishuFixture(opts: FeishuDirectoryOptions): FeishuFixture {
  const tag = opts.tag;
  const A = `fs_acme_${tag}`;
  const GX = `fs_globex_${tag}`;
  const u = (key: string, name: string, active = true) => fsUser(A, key, name, active);
  const users = {
    alice: u('alice', 'Alice'),
    bob: u('bob', 'Bob'),
    carol: u('carol', 'Carol'),
    dave: u('dave', 'Dave'),
    erin: u('erin', 'Erin'),
    frank: u('frank', 'Frank'),
    grace: u('grace', 'Grace'),
    heidi: u('heidi', 'Heidi'),
    zed: u('zed', 'Zed', false),
  };
  const bulk: FsUser[] = [];
  for (let i = 0; i < (opts.bulk ?? 0); i++) bulk.push(u(bulkKey(i), `Bulk User ${i}`));
  const chat: FsChat = { chatId: `oc_${hex(`chat:${A}:team`)}`, name: 'Team', members: [users.carol, users.erin] };
  const chat2: FsChat = {
    chatId: `oc_${hex(`chat:${A}:leads`)}`,
    name: 'Leads',
    members: [users.alice, users.bob, users.dave],
  };
  const room: FsRoom = { roomId: `omm_${hex(`room:${A}:orion`)}`, name: 'Orion', capacity: 8 };
  const room2: FsRoom = { roomId: `omm_${hex(`room:${A}:lyra`)}`, name: 'Lyra', capacity: 4 };

  const gina = fsUser(GX, 'gina', 'Gina');
  const gus = fsUser(GX, 'gus', 'Gus');
  const gChat: FsChat = { chatId: `oc_${hex(`chat:${GX}:team`)}`, name: 'Globex team', members: [gina, gus] };
  const gRoom: FsRoom = { roomId: `omm_${hex(`room:${GX}:main`)}`, name: 'Globex Room', capacity: 4 };

  const acmeApps = {
    app: { appId: `cli_${tag}_${hex(`app:${tag}`, 12)}`, appSecret: `sec-${hex(`secret:${tag}`, 24)}` },
    readonlyApp: { appId: `cli_${tag}_ro_${hex(`ro:${tag}`, 8)}`, appSecret: `sec-ro-${hex(`ro-secret:${tag}`, 20)}` },
    rwApp: { appId: `cli_${tag}_rw_${hex(`rw:${tag}`, 8)}`, appSecret: `sec-rw-${hex(`rw-secret:${tag}`, 20)}` },
    noBotApp: { appId: `cli_${tag}_nobot_${hex(`nb:${tag}`, 8)}`, appSecret: `sec-nb-${hex(`nb-secret:${tag}`, 20)}` },
    dingtalkApp: { appKey: `ding_${tag}_${hex(`ding:${tag}`, 8)}`, appSecret: `ding-sec-${hex(`ding-secret:${tag}`, 20)}` },
  };
  const globexApp = { appId: `cli_${tag}_gx_${hex(`gx:${tag}`, 8)}`, appSecret: `sec-gx-${hex(`gx-secret:${tag}`, 20)}` };

  const dirUser = (x: FsUser) => ({
    unionId: x.unionId,
    userId: x.userId,
    openId: x.openId,
    name: x.name,
    email: x.email,
    active: x.active,
  });
  const dirChat = (c: FsChat) => ({ chatId: c.chatId, name: c.name, members: c.members.map((m) => m.unionId) });

  const directory = {
    tenants: [
      {
        id: A,
        name: 'Acme Lark',
        apps: [
          {
            platform: 'dingtalk',
            appKey: acmeApps.dingtalkApp.appKey,
            appSecret: acmeApps.dingtalkApp.appSecret,
          },
          { platform: 'feishu', appId: acmeApps.app.appId, appSecret: acmeApps.app.appSecret, bot: true },
          {
            platform: 'feishu',
            appId: acmeApps.readonlyApp.appId,
            appSecret: acmeApps.readonlyApp.appSecret,
            bot: true,
            scopes: ['calendar:calendar:readonly'],
          },
          {
            platform: 'feishu',
            appId: acmeApps.rwApp.appId,
            appSecret: acmeApps.rwApp.appSecret,
            bot: true,
            scopes: ['calendar:calendar'],
          },
          { platform: 'feishu', appId: acmeApps.noBotApp.appId, appSecret: acmeApps.noBotApp.appSecret, bot: false },
        ],
        users: [...Object.values(users), ...bulk].map(dirUser),
        // The main app's bot is in Team (it may list Team's members as a chat attendee), not in Leads.
        chats: [{ ...dirChat(chat), bots: [acmeApps.app.appId] }, dirChat(chat2)],
        rooms: [room, room2],
      },
      {
        id: GX,
        name: 'Globex Lark',
        apps: [{ platform: 'feishu', appId: globexApp.appId, appSecret: globexApp.appSecret, bot: true }],
        users: [gina, gus].map(dirUser),
        chats: [dirChat(gChat)],
        rooms: [gRoom],
      },
    ],
  };

  return {
    tag,
    acme: { tenantId: A, ...acmeApps, users, chat, chat2, room, room2, bulk },
    globex: { tenantId: GX, app: globexApp, users: { gina, gus }, chat: gChat, room: gRoom },
    directory,
  };
}
