import { CaldavAccountsReply, RevokedReply } from './replies.ts';
import { listCaldavAccounts, revokeCaldav } from '../../core/auth/caldav-accounts.ts';
import { ApiCallsReply, ClearedReply, ClockReply, ClosingReply, ConnectionsReply, DeliveriesReply, DirectoryLoadedReply, FaultReply, FaultsReply, InboxReply, MintedTokenReply, UserReply } from './replies.ts';
import type { FastifyReply } from 'fastify';
import { KalendsError, fail } from '../../core/errors.ts';
import { DirectoryFormatError, parseDirectory } from '../../core/directory/directory-file.ts';
import { loadDirectory } from '../../core/directory/load-directory.ts';
import { clearFault, injectFault, listArmedFaults } from '../../core/sandbox/faults.ts';
import { mintTokenFor } from '../../core/sandbox/mint-token.ts';
import { findAppById, findApp, findTenant, findUsersByAnyId } from '../../store/repositories/directory.ts';
import { listInbox } from '../../store/repositories/inbox.ts';
import { listDeliveries } from '../../store/repositories/deliveries.ts';
import { listConnections, requestClose } from '../../store/repositories/stream-connections.ts';
import { appSecretValues } from '../../store/repositories/console.ts';
import { redact } from '../console/format.ts';
import type { AppDeps, HttpApp } from '../deps.ts';
import { toKalendsError } from '../errors.ts';
import { isAdmin } from './admin-auth.ts';
import { CaldavAccountsQuery } from './schemas.ts';
import { ClockBody, ConnectionParams, ConnectionsQuery, DeliveriesQuery, FaultBody, FaultParams, InboxQuery, MintBody, UserBody, UserParams } from './schemas.ts';

/** HTTP status of a catalogue error on the admin API (its own JSON format, not a platform's). */
function statusFor(error: KalendsError): number {
  if (error.code === 'INTERNAL') return 500;
  return error.code.endsWith('NOT_FOUND') ? 404 : 400;
}

function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ code, message });
}

/** The latest the sandbox clock may show (ms): ISO 8601's four-digit years, as every dialect writes dates. */
const LATEST_CLOCK = Date.parse('9999-12-31T23:59:59Z');

/**
 * The sandbox's admin API under `/admin/v1`, JSON in and out, errors `{code, message}` (codes
 * from the Kalends catalogue). Every call needs the admin token (`Authorization: Bearer …`),
 * unless the console is open:
 * - `PUT /directory` (a directory file, loaded as an upsert) → the load summary;
 *   `PUT /tenants/:tenantId/users/:unionId` adds or edits one user;
 * - `POST /tokens` `{platform, clientId, user}` → `{accessToken, expiresIn, userId}`;
 * - `GET|POST /faults`, `DELETE /faults/:id`;
 * - `GET|PUT /clock` `{offsetMs} | {advanceMs} | {now}` → `{now, offsetMs}`;
 * - `GET /inbox?user=`, `GET /deliveries?app=&status=`, `GET /api-calls`;
 * - `GET /connections?app=` (open long connections, every process's), `DELETE /connections/:id`
 *   (its holder closes it within a second; DingTalk's gets SYSTEM `disconnect` first);
 * - `GET /caldav-accounts?user=` (CalDAV passwords minted, never the passwords),
 *   `DELETE /caldav-accounts/:id` (revokes one: it opens nothing from the next request on).
 */
