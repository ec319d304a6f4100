import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { call, inParallel, range } from './api.ts';
import type { Options } from './bench.ts';
import { DINGTALK_APP, FEISHU_APP, unionId } from './directory.ts';
import { startServer, type ServerProcess } from './server-process.ts';

export const REPO = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(REPO, 'bin', 'kalends.mjs');

/** Whether this Kalends knows `start --database-url` (the PostgreSQL mode). */
export function supportsDatabaseUrl(): boolean {
  const help = execFileSync(process.execPath, [BIN, 'start', '--help'], { cwd: REPO, encoding: 'utf8' });
  return help.includes('--database-url');
}

/**
 * Starts a real Kalends on a free loopback port, exactly as a user would (`npx kalends start`
 * runs the binary itself, so its shebang's Node flags apply), with rate limits off. The Node
 * that runs the harness runs it too (first on PATH). Under `--cpu-prof`, which Node refuses in
 * NODE_OPTIONS, Node is started with the shebang's flags and environment and the profiler's.
 */
export function startKalends(options: Options, dataDir: string, directoryFile: string): Promise<ServerProcess> {
  const db = options.databaseUrl ? ['--database-url', options.databaseUrl] : [];
  const args = ['start', '--host', '127.0.0.1', '--port', '0', '--data', dataDir, '--directory', directoryFile,
    '--rate-limit', 'off', '--log-level', 'silent', ...db];
  const [command, ...all] = options.cpuProfDir
    ? [process.execPath, ...shebangNodeFlags(), '--cpu-prof', '--cpu-prof-dir', options.cpuProfDir, BIN, ...args]
    : [BIN, ...args];
  return startServer({
    name: 'kalends', command: command!, args: all, cwd: REPO, timeoutMs: 180_000,
    env: { ...process.env, ...(options.cpuProfDir ? shebangEnv() : {}), PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` },
    ready: /Kalends listening on (http:\/\/\S+)/,
  });
}

/** The words of the binary's shebang (`#!/usr/bin/env -S NAME=value node --flag …`). */
function shebangWords(): string[] {
  return readFileSync(BIN, 'utf8').split('\n', 1)[0]!.split(/\s+/);
}

/** The Node flags of the binary's shebang. */
function shebangNodeFlags(): string[] {
  return shebangWords().filter((word) => word.startsWith('--'));
}

/** The environment the binary's shebang sets (`NAME=value` before `node`). */
function shebangEnv(): Record<string, string> {
  return Object.fromEntries(shebangWords().filter((word) => /^[A-Z_][A-Z0-9_]*=/.test(word)).map((word) => {
    const at = word.indexOf('=');
    return [word.slice(0, at), word.slice(at + 1)];
  }));
}

export const EVENT_BODY = JSON.stringify({
  summary: 'b',
  start: { dateTime: '2030-01-01T10:00:00+08:00', timeZone: 'Asia/Shanghai' },
  end: { dateTime: '2030-01-01T11:00:00+08:00', timeZone: 'Asia/Shanghai' },
});

/** The DingTalk side of a running Kalends: the app's token and the organizer's paths. */
export class DingTalk {
  private tokens = 0;

  constructor(readonly origin: string, readonly headers: Record<string, string>, private readonly runId: string) {}

  static async connect(origin: string): Promise<DingTalk> {
    const { accessToken } = await call<{ accessToken: string }>(origin, 'POST', '/v1.0/oauth2/accessToken', DINGTALK_APP);
    return new DingTalk(origin, { 'x-acs-dingtalk-access-token': accessToken }, Date.now().toString(36));
  }

  /** A fresh `x-client-token`: every write of the bench is idempotent, as a careful SDK user's is. */
  clientToken(): Record<string, string> {
    return { 'x-client-token': `bench-${this.runId}-${this.tokens++}` };
  }

  eventPath(eventId: string, user = unionId(0)): string {
    return `/v1.0/calendar/users/${user}/calendars/primary/events/${eventId}`;
  }

  async createEvents(n: number): Promise<string[]> {
    const created = await inParallel(range(n), 8, () =>
      call<{ id: string }>(this.origin, 'POST', `/v1.0/calendar/users/${unionId(0)}/calendars/primary/events`, EVENT_BODY, { ...this.headers, ...this.clientToken() }));
    return created.map((e) => e.id);
  }

  add(eventId: string, body: string): Promise<unknown> {
    return call(this.origin, 'POST', `${this.eventPath(eventId)}/attendees`, body, { ...this.headers, ...this.clientToken() });
  }

  listPage(eventId: string, maxResults: number, nextToken?: string): Promise<{ attendees: unknown[]; nextToken?: string }> {
    const q = `maxResults=${maxResults}${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`;
    return call(this.origin, 'GET', `${this.eventPath(eventId)}/attendees?${q}`, undefined, this.headers);
  }
}

/** The Feishu side: the bot's tenant_access_token and its primary calendar. */
export class Feishu {
  constructor(readonly origin: string, readonly headers: Record<string, string>, readonly calendarId: string) {}

  static async connect(origin: string): Promise<Feishu> {
    const { tenant_access_token: token } = await call<{ tenant_access_token: string }>(
      origin, 'POST', '/open-apis/auth/v3/tenant_access_token/internal', { app_id: FEISHU_APP.appId, app_secret: FEISHU_APP.appSecret });
    const headers = { authorization: `Bearer ${token}` };
    const primary = await call<{ data: { calendars: Array<{ calendar: { calendar_id: string } }> } }>(
      origin, 'POST', '/open-apis/calendar/v4/calendars/primary', undefined, headers);
    return new Feishu(origin, headers, primary.data.calendars[0]!.calendar.calendar_id);
  }

  eventsPath(): string {
    return `/open-apis/calendar/v4/calendars/${encodeURIComponent(this.calendarId)}/events`;
  }

  async createEvents(n: number): Promise<string[]> {
    const body = { summary: 'b', start_time: { timestamp: '1893456000' }, end_time: { timestamp: '1893459600' } };
    const created = await inParallel(range(n), 8, () =>
      call<{ data: { event: { event_id: string } } }>(this.origin, 'POST', this.eventsPath(), body, this.headers));
    return created.map((e) => e.data.event.event_id);
  }

  add(eventId: string, body: string): Promise<unknown> {
    return call(this.origin, 'POST', `${this.eventsPath()}/${eventId}/attendees`, body, this.headers);
  }

  listPage(eventId: string, pageToken?: string): Promise<{ data: { items: unknown[]; page_token?: string; has_more: boolean } }> {
    const q = `page_size=100${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ''}`;
    return call(this.origin, 'GET', `${this.eventsPath()}/${eventId}/attendees?${q}`, undefined, this.headers);
  }
}
