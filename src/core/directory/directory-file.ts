import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const strict = { additionalProperties: false } as const;
const NonEmpty = Type.String({ minLength: 1 });
/** Where the platform POSTs the app's event callbacks (an http or https URL). */
const CallbackUrl = Type.String({ pattern: '^https?://[^\\s]+$' });
/**
 * How the app receives its events: `http`, POSTed to `eventCallbackUrl`; `stream`, pushed over
 * the long connections it opens (DingTalk Stream Mode, Feishu's WebSocket client). Default:
 * `http` when the app has an `eventCallbackUrl`, else `stream`.
 */
const EventDelivery = Type.Union([Type.Literal('http'), Type.Literal('stream')]);

const DingTalkApp = Type.Object(
  {
    platform: Type.Literal('dingtalk'),
    appKey: NonEmpty,
    appSecret: NonEmpty,
    scopes: Type.Optional(Type.Array(NonEmpty)),
    /** HTTP event callbacks: URL, signing token and the 43-character EncodingAESKey. */
    eventCallbackUrl: Type.Optional(CallbackUrl),
    callbackToken: Type.Optional(NonEmpty),
    aesKey: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/]{43}$' })),
    eventDelivery: Type.Optional(EventDelivery),
  },
  strict,
);

const FeishuApp = Type.Object(
  {
    platform: Type.Literal('feishu'),
    appId: NonEmpty,
    appSecret: NonEmpty,
    scopes: Type.Optional(Type.Array(NonEmpty)),
    bot: Type.Optional(Type.Boolean()),
    /** Event subscription: request URL, Verification Token and (optional) Encrypt Key. */
    eventCallbackUrl: Type.Optional(CallbackUrl),
    verificationToken: Type.Optional(NonEmpty),
    encryptKey: Type.Optional(NonEmpty),
    eventDelivery: Type.Optional(EventDelivery),
  },
  strict,
);

const User = Type.Object(
  {
    unionId: NonEmpty,
    userId: Type.Optional(NonEmpty),
    openId: Type.Optional(NonEmpty),
    name: NonEmpty,
    email: Type.Optional(Type.String()),
    active: Type.Optional(Type.Boolean()),
  },
  strict,
);

const Chat = Type.Object(
  {
    chatId: NonEmpty, name: NonEmpty, members: Type.Optional(Type.Array(NonEmpty)),
    /** Feishu app ids whose bots are in the chat (a bot lists a chat's members only from inside it). */
    bots: Type.Optional(Type.Array(NonEmpty)),
  },
  strict,
);

const Room = Type.Object(
  { roomId: NonEmpty, name: NonEmpty, capacity: Type.Optional(Type.Integer({ minimum: 0 })), approval: Type.Optional(Type.Boolean()) },
  strict,
);

const Tenant = Type.Object(
  {
    id: NonEmpty,
    name: NonEmpty,
    apps: Type.Optional(Type.Array(Type.Union([DingTalkApp, FeishuApp]))),
    users: Type.Optional(Type.Array(User)),
    chats: Type.Optional(Type.Array(Chat)),
    rooms: Type.Optional(Type.Array(Room)),
  },
  strict,
);

/**
 * The directory file (`--directory FILE`): who exists. Tenants with their apps, users, chats
 * (groups; `members` are unionIds) and meeting rooms. `scopes` omitted means every calendar
 * scope; `active: false` is a user who has left. An app with `eventCallbackUrl` receives its
 * platform's event callbacks there (DingTalk: signed with `callbackToken`, encrypted with
 * `aesKey`, both required with the URL; Feishu: `encryptKey` optional); `eventDelivery: "stream"`
 * (the default without a URL) sends them over the app's long connections instead.
 */
export const DirectoryFile = Type.Object({ tenants: Type.Array(Tenant) }, strict);
export type DirectoryFile = Static<typeof DirectoryFile>;
export type DirectoryTenant = Static<typeof Tenant>;
export type DirectoryApp = Static<typeof DingTalkApp> | Static<typeof FeishuApp>;

/** Error raised for a directory file that does not match the format. */
export class DirectoryFormatError extends Error {
  override name = 'DirectoryFormatError';
}

/**
 * Checks `input` against the directory format.
 * @throws DirectoryFormatError naming the first unknown key, or the first invalid field and why.
 */
export function parseDirectory(input: unknown): DirectoryFile {
  if (Value.Check(DirectoryFile, input)) return checkCallbacks(input);
  const unknown = findUnknownKey(input, '');
  if (unknown) throw new DirectoryFormatError(`unknown key "${unknown.key}" at ${unknown.at || '/'}`);
  const first = Value.Errors(DirectoryFile, input).First();
  const where = first?.path || '/';
  throw new DirectoryFormatError(`invalid directory at ${where}: ${first?.message ?? 'does not match'}`);
}

/** DingTalk signs and encrypts every callback, so a callback URL needs both of its secrets. */
function checkCallbacks(file: DirectoryFile): DirectoryFile {
  for (const [t, tenant] of file.tenants.entries()) {
    for (const [a, app] of (tenant.apps ?? []).entries()) {
      if (app.platform === 'dingtalk' && app.eventCallbackUrl && !(app.callbackToken && app.aesKey)) {
        throw new DirectoryFormatError(`invalid directory at /tenants/${t}/apps/${a}: eventCallbackUrl needs callbackToken and aesKey`);
      }
      if (app.eventDelivery === 'http' && !app.eventCallbackUrl) {
        throw new DirectoryFormatError(`invalid directory at /tenants/${t}/apps/${a}: eventDelivery "http" needs eventCallbackUrl`);
      }
    }
  }
  return file;
}

const KNOWN_KEYS: Record<string, readonly string[]> = {
  root: ['tenants'],
  tenants: ['id', 'name', 'apps', 'users', 'chats', 'rooms'],
  apps: ['platform', 'appKey', 'appId', 'appSecret', 'scopes', 'bot', 'eventCallbackUrl', 'callbackToken', 'aesKey', 'verificationToken', 'encryptKey', 'eventDelivery'],
  users: ['unionId', 'userId', 'openId', 'name', 'email', 'active'],
  chats: ['chatId', 'name', 'members', 'bots'],
  rooms: ['roomId', 'name', 'capacity', 'approval'],
};

/** Walks the known object levels and reports the first key the format does not have. */
function findUnknownKey(node: unknown, at: string, level = 'root'): { key: string; at: string } | undefined {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const known = KNOWN_KEYS[level] ?? [];
  for (const [key, value] of Object.entries(node)) {
    if (!known.includes(key)) return { key, at };
    if (KNOWN_KEYS[key] && Array.isArray(value)) {
      for (const [i, item] of value.entries()) {
        const found = findUnknownKey(item, `${at}/${key}/${i}`, key);
        if (found) return found;
      }
    }
  }
  return undefined;
}
