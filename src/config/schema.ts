/**
 * The single source of Kalends' configuration: each setting's CLI flag, environment variable,
 * default and description. The CLI, the loader and the README table are all derived from it.
 */
export interface Setting<T> {
  /** Commander flag spelling, e.g. `--port <port>`. */
  flag: string;
  env: string;
  default: T;
  description: string;
  /** Turns the flag's or variable's text into the value; throws an Error naming the problem. */
  parse(raw: string): T;
}

function port(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`not a TCP port: ${raw}`);
  return n;
}

function positive(max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`must be a whole number from 1 to ${max}`);
    return n;
  };
}

function count(max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`must be a whole number from 0 to ${max}`);
    return n;
  };
}

function databaseUrl(raw: string): string {
  if (!/^postgres(ql)?:\/\//.test(raw)) throw new Error('must be a postgres:// URL');
  return raw;
}

function nonEmpty(raw: string): string {
  if (!raw.trim()) throw new Error('must not be empty');
  return raw;
}

function onOff(raw: string): 'on' | 'off' {
  if (raw !== 'on' && raw !== 'off') throw new Error('must be on or off');
  return raw;
}

function adminToken(raw: string): string {
  if (raw.length < 16) throw new Error('must be at least 16 characters');
  return raw;
}

function publicUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('must be an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('must be an http:// or https:// URL');
  return url.origin;
}

function logFormat(raw: string): 'json' | 'pretty' {
  if (raw !== 'json' && raw !== 'pretty') throw new Error('must be json or pretty');
  return raw;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevel(raw: string): string {
  if (!LOG_LEVELS.includes(raw)) throw new Error(`log level must be one of ${LOG_LEVELS.join(', ')}`);
  return raw;
}

export const SETTINGS = {
  host: {
    flag: '--host <host>', env: 'KALENDS_HOST', default: '127.0.0.1', parse: nonEmpty,
    description: 'Address to listen on.',
  } satisfies Setting<string>,
  port: {
    flag: '--port <port>', env: 'KALENDS_PORT', default: 8080, parse: port,
    description: 'TCP port to listen on; 0 takes a free port.',
  } satisfies Setting<number>,
  data: {
    flag: '--data <dir>', env: 'KALENDS_DATA', default: './data', parse: nonEmpty,
    description: 'Data directory of the embedded SQLite store (created if missing).',
  } satisfies Setting<string>,
  databaseUrl: {
    flag: '--database-url <url>', env: 'KALENDS_DATABASE_URL', default: undefined as string | undefined, parse: databaseUrl,
    description: 'PostgreSQL URL (postgres://user:pass@host:port/db); when set, the store is PostgreSQL instead of the SQLite file in --data.',
  } satisfies Setting<string | undefined>,
  poolSize: {
    flag: '--pool-size <n>', env: 'KALENDS_POOL_SIZE', default: 10, parse: positive(1000),
    description: 'PostgreSQL connections per process.',
  } satisfies Setting<number>,
  autoMigrate: {
    flag: '--auto-migrate <mode>', env: 'KALENDS_AUTO_MIGRATE', default: 'on' as 'on' | 'off', parse: (raw: string) => onOff(raw),
    description: 'on or off: apply pending migrations at start (off: run `kalends migrate` yourself).',
  } satisfies Setting<'on' | 'off'>,
  workers: {
    flag: '--workers <n>', env: 'KALENDS_WORKERS', default: 1, parse: positive(64),
    description: 'Server processes on this machine (node:cluster), sharing the port and the store.',
  } satisfies Setting<number>,
  directory: {
    flag: '--directory <file>', env: 'KALENDS_DIRECTORY', default: undefined as string | undefined, parse: nonEmpty,
    description: 'Directory JSON file (tenants, apps, users, chats, rooms) to load at start, as an upsert.',
  } satisfies Setting<string | undefined>,
  rateLimit: {
    flag: '--rate-limit <mode>', env: 'KALENDS_RATE_LIMIT', default: 'on' as 'on' | 'off', parse: onOff,
    description: "on or off: the platforms' per-app and per-method rate limits (Feishu: 50/s and 1,000/min per method, 100/s per app); off for load tests.",
  } satisfies Setting<'on' | 'off'>,
  dispatch: {
    flag: '--dispatch <mode>', env: 'KALENDS_DISPATCH', default: 'on' as 'on' | 'off', parse: onOff,
    description: 'on or off: deliver the outbox (inboxes, event callbacks) from this server process (off: run `kalends dispatch`).',
  } satisfies Setting<'on' | 'off'>,
  deliveryAttempts: {
    flag: '--delivery-attempts <n>', env: 'KALENDS_DELIVERY_ATTEMPTS', default: 8, parse: positive(100),
    description: 'Tries per event callback before it is marked dead.',
  } satisfies Setting<number>,
  deliveryBackoff: {
    flag: '--delivery-backoff <ms>', env: 'KALENDS_DELIVERY_BACKOFF', default: 1000, parse: positive(3_600_000),
    description: 'Wait before retrying a failed callback (ms), doubled after each further failure, at most one hour.',
  } satisfies Setting<number>,
  deliveryTimeout: {
    flag: '--delivery-timeout <ms>', env: 'KALENDS_DELIVERY_TIMEOUT', default: 10000, parse: positive(600_000),
    description: 'How long the receiver of a callback may take to answer (ms).',
  } satisfies Setting<number>,
  adminToken: {
    flag: '--admin-token <token>', env: 'KALENDS_ADMIN_TOKEN', default: undefined as string | undefined, parse: adminToken,
    description: 'Token of the console and the admin API (at least 16 characters); without it one is made and printed at start.',
  } satisfies Setting<string | undefined>,
  consoleOpen: {
    flag: '--console-open <mode>', env: 'KALENDS_CONSOLE_OPEN', default: 'off' as 'on' | 'off', parse: onOff,
    description: 'on or off: serve the console and admin API without the admin token; refused unless --host is a loopback address.',
  } satisfies Setting<'on' | 'off'>,
  apiLog: {
    flag: '--api-log <n>', env: 'KALENDS_API_LOG', default: 200, parse: count(10_000),
    description: 'API calls each server process keeps for the console (the last n; 0 keeps none).',
  } satisfies Setting<number>,
  metricsOpen: {
    flag: '--metrics-open <mode>', env: 'KALENDS_METRICS_OPEN', default: 'off' as 'on' | 'off', parse: onOff,
    description: 'on or off: GET /metrics answers loopback clients without the admin token (Prometheus on the same machine).',
  } satisfies Setting<'on' | 'off'>,
  logFormat: {
    flag: '--log-format <format>', env: 'KALENDS_LOG_FORMAT', default: 'json' as 'json' | 'pretty', parse: logFormat,
    description: 'json (pino, one object a line) or pretty (coloured, for a terminal).',
  } satisfies Setting<'json' | 'pretty'>,
  logLevel: {
    flag: '--log-level <level>', env: 'KALENDS_LOG_LEVEL', default: 'warn', parse: logLevel,
    description: 'Request log level (pino): fatal, error, warn, info, debug, trace or silent.',
  } satisfies Setting<string>,
  publicUrl: {
    flag: '--public-url <url>', env: 'KALENDS_PUBLIC_URL', default: undefined as string | undefined, parse: publicUrl,
    description: "The server's address as clients reach it (scheme, host, port; e.g. behind a proxy): the CalDAV serverAddress that generateCaldavAccount / generateCaldavConf hand out. Without it, that of the minting request.",
  } satisfies Setting<string | undefined>,
};

export type SettingName = keyof typeof SETTINGS;

/** The resolved configuration handed to `buildApp` and the CLI. */
export type Config = { [K in SettingName]: (typeof SETTINGS)[K]['default'] };
