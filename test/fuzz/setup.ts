// A server to fuzz: the test directory, no dispatcher (nothing changes the store behind the
// fuzzer's back), no rate limits; credentials of each surface and ids that exist, so generated
// requests reach the handlers as well as the validators.
import { ACME, U, buildDirectory } from '../helpers/directory.ts';
import { startServer, type KalendsServer } from '../helpers/server.ts';
import type { Credentials } from './fuzz-routes.ts';
import { openStoreDigest, type StoreDigest } from './store-digest.ts';

export const FUZZ_ADMIN_TOKEN = 'fuzz-admin-token-0123456789abcdef';

export interface FuzzTarget {
  server: KalendsServer;
  credentials: Credentials;
  known: Record<string, string[]>;
  digest: StoreDigest;
  restore(): Promise<void>;
  close(): Promise<void>;
}

async function json(res: Promise<Response>): Promise<any> {
  const r = await res;
  const body = await r.json();
  if (!r.ok) throw new Error(`fuzz setup: HTTP ${r.status} ${JSON.stringify(body)}`);
  return body;
}

export async function startFuzzTarget(): Promise<FuzzTarget> {
  const server = await startServer({
    directory: buildDirectory({ bulk: false }),
    extraArgs: ['--admin-token', FUZZ_ADMIN_TOKEN, '--dispatch', 'off', '--rate-limit', 'off', '--log-level', 'fatal'],
  });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    json(fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }));
  const dingtalk = (await post('/v1.0/oauth2/accessToken', ACME.app)).accessToken as string;
  const feishu = (await post('/open-apis/auth/v3/tenant_access_token/internal', { app_id: ACME.feishuApp.appId, app_secret: ACME.feishuApp.appSecret })).tenant_access_token as string;
  const dtEvent = await post(`/v1.0/calendar/users/${U.alice}/calendars/primary/events`, {
    summary: 'Fuzz', attendees: [{ id: U.bob }],
    start: { dateTime: '2031-03-04T10:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2031-03-04T11:00:00+08:00', timeZone: 'Asia/Shanghai' },
  }, { 'x-acs-dingtalk-access-token': dingtalk });
  const auth = { authorization: `Bearer ${feishu}` };
  const primary = (await post('/open-apis/calendar/v4/calendars/primary', {}, auth)).data.calendars[0].calendar.calendar_id as string;
  const shared = (await post('/open-apis/calendar/v4/calendars', { summary: 'Fuzz shared' }, auth)).data.calendar.calendar_id as string;
  const fsEvent = await post(`/open-apis/calendar/v4/calendars/${encodeURIComponent(primary)}/events`, {
    summary: 'Fuzz', start_time: { timestamp: '1930000000' }, end_time: { timestamp: '1930003600' },
  }, auth);
  const eventId = fsEvent.data.event.event_id as string;
  const attendees = await post(`/open-apis/calendar/v4/calendars/${encodeURIComponent(primary)}/events/${eventId}/attendees`, {
    attendees: [{ type: 'user', user_id: 'ou_bob' }, { type: 'chat', chat_id: 'oc_team' }],
  }, auth);
  const known: Record<string, string[]> = {
    userId: [U.alice, U.bob],
    calendarId: ['primary'],
    eventId: [dtEvent.id as string],
    calendar_id: [primary, shared],
    event_id: [eventId],
    attendee_id: (attendees.data.attendees as { attendee_id: string }[]).map((a) => a.attendee_id),
    tenantId: ['acme'],
    unionId: [U.carol],
  };
  const digest = await openStoreDigest(server);
  const admin = { authorization: `Bearer ${FUZZ_ADMIN_TOKEN}`, 'content-type': 'application/json' };
  return {
    server, known, digest,
    credentials: { dingtalk, feishu, admin: FUZZ_ADMIN_TOKEN },
    async restore() {
      await json(fetch(`${server.baseUrl}/admin/v1/clock`, { method: 'PUT', headers: admin, body: JSON.stringify({ offsetMs: 0 }) }));
      const { faults } = await json(fetch(`${server.baseUrl}/admin/v1/faults`, { headers: admin }));
      for (const f of faults as { id: number }[]) await fetch(`${server.baseUrl}/admin/v1/faults/${f.id}`, { method: 'DELETE', headers: admin });
    },
    async close() {
      await digest.close();
      await server.cleanup();
    },
  };
}
