// The test directory (tenants, apps, users, chats, rooms), generated in code.

export const ALL_SCOPES = [
  'Calendar.Event.Write',
  'Calendar.Event.Read',
  'Calendar.Calendar.Write',
  'Calendar.Calendar.Read',
];

export const ACME = {
  tenantId: 'acme',
  /** Full-scope DingTalk app. */
  app: { appKey: 'ding_acme', appSecret: 'acme-secret-1' },
  /** Only Calendar.Event.Read. */
  readApp: { appKey: 'ding_acme_ro', appSecret: 'acme-secret-ro' },
  /** Only Calendar.Calendar.Read. */
  calReadApp: { appKey: 'ding_acme_calread', appSecret: 'acme-secret-calread' },
  /** No scopes listed = all calendar scopes. */
  defaultScopeApp: { appKey: 'ding_acme_default', appSecret: 'acme-secret-default' },
  feishuApp: { appId: 'cli_acme', appSecret: 'acme-feishu-secret' },
};

export const GLOBEX = {
  tenantId: 'globex',
  app: { appKey: 'ding_globex', appSecret: 'globex-secret-1' },
};

/** The user ids used verbatim in the vendor request examples (seeds 000, 002, 003). */
export const SEED_USERS = {
  /** seed 000 (remove attendee: organizer removes himself) and the attendee of seed 002 */
  iii: 'iiiP35sJadba8aBSgjrwPRKgiEiF',
  /** seed 002 (add attendee): the organizer */
  u5k: 'U5KPwll3QjgiG',
  /** seed 003 (unsubscribe) */
  zxj: 'ZXJzLmxxx',
};

export const U = {
  alice: 'u_alice',
  bob: 'u_bob',
  carol: 'u_carol',
  dave: 'u_dave',
  erin: 'u_erin',
  frank: 'u_frank',
  grace: 'u_grace',
  heidi: 'u_heidi',
  ivan: 'u_ivan',
  judy: 'u_judy',
  /** active:false, a user who has left */
  zed: 'u_zed_left',
};

export const NAMES: Record<string, string> = {
  [U.alice]: 'Alice',
  [U.bob]: 'Bob',
  [U.carol]: 'Carol',
  [U.dave]: 'Dave',
  [U.erin]: 'Erin',
  [U.frank]: 'Frank',
  [U.grace]: 'Grace',
  [U.heidi]: 'Heidi',
  [U.ivan]: 'Ivan',
  [U.judy]: 'Judy',
  [U.zed]: 'Zed',
  [SEED_USERS.iii]: 'Seed Iii',
  [SEED_USERS.u5k]: 'Seed U5k',
  [SEED_USERS.zxj]: 'Seed Zxj',
};

export const G = {
  gina: 'g_gina',
  gus: 'g_gus',
};

/** Chat in acme whose members are carol and erin (used for subscribeScope.openConversationIds). */
export const ACME_CHAT = 'oc_team';
export const GLOBEX_CHAT = 'oc_globex';

export const BULK_USER_COUNT = 5100;
export function bulkId(i: number): string {
  return `u_${String(i).padStart(5, '0')}`;
}
/** bulkIds(a, b) = [u_a, …, u_(b-1)] */
export function bulkIds(from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(bulkId(i));
  return out;
}

function user(unionId: string, userId: string, name: string, active = true) {
  return {
    unionId,
    userId,
    openId: `ou_${userId}`,
    name,
    email: `${userId}@acme.example`,
    active,
  };
}

export interface DirectoryOptions {
  /** Include the 5,100 generated users (default true). */
  bulk?: boolean;
}

export function buildDirectory(opts: DirectoryOptions = {}) {
  const bulk = opts.bulk ?? true;
  const acmeUsers = [
    user(U.alice, 'alice', 'Alice'),
    user(U.bob, 'bob', 'Bob'),
    user(U.carol, 'carol', 'Carol'),
    user(U.dave, 'dave', 'Dave'),
    user(U.erin, 'erin', 'Erin'),
    user(U.frank, 'frank', 'Frank'),
    user(U.grace, 'grace', 'Grace'),
    user(U.heidi, 'heidi', 'Heidi'),
    user(U.ivan, 'ivan', 'Ivan'),
    user(U.judy, 'judy', 'Judy'),
    user(U.zed, 'zed', 'Zed', false),
    user(SEED_USERS.iii, 'seed_iii', 'Seed Iii'),
    user(SEED_USERS.u5k, 'seed_u5k', 'Seed U5k'),
    user(SEED_USERS.zxj, 'seed_zxj', 'Seed Zxj'),
  ];
  if (bulk) {
    for (let i = 0; i < BULK_USER_COUNT; i++) {
      const id = bulkId(i);
      acmeUsers.push(user(id, `bulk${i}`, `Bulk User ${i}`));
    }
  }
  return {
    tenants: [
      {
        id: ACME.tenantId,
        name: 'Acme',
        apps: [
          { platform: 'dingtalk', appKey: ACME.app.appKey, appSecret: ACME.app.appSecret, scopes: [...ALL_SCOPES] },
          { platform: 'dingtalk', appKey: ACME.readApp.appKey, appSecret: ACME.readApp.appSecret, scopes: ['Calendar.Event.Read'] },
          {
            platform: 'dingtalk',
            appKey: ACME.calReadApp.appKey,
            appSecret: ACME.calReadApp.appSecret,
            scopes: ['Calendar.Calendar.Read'],
          },
          { platform: 'dingtalk', appKey: ACME.defaultScopeApp.appKey, appSecret: ACME.defaultScopeApp.appSecret },
          { platform: 'feishu', appId: ACME.feishuApp.appId, appSecret: ACME.feishuApp.appSecret, bot: true },
        ],
        users: acmeUsers,
        chats: [{ chatId: ACME_CHAT, name: 'Team', members: [U.carol, U.erin], bots: [ACME.feishuApp.appId] }],
        rooms: [
          { roomId: 'omm_orion', name: 'Orion', capacity: 8 },
          { roomId: 'omm_lyra', name: 'Lyra', capacity: 4 },
          { roomId: 'omm_vega', name: 'Vega', capacity: 12, approval: true },
        ],
      },
      {
        id: GLOBEX.tenantId,
        name: 'Globex',
        apps: [
          { platform: 'dingtalk', appKey: GLOBEX.app.appKey, appSecret: GLOBEX.app.appSecret, scopes: [...ALL_SCOPES] },
        ],
        users: [
          {
            unionId: G.gina,
            userId: 'gina',
            openId: 'ou_gina',
            name: 'Gina',
            email: 'gina@globex.example',
            active: true,
          },
          { unionId: G.gus, userId: 'gus', openId: 'ou_gus', name: 'Gus', email: 'gus@globex.example', active: true },
        ],
        chats: [{ chatId: GLOBEX_CHAT, name: 'Globex team', members: [G.gina, G.gus] }],
        rooms: [{ roomId: 'omm_globex', name: 'Globex Room', capacity: 4 }],
      },
    ],
  };
}
