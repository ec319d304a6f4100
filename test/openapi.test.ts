// The OpenAPI documents (/openapi/{dingtalk,feishu,admin}.json) against the app that serves them:
// each is a valid OpenAPI 3 document (@apidevtools/swagger-parser); every route the app registers
// under /v1.0, /open-apis and /admin/v1 is in its surface's document with the operationId of the
// SDK method; and a real reply of every documented operation, sent by a running server, validates
// against the success schema the document gives for its status (errors against the error body).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv } from 'ajv';
import WebSocket from 'ws';
import { buildApp } from '../src/app.ts';
import { ADMIN_OPERATIONS } from '../src/http/admin/operations.ts';
import { DINGTALK_OPERATIONS } from '../src/http/dingtalk/operations.ts';
import { FEISHU_OPERATIONS } from '../src/http/feishu/operations.ts';
import { routesOf } from '../src/http/route-list.ts';
import { openSandbox } from '../src/cli/sandbox.ts';
import { openStore } from '../src/store/open-store.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { ACME, ACME_CHAT, U, buildDirectory } from './helpers/directory.ts';
import { makeTmpDir, startServer, type KalendsServer } from './helpers/server.ts';

const ADMIN_TOKEN = 'openapi-test-admin-token-0123456789';
const SURFACES = { dingtalk: '/v1.0/', feishu: '/open-apis/', admin: '/admin/v1/' } as const;
type SurfaceName = keyof typeof SURFACES;
const TABLES: Record<SurfaceName, Readonly<Record<string, string>>> = { dingtalk: DINGTALK_OPERATIONS, feishu: FEISHU_OPERATIONS, admin: ADMIN_OPERATIONS };
/** Routes deliberately left out of the documents, each an alias of a documented one. */
const ALIASES = ['POST /v1.0/calendar/users/:userId/calendars//unsubscribe'];
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

let srv: KalendsServer;
let streamSocket: WebSocket | undefined;
const docs = {} as Record<SurfaceName, any>;

before(async () => {
  srv = await startServer({ directory: buildDirectory({ bulk: false }), extraArgs: ['--admin-token', ADMIN_TOKEN] });
  for (const name of Object.keys(SURFACES) as SurfaceName[]) {
    const res = await fetch(`${srv.baseUrl}/openapi/${name}.json`);
    assert.equal(res.status, 200, `/openapi/${name}.json`);
    docs[name] = await res.json();
  }
});

after(async () => {
  streamSocket?.terminate();
  await srv?.cleanup();
});

/** `/v1.0/users/:userId/x` as OpenAPI writes it: `/v1.0/users/{userId}/x`. */
const openapiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