export async function adminApi(app: HttpApp, deps: AppDeps): Promise<void> {
  const { store, sandbox } = deps;
  app.addHook('onRequest', async (request, reply) => {
    if (!isAdmin(request, sandbox)) return sendError(reply, 401, 'ACCESS_TOKEN_INVALID', 'the admin token is missing or wrong');
  });
  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof DirectoryFormatError || error instanceof SyntaxError) return sendError(reply, 400, 'INVALID_PARAMETER', error.message);
    const known = toKalendsError(error as Error, request);
    return sendError(reply, statusFor(known), known.code, known.message);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'ROUTE_NOT_FOUND', `no admin operation ${request.method} ${request.url.split('?')[0]}`));

  app.put('/directory', { schema: { response: { 200: DirectoryLoadedReply } } }, async (request) => {
    const summary = await loadOrExplain(() => loadDirectory(store, parseDirectory(request.body), deps.clock.now()));
    return { loaded: summary };
  });

  app.put('/tenants/:tenantId/users/:unionId', { schema: { params: UserParams, body: UserBody, response: { 200: UserReply } } }, async (request) => {
    const tenant = (await findTenant(store.db, request.params.tenantId)) ?? fail('INVALID_PARAMETER', `no tenant ${request.params.tenantId}`);
    const user = { unionId: request.params.unionId, ...request.body };
    await loadOrExplain(() => loadDirectory(store, parseDirectory({ tenants: [{ id: tenant.id, name: tenant.name, users: [user] }] }), deps.clock.now()));
    return { user };
  });

  app.post('/tokens', { schema: { body: MintBody, response: { 200: MintedTokenReply } } }, async (request) => {
    const issued = await mintTokenFor(store, request.body, deps.clock.now());
    return { accessToken: issued.token, expiresIn: issued.expiresIn, userId: issued.user.id, unionId: issued.user.union_id };
  });

  app.get('/faults', { schema: { response: { 200: FaultsReply } } }, async () => ({ faults: await listArmedFaults(store.db) }));
  app.post('/faults', { schema: { body: FaultBody, response: { 201: FaultReply } } }, async (request, reply) => {
    const fault = await store.transaction((tx) => injectFault(tx, request.body, deps.clock.now()));
    await sandbox.faults.refresh(store.db);
    return reply.code(201).send({ fault });
  });
  app.delete('/faults/:id', { schema: { params: FaultParams, response: { 200: ClearedReply } } }, async (request) => {
    if (!(await store.transaction((tx) => clearFault(tx, request.params.id)))) fail('INVALID_PARAMETER', `no fault ${request.params.id}`);
    await sandbox.faults.refresh(store.db);
    return { cleared: request.params.id };
  });

  const clockState = () => ({ now: new Date(sandbox.clock.now()).toISOString(), offsetMs: sandbox.clock.offset });
  app.get('/clock', { schema: { response: { 200: ClockReply } } }, async () => clockState());
  app.put('/clock', { schema: { body: ClockBody, response: { 200: ClockReply } } }, async (request) => {
    const body = request.body;
    let offset: number;
    if ('offsetMs' in body) offset = body.offsetMs;
    else if ('advanceMs' in body) offset = sandbox.clock.offset + body.advanceMs;
    else {
      const at = Date.parse(body.now);
      if (Number.isNaN(at)) fail('INVALID_PARAMETER', 'now must be an ISO 8601 date-time');
      offset = at - Date.now();
    }
    // The sandbox's now stays a date every dialect can write (ISO 8601's four-digit years, from 1970).
    const at = Date.now() + offset;
    if (!(at >= 0 && at <= LATEST_CLOCK)) fail('INVALID_PARAMETER', 'the clock must stay between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z');
    await store.transaction((tx) => sandbox.clock.shift(tx, offset));
    return clockState();
  });

  app.get('/inbox', { schema: { querystring: InboxQuery, response: { 200: InboxReply } } }, async (request) => {
    const users = await findUsersByAnyId(store.db, request.query.user);
    if (users.length === 0) fail('USER_NOT_FOUND', `no user ${request.query.user}`);
    if (users.length > 1) fail('INVALID_PARAMETER', `${request.query.user} names several users; give the internal id`);
    const messages = await listInbox(store.db, users[0]!.id, request.query.limit);
    return { user: users[0]!.id, messages: messages.map((m) => ({ ...m, created_at: new Date(Number(m.created_at)).toISOString() })) };
  });

  app.get('/deliveries', { schema: { querystring: DeliveriesQuery, response: { 200: DeliveriesReply } } }, async (request) => {
    let appId: string | undefined;
    if (request.query.app) {
      const found = (await findApp(store.db, 'feishu', request.query.app)) ?? (await findApp(store.db, 'dingtalk', request.query.app));
      appId = found?.id ?? fail('INVALID_PARAMETER', `no app ${request.query.app}`);
    }
    const rows = await listDeliveries(store.db, { appId, status: request.query.status, limit: request.query.limit });
    const clientIds = new Map<string, string>();
    for (const id of new Set(rows.map((r) => r.app_id))) clientIds.set(id, (await findAppById(store.db, id))?.client_id ?? id);
    // A Feishu envelope carries the Verification Token in clear: the apps' callback secrets are blanked.
    const secrets = await appSecretValues(store.db, rows.map((r) => r.app_id));
    const blank = (text: string | null) => (text === null ? null : redact(text, secrets));
    return {
      deliveries: rows.map((r) => ({
        ...r, app: clientIds.get(r.app_id), payload: blank(r.payload), sent_body: blank(r.sent_body),
        sent_headers: blank(r.sent_headers), last_reply: blank(r.last_reply),
      })),
    };
  });

  app.get('/connections', { schema: { querystring: ConnectionsQuery, response: { 200: ConnectionsReply } } }, async (request) => {
    let appId: string | undefined;
    if (request.query.app) {
      const found = (await findApp(store.db, 'feishu', request.query.app)) ?? (await findApp(store.db, 'dingtalk', request.query.app));
      appId = found?.id ?? fail('INVALID_PARAMETER', `no app ${request.query.app}`);
    }
    const rows = await listConnections(store.db, { appId });
    const apps = new Map<string, string>();
    for (const id of new Set(rows.map((r) => r.app_id))) apps.set(id, (await findAppById(store.db, id))?.client_id ?? id);
    return {
      connections: rows.map((r) => ({
        id: r.id, app: apps.get(r.app_id), tenant_id: r.tenant_id, holder: r.holder,
        opened_at: new Date(Number(r.opened_at)).toISOString(), seen_at: new Date(Number(r.seen_at)).toISOString(),
      })),
    };
  });
  app.delete('/connections/:id', { schema: { params: ConnectionParams, response: { 200: ClosingReply } } }, async (request) => {
    if (!(await store.transaction((tx) => requestClose(tx, request.params.id)))) fail('INVALID_PARAMETER', `no connection ${request.params.id}`);
    return { closing: request.params.id };
  });

  app.get('/api-calls', { schema: { response: { 200: ApiCallsReply } } }, async () => ({ calls: sandbox.apiLog.recent() }));

  app.get('/caldav-accounts', { schema: { querystring: CaldavAccountsQuery, response: { 200: CaldavAccountsReply } } }, async (request) => {
    let userId: string | null = null;
    if (request.query.user) {
      const users = await findUsersByAnyId(store.db, request.query.user);
      if (users.length === 0) fail('USER_NOT_FOUND', `no user ${request.query.user}`);
      if (users.length > 1) fail('INVALID_PARAMETER', `${request.query.user} names several users; give the internal id`);
      userId = users[0]!.id;
    }
    const iso = (ms: number) => new Date(ms).toISOString();
    const accounts = await listCaldavAccounts(store.db, userId);
    return { accounts: accounts.map((a) => ({ ...a, createdAt: iso(a.createdAt), revokedAt: a.revokedAt === null ? null : iso(a.revokedAt) })) };
  });
  app.delete('/caldav-accounts/:id', { schema: { params: ConnectionParams, response: { 200: RevokedReply } } }, async (request) => {
    await store.transaction((tx) => revokeCaldav(tx, request.params.id, deps.clock.now()));
    return { revoked: request.params.id };
  });
}

/** Runs a directory load; its plain Errors (a chat naming an unknown member…) are the caller's mistake. */
async function loadOrExplain<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof KalendsError || error instanceof DirectoryFormatError) throw error;
    throw new KalendsError('INVALID_PARAMETER', (error as Error).message);
  }
}