describe('OpenAPI documents', () => {
  it('are valid OpenAPI 3 documents', async () => {
    for (const [name, doc] of Object.entries(docs)) {
      const parsed = await SwaggerParser.validate(structuredClone(doc));
      assert.match(String((parsed as { openapi?: string }).openapi), /^3\./, name);
      assert.ok(Object.keys(doc.paths).length > 0, `${name} has paths`);
    }
  });

  it('document every route the app registers under /v1.0, /open-apis and /admin/v1, with the SDK method as operationId', async () => {
    // The route list comes from the app itself (an onRoute hook), not from a list written here.
    const dir = await makeTmpDir();
    const store = await openStore({ data: dir, databaseUrl: undefined, poolSize: 1 } as never);
    await migrateToLatest(store);
    const { sandbox, stop } = await openSandbox(store, { apiLog: 10 }, ADMIN_TOKEN);
    const app = await buildApp({ logLevel: 'silent', rateLimit: 'off' }, { store, clock: sandbox.clock, sandbox });
    await app.ready();
    const routes = routesOf(app);
    await app.close();
    stop();
    await store.close();

    let apiRoutes = 0;
    for (const route of routes) {
      const surface = (Object.keys(SURFACES) as SurfaceName[]).find((s) => route.url.startsWith(SURFACES[s]));
      for (const method of route.methods) {
        const key = `${method} ${route.url}`;
        if (!surface) {
          for (const doc of Object.values(docs)) assert.equal(doc.paths[openapiPath(route.url)], undefined, `${key} is in no API surface yet documented`);
          continue;
        }
        apiRoutes++;
        const operation = docs[surface].paths[openapiPath(route.url)]?.[method.toLowerCase()];
        if (ALIASES.includes(key)) {
          assert.equal(operation, undefined, `${key} is an alias, left out`);
          continue;
        }
        assert.ok(operation, `${key} is missing from /openapi/${surface}.json`);
        assert.ok(TABLES[surface][key], `${key} has no entry in the ${surface} operations table`);
        assert.equal(operation.operationId, TABLES[surface][key], key);
        assert.ok(operation.responses.default?.content?.['application/json']?.schema, `${key} documents its error body`);
        assert.ok(Object.keys(operation.responses).some((s) => /^[23]\d\d$/.test(s)), `${key} documents a success reply`);
      }
    }
    const documented = Object.values(docs).reduce((n, doc) => n + Object.values(doc.paths).reduce((m: number, p: any) => m + Object.keys(p).length, 0), 0);
    assert.equal(documented, apiRoutes - ALIASES.length, 'no operation documented that the app does not serve');
    // Every table entry names a route the app serves (a renamed route leaves no stale entry).
    for (const [surface, table] of Object.entries(TABLES)) {
      for (const key of Object.keys(table)) {
        const [method, url] = key.split(' ');
        assert.ok(routes.some((r) => r.url === url && r.methods.includes(method!)), `${surface} table entry ${key} names no route`);
      }
    }
  });

  it('state the auth each operation needs', () => {
    const tokenOp = docs.dingtalk.paths['/v1.0/oauth2/accessToken'].post;
    assert.deepEqual(tokenOp.security, []);
    const add = docs.dingtalk.paths['/v1.0/calendar/users/{userId}/calendars/{calendarId}/events/{eventId}/attendees'].post;
    assert.deepEqual(add.security, [{ dingtalkAccessToken: [] }]);
    assert.equal(docs.dingtalk.components.securitySchemes.dingtalkAccessToken.name, 'x-acs-dingtalk-access-token');
    assert.deepEqual(docs.feishu.paths['/open-apis/calendar/v4/calendars'].get.security, [{ accessToken: [] }]);
    assert.deepEqual(docs.feishu.paths['/open-apis/auth/v3/tenant_access_token/internal'].post.security, []);
    assert.deepEqual(docs.admin.paths['/admin/v1/clock'].get.security, [{ adminToken: [] }, { adminCookie: [] }]);
  });

  it('describe each error body as the route words it: the dialect\'s, or authen/v2/oauth/token\'s OAuth 2.0 one', () => {
    const errorProps = (op: any) => Object.keys(op.responses.default.content['application/json'].schema.properties).sort();
    assert.deepEqual(errorProps(docs.feishu.paths['/open-apis/authen/v2/oauth/token'].post), ['code', 'error', 'error_description']);
    assert.ok(errorProps(docs.feishu.paths['/open-apis/calendar/v4/calendars'].get).includes('msg'));
  });

  it('serve an offline reference page over the three documents', async () => {
    const page = await fetch(`${srv.baseUrl}/reference/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.doesNotMatch(html, /(src|href)="https?:/, 'no asset from elsewhere');
    const init = await (await fetch(`${srv.baseUrl}/reference/static/swagger-initializer.js`)).text();
    for (const name of Object.keys(SURFACES)) assert.ok(init.includes(`/openapi/${name}.json`), `the reference lists ${name}`);
    const consolePage = await fetch(`${srv.baseUrl}/console`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.match(await consolePage.text(), /<a href="\/reference\/">API reference<\/a>/, 'the console links the reference');
    const bundle = await fetch(`${srv.baseUrl}/reference/static/swagger-ui-bundle.js`);
    assert.equal(bundle.status, 200, 'the UI bundle is served by Kalends itself');
    assert.ok((await bundle.arrayBuffer()).byteLength > 100_000);
  });
});

interface Seen {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

/** Every reply of the sweep below, to validate against the documents. */
const seen: Seen[] = [];

async function call(method: string, path: string, opts: { token?: string; dingtalkToken?: string; body?: unknown } = {}): Promise<any> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.dingtalkToken) headers['x-acs-dingtalk-access-token'] = opts.dingtalkToken;
  if (opts.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  const res = await fetch(`${srv.baseUrl}${path}`, { method, headers, redirect: 'manual', body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  const body = text === '' ? null : JSON.parse(text);
  seen.push({ method, path: path.split('?')[0]!, status: res.status, body });
  return body;
}

/** Calls every documented operation at least once with a request it accepts. */
async function sweep(): Promise<void> {
  // DingTalk
  const dt = await call('POST', '/v1.0/oauth2/accessToken', { body: { appKey: ACME.app.appKey, appSecret: ACME.app.appSecret } });
  const d = { dingtalkToken: dt.accessToken as string };
  const u = `/v1.0/calendar/users/${U.alice}`;
  await call('GET', `${u}/calendars`, d);
  const ev = await call('POST', `${u}/calendars/primary/events`, {
    ...d, body: { summary: 'Docs', start: { dateTime: '2031-03-04T10:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2031-03-04T11:00:00+08:00', timeZone: 'Asia/Shanghai' }, attendees: [{ id: U.bob }], reminders: [{ method: 'dingtalk', minutes: 15 }], location: { displayName: 'Room 1' } },
  });
  const e = `${u}/calendars/primary/events/${ev.id}`;
  await call('GET', e, d);
  await call('GET', `${u}/calendars/primary/events?maxResults=10`, d);
  await call('PUT', e, { ...d, body: { id: ev.id, summary: 'Docs v2' } });
  await call('POST', `${e}/attendees`, { ...d, body: { attendeesToAdd: [{ id: U.carol }] } });
  await call('GET', `${e}/attendees`, d);
  await call('POST', `${e}/attendees/batchRemove`, { ...d, body: { attendeesToRemove: [{ id: U.carol }] } });
  await call('POST', `/v1.0/calendar/users/${U.bob}/calendars/primary/events/${ev.id}/respond`, { ...d, body: { responseStatus: 'accepted' } });
  const sub = await call('POST', `${u}/subscribedCalendars`, { ...d, body: { name: 'Team', description: 'd', managers: [U.alice], subscribeScope: { unionIds: [U.bob] } } });
  await call('GET', `${u}/subscribedCalendars/${sub.calendarId}`, d);
  await call('PUT', `${u}/subscribedCalendars/${sub.calendarId}`, { ...d, body: { name: 'Team 2' } });
  await call('POST', `/v1.0/calendar/users/${U.bob}/calendars/${sub.calendarId}/subscribe`, d);
  await call('POST', `/v1.0/calendar/users/${U.bob}/calendars/${sub.calendarId}/unsubscribe`, d);
  await call('DELETE', `${u}/subscribedCalendars/${sub.calendarId}`, d);
  // DingTalk ACLs, sign-in, categories, legacy ids and transfer.
  const dtAcl = await call('POST', `${u}/calendars/primary/acls`, { ...d, body: { privilege: 'reader', scope: { scopeType: 'user', userId: U.carol }, sendMsg: false } });
  await call('GET', `${u}/calendars/primary/acls`, d);
  await call('DELETE', `${u}/calendars/primary/acls/${dtAcl.aclId}`, d);
  const asBob = `/v1.0/calendar/users/${U.bob}/calendars/primary/events/${ev.id}`;
  await call('POST', `${asBob}/signin`, d);
  await call('POST', `${asBob}/checkIn`, d);
  await call('POST', `${asBob}/signOut`, d);
  await call('GET', `${e}/signin?type=check_in&maxResults=10`, d);
  await call('GET', `${e}/signOut?type=sign_out&maxResults=10`, d);
  await call('GET', `${e}/signInLinks`, d);
  await call('GET', `${e}/signOutLinks`, d);
  await call('GET', '/v1.0/calendar/categories', d);
  await call('POST', `${u}/legacyEventIds/convert`, { ...d, body: { legacyEventIds: ['1', '2'] } });
  const handed = await call('POST', `${u}/calendars/primary/events`, {
    ...d, body: { summary: 'Handed over', start: { dateTime: '2031-03-05T10:00:00+08:00' }, end: { dateTime: '2031-03-05T11:00:00+08:00' }, attendees: [{ id: U.bob }] },
  });
  await call('POST', `${u}/calendars/primary/events/${handed.id}/transfer`, { ...d, body: { newOrganizerId: U.bob, isExitCalendar: false, needNotifyViaO2O: false } });
  await call('POST', `${u}/caldavAccounts`, { ...d, body: { device: 'Docs laptop' } });
  await call('DELETE', e, d);

  // DingTalk time and scheduling: a daily series, its instances and views, free/busy, rooms.
  const series = await call('POST', `${u}/calendars/primary/events`, {
    ...d, body: { summary: 'Daily', start: { dateTime: '2031-03-10T09:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2031-03-10T09:30:00+08:00', timeZone: 'Asia/Shanghai' },
      recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 5 } } },
  });
  const window = `timeMin=${encodeURIComponent('2031-03-10T00:00:00+08:00')}&timeMax=${encodeURIComponent('2031-03-17T00:00:00+08:00')}`;
  const view = await call('GET', `${u}/calendars/primary/eventsview?${window}&maxResults=2`, d);
  await call('GET', `${u}/calendars/primary/events/${series.id}/instances?maxResults=2`, d);
  await call('GET', `${u}/calendars/primary/instances?seriesMasterId=${series.id}&maxResults=3`, d);
  const mine = await call('POST', '/admin/v1/tokens', { token: ADMIN_TOKEN, body: { platform: 'dingtalk', clientId: ACME.app.appKey, user: U.alice } });
  await call('GET', `/v1.0/calendar/me/calendars/primary/eventsview?${window}`, { dingtalkToken: mine.accessToken });
  await call('POST', `${u}/querySchedule`, { ...d, body: { userIds: [U.alice, 'u_nobody'], startTime: '2031-03-10T00:00:00Z', endTime: '2031-03-12T00:00:00Z' } });
  await call('POST', '/v1.0/calendar/me/schedules/query', { dingtalkToken: mine.accessToken, body: { userIds: [U.bob], startTime: '2031-03-10T00:00:00Z', endTime: '2031-03-12T00:00:00Z' } });
  // User sign-in: the login page's authCode (the page is in no API surface) → getUserToken → createEventByMe.
  const dtLogin = new URLSearchParams({ redirect_uri: 'https://app.example/cb', response_type: 'code', client_id: ACME.app.appKey, scope: 'openid', state: 's', login_hint: U.carol });
  const authCode = new URL((await fetch(`${srv.baseUrl}/oauth2/auth?${dtLogin}`, { redirect: 'manual' })).headers.get('location')!).searchParams.get('authCode');
  const dtClient = { clientId: ACME.app.appKey, clientSecret: ACME.app.appSecret };
  const signedIn = await call('POST', '/v1.0/oauth2/userAccessToken', { body: { ...dtClient, code: authCode, grantType: 'authorization_code' } });
  const rotated = await call('POST', '/v1.0/oauth2/userAccessToken', { body: { ...dtClient, refreshToken: signedIn.refreshToken, grantType: 'refresh_token' } });
  await call('POST', '/v1.0/calendar/me/calendars/primary/events', {
    dingtalkToken: rotated.accessToken, body: { summary: 'Mine', start: { dateTime: '2031-03-05T10:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2031-03-05T11:00:00+08:00', timeZone: 'Asia/Shanghai' } },
  });
  const instance = `${u}/calendars/primary/events/${view.events[1].id}`;
  await call('POST', `${instance}/meetingRooms`, { ...d, body: { meetingRoomsToAdd: [{ roomId: 'omm_vega' }] } });
  await call('POST', `${instance}/meetingRooms/omm_vega/respond`, { ...d, body: { responseStatus: 'accepted' } });
  await call('POST', `${u}/meetingRooms/schedules/query`, { ...d, body: { roomIds: ['omm_vega'], startTime: '2031-03-10T00:00Z', endTime: '2031-03-12T00:00Z' } });
  await call('POST', `${instance}/meetingRooms/batchRemove`, { ...d, body: { meetingRoomsToRemove: [{ roomId: 'omm_vega' }] } });
  await call('POST', `${instance}/cancel`, d);
  const stream = await call('POST', '/v1.0/gateway/connections/open', { body: { clientId: ACME.app.appKey, clientSecret: ACME.app.appSecret, subscriptions: [{ type: 'EVENT', topic: '*' }] } });
  // A Stream Mode connection, for the admin API's connection calls below.
  streamSocket = new WebSocket(`${stream.endpoint}?ticket=${encodeURIComponent(stream.ticket)}`);
  await new Promise<void>((resolve, reject) => { streamSocket!.once('open', () => resolve()); streamSocket!.once('error', reject); });

  // Feishu
  const ft = await call('POST', '/open-apis/auth/v3/tenant_access_token/internal', { body: { app_id: ACME.feishuApp.appId, app_secret: ACME.feishuApp.appSecret } });
  await call('POST', '/open-apis/auth/v3/app_access_token/internal', { body: { app_id: ACME.feishuApp.appId, app_secret: ACME.feishuApp.appSecret } });
  const appTok = seen[seen.length - 1]!.body as { app_access_token: string };
  const login = new URLSearchParams({ app_id: ACME.feishuApp.appId, redirect_uri: 'https://app.example/cb', state: 's', login_hint: 'ou_alice' });
  await call('GET', `/open-apis/authen/v1/authorize?${login}`);
  const code = new URL((await fetch(`${srv.baseUrl}/open-apis/authen/v1/authorize?${login}`, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code');
  const user = await call('POST', '/open-apis/authen/v1/oidc/access_token', { token: appTok.app_access_token, body: { grant_type: 'authorization_code', code } });
  await call('GET', `/open-apis/authen/v1/index?${login}`);
  await call('POST', '/open-apis/authen/v1/oidc/refresh_access_token', { token: appTok.app_access_token, body: { grant_type: 'refresh_token', refresh_token: user.data.refresh_token } });
  const v2Code = new URL((await fetch(`${srv.baseUrl}/open-apis/authen/v1/authorize?${login}`, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code');
  const fsClient = { client_id: ACME.feishuApp.appId, client_secret: ACME.feishuApp.appSecret };
  const v2 = await call('POST', '/open-apis/authen/v2/oauth/token', { body: { ...fsClient, grant_type: 'authorization_code', code: v2Code } });
  assert.equal((await call('POST', '/open-apis/authen/v2/oauth/token', { body: { ...fsClient, grant_type: 'authorization_code', code: v2Code } })).code, 20065);
  await call('GET', '/open-apis/authen/v1/user_info', { token: v2.access_token });
  const t = { token: user.data.access_token as string };
  const tenant = { token: ft.tenant_access_token as string };
  const C = '/open-apis/calendar/v4/calendars';
  const primary = await call('POST', `${C}/primary`, t);
  const primaryId = primary.data.calendars[0].calendar.calendar_id as string;
  await call('POST', `${C}/primarys`, { ...tenant, body: { user_ids: ['ou_alice', 'ou_bob'] } });
  const cal = await call('POST', C, { ...t, body: { summary: 'Shared', description: 'x' } });
  const calId = cal.data.calendar.calendar_id as string;
  await call('GET', `${C}/${encodeURIComponent(calId)}`, t);
  await call('PATCH', `${C}/${encodeURIComponent(calId)}`, { ...t, body: { summary: 'Shared 2' } });
  await call('GET', C, t);
  await call('POST', `${C}/mget`, { ...t, body: { calendar_ids: [calId, primaryId] } });
  await call('POST', `${C}/search`, { ...t, body: { query: 'Shared' } });
  const acl = await call('POST', `${C}/${encodeURIComponent(calId)}/acls`, { ...t, body: { role: 'reader', scope: { type: 'user', user_id: 'ou_bob' } } });
  await call('GET', `${C}/${encodeURIComponent(calId)}/acls`, t);
  for (const verb of ['subscription', 'unsubscription']) {
    await call('POST', `${C}/${verb}`, t);
    await call('POST', `${C}/${encodeURIComponent(calId)}/events/${verb}`, t);
    await call('POST', `${C}/${encodeURIComponent(calId)}/acls/${verb}`, t);
  }
  const bob = await userAccessToken(appTok.app_access_token, 'ou_bob');
  await call('POST', `${C}/${encodeURIComponent(calId)}/subscribe`, { token: bob });
  await call('POST', `${C}/${encodeURIComponent(calId)}/unsubscribe`, { token: bob });
  await call('DELETE', `${C}/${encodeURIComponent(calId)}/acls/${acl.data.acl_id}`, t);
  const P = `${C}/${encodeURIComponent(primaryId)}/events`;
  const fev = await call('POST', P, { ...t, body: { summary: 'Sync', start_time: { timestamp: '1930000000' }, end_time: { timestamp: '1930003600' }, reminders: [{ minutes: 5 }] } });
  const E = `${P}/${fev.data.event.event_id}`;
  await call('GET', `${E}?need_attendee=true`, t);
  await call('GET', P, t);
  await call('PATCH', E, { ...t, body: { summary: 'Sync 2' } });
  const added = await call('POST', `${E}/attendees`, { ...t, body: { attendees: [{ type: 'user', user_id: 'ou_bob' }, { type: 'chat', chat_id: ACME_CHAT }] } });
  await call('GET', `${E}/attendees`, t);
  const chat = (added.data.attendees as { type: string; attendee_id: string }[]).find((a) => a.type === 'chat')!;
  // Only a member of the chat lists its members: the app's bot is in Team, on an event of its own primary.
  const botPrimary = (await call('POST', `${C}/primary`, tenant)).data.calendars[0].calendar.calendar_id as string;
  const BE = `${C}/${encodeURIComponent(botPrimary)}/events`;
  const botEvent = await call('POST', BE, { ...tenant, body: { summary: 'Bot sync', start_time: { timestamp: '1930000000' }, end_time: { timestamp: '1930003600' } } });
  const botChat = await call('POST', `${BE}/${botEvent.data.event.event_id}/attendees`, { ...tenant, body: { attendees: [{ type: 'chat', chat_id: ACME_CHAT }] } });
  await call('GET', `${BE}/${botEvent.data.event.event_id}/attendees/${botChat.data.attendees[0].attendee_id}/chat_members`, tenant);
  const bobPrimary = (await call('POST', `${C}/primary`, { token: bob })).data.calendars[0].calendar.calendar_id as string;
  await call('POST', `${C}/${encodeURIComponent(bobPrimary)}/events/${fev.data.event.event_id}/reply`, { token: bob, body: { rsvp_status: 'accept' } });
  await call('POST', `${E}/attendees/batch_delete`, { ...t, body: { attendee_ids: [chat.attendee_id] } });
  await call('POST', `${P}/search?page_size=10`, { ...t, body: { query: 'sync', filter: { user_ids: ['ou_bob'] } } });
  const meetingChat = await call('POST', `${E}/meeting_chat`, t);
  await call('DELETE', `${E}/meeting_chat?meeting_chat_id=${meetingChat.data.meeting_chat_id}`, t);
  await call('POST', `${E}/meeting_minute`, t);
  const binding = await call('POST', '/open-apis/calendar/v4/exchange_bindings', { token: bob, body: { admin_account: 'admin@ex.example', exchange_account: 'bob@ex.example', user_id: 'ou_bob' } });
  await call('GET', `/open-apis/calendar/v4/exchange_bindings/${encodeURIComponent(binding.data.exchange_binding_id)}`, { token: bob });
  await call('DELETE', `/open-apis/calendar/v4/exchange_bindings/${encodeURIComponent(binding.data.exchange_binding_id)}`, { token: bob });
  const daily = await call('POST', P, { ...t, body: { summary: 'Daily', start_time: { timestamp: '1930000000' }, end_time: { timestamp: '1930001800' }, recurrence: 'FREQ=DAILY;COUNT=3' } });
  await call('GET', `${P}/${daily.data.event.event_id}/instances?start_time=1929990000&end_time=1930500000&page_size=10`, t);
  await call('GET', `${P}/instance_view?start_time=1929990000&end_time=1930500000`, t);
  const window2 = { time_min: '2031-02-28T00:00:00+08:00', time_max: '2031-03-06T00:00:00+08:00' };
  await call('POST', '/open-apis/calendar/v4/freebusy/list?user_id_type=open_id', { ...t, body: { ...window2, user_id: 'ou_alice', need_rsvp_status: true } });
  await call('POST', '/open-apis/calendar/v4/freebusy/batch?user_id_type=open_id', { ...t, body: { ...window2, user_ids: ['ou_alice', 'ou_bob'] } });
  const off = await call('POST', '/open-apis/calendar/v4/timeoff_events?user_id_type=open_id', { ...tenant, body: { user_id: 'ou_bob', timezone: 'Asia/Shanghai', start_time: '2031-03-02', end_time: '2031-03-02' } });
  await call('DELETE', `/open-apis/calendar/v4/timeoff_events/${off.data.timeoff_event_id}`, tenant);
  await call('POST', '/open-apis/calendar/v4/settings/generate_caldav_conf', { ...t, body: { device_name: 'Docs phone' } });
  await call('DELETE', E, t);
  await call('DELETE', `${C}/${encodeURIComponent(calId)}`, t);

  // Admin
  const a = { token: ADMIN_TOKEN };
  await call('PUT', '/admin/v1/directory', { ...a, body: { tenants: [{ id: 'acme', name: 'Acme', users: [{ unionId: 'u_docs', name: 'Docs' }] }] } });
  await call('PUT', '/admin/v1/tenants/acme/users/u_docs2', { ...a, body: { name: 'Docs 2' } });
  await call('POST', '/admin/v1/tokens', { ...a, body: { platform: 'feishu', clientId: ACME.feishuApp.appId, user: U.alice } });
  const fault = await call('POST', '/admin/v1/faults', { ...a, body: { platform: 'dingtalk', clientId: ACME.app.appKey, operation: 'getEvent', error: 'INTERNAL' } });
  await call('GET', '/admin/v1/faults', a);
  await call('DELETE', `/admin/v1/faults/${fault.fault.id}`, a);
  await call('GET', '/admin/v1/clock', a);
  await call('PUT', '/admin/v1/clock', { ...a, body: { offsetMs: 0 } });
  await call('GET', `/admin/v1/inbox?user=${U.bob}`, a);
  await call('GET', '/admin/v1/deliveries', a);
  await call('GET', '/admin/v1/api-calls', a);
  let open: { connections: Array<{ id: string }> } = { connections: [] };
  for (let i = 0; i < 50 && open.connections.length === 0; i++) {
    open = await call('GET', '/admin/v1/connections', a);
    if (open.connections.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(open.connections.length, 1, 'the stream connection is listed');
  await call('DELETE', `/admin/v1/connections/${open.connections[0]!.id}`, a);
  const caldav = await call('GET', '/admin/v1/caldav-accounts', a);
  await call('DELETE', `/admin/v1/caldav-accounts/${caldav.accounts[0].id}`, a);
  streamSocket.close();

  // Errors, each in its surface's documented error body.
  assert.equal((await call('GET', `${u}/calendars/primary/events/nope`, d)).code, 'itemNotFound');
  assert.equal((await call('GET', `${C}/nope`, t)).code > 0, true);
  assert.equal((await call('GET', '/admin/v1/clock', { token: 'wrong-token-wrong-token' })).code, 'ACCESS_TOKEN_INVALID');
  assert.ok(seen.slice(-3).every((r) => r.status >= 400));
}

async function userAccessToken(appAccessToken: string, openId: string): Promise<string> {
  const q = new URLSearchParams({ app_id: ACME.feishuApp.appId, redirect_uri: 'https://app.example/cb', login_hint: openId });
  const res = await fetch(`${srv.baseUrl}/open-apis/authen/v1/authorize?${q}`, { redirect: 'manual' });
  const code = new URL(res.headers.get('location')!).searchParams.get('code');
  const tok = await fetch(`${srv.baseUrl}/open-apis/authen/v1/oidc/access_token`, {
    method: 'POST', headers: { authorization: `Bearer ${appAccessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'authorization_code', code }),
  });
  return ((await tok.json()) as { data: { access_token: string } }).data.access_token;
}

/** The documented operation a request went to: its surface, template and operation object. */
function operationOf(method: string, path: string): { surface: SurfaceName; template: string; operation: any } | undefined {
  // A static segment wins over a parameter, as in the router (`…/events/instance_view` is not an event id).
  let best: { surface: SurfaceName; template: string; operation: any } | undefined;
  const params = (t: string) => (t.match(/\{\w+\}/g) ?? []).length;
  for (const surface of Object.keys(docs) as SurfaceName[]) {
    for (const [template, item] of Object.entries(docs[surface].paths as Record<string, any>)) {
      const re = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`);
      if (re.test(path) && item[method.toLowerCase()] && (!best || params(template) < params(best.template))) {
        best = { surface, template, operation: item[method.toLowerCase()] };
      }
    }
  }
  return best;
}

describe('real replies against the documented schemas', () => {
  it('every documented operation answers a real call with a body its document describes', async () => {
    await sweep();
    const ajv = new Ajv({ strict: false, allErrors: true });
    const called = new Set<string>();
    for (const reply of seen) {
      const found = operationOf(reply.method, decodeURIComponent(reply.path));
      assert.ok(found, `${reply.method} ${reply.path} is documented`);
      const { operation, template } = found;
      const label = `${operation.operationId} (${reply.method} ${template}) HTTP ${reply.status}`;
      const success = reply.status < 400;
      const response = operation.responses[String(reply.status)] ?? (success ? undefined : operation.responses.default);
      assert.ok(response, `${label}: status documented; body ${JSON.stringify(reply.body).slice(0, 300)}`);
      const schema = response.content?.['application/json']?.schema;
      if (!schema) {
        assert.equal(reply.body, null, `${label}: documented without a body`);
      } else {
        const validate = ajv.compile(schema);
        assert.ok(validate(reply.body), `${label}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(reply.body).slice(0, 600)}`);
      }
      if (success) called.add(`${found.surface} ${operation.operationId}`);
    }
    const all = Object.entries(docs).flatMap(([surface, doc]) =>
      Object.values(doc.paths as Record<string, any>).flatMap((item) => METHODS.filter((m) => item[m]).map((m) => `${surface} ${item[m].operationId}`)));
    assert.deepEqual(all.filter((op) => !called.has(op)), [], 'operations the sweep never called successfully (add one call each)');
  });
});
