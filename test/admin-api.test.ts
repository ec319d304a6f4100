// The sandbox's admin API (/admin/v1) against a real server: its token, the clock shift (token
// expiry, the idempotency window), injected faults seen through the official DingTalk SDK and
// Feishu's wire, minted user tokens, directory edits, and the API-call log with secrets masked.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ACME, U, buildDirectory } from './helpers/directory.ts';
import { Dt, expectDtError, getToken, timedEventBody, uniqueToken } from './helpers/dingtalk.ts';
import { spawnKalends, startServer, type KalendsServer } from './helpers/server.ts';

const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
const HOUR = 3_600_000;

let srv: KalendsServer;

before(async () => {
  srv = await startServer({ directory: buildDirectory({ bulk: false }), extraArgs: ['--admin-token', ADMIN_TOKEN] });
});

after(async () => {
  await srv?.cleanup();
});

/** A call to the admin API; `token` null sends none. */
async function admin(method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${srv.baseUrl}/admin/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function shiftClock(offsetMs: number): Promise<void> {
  const res = await admin('PUT', '/clock', { offsetMs });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.offsetMs, offsetMs);
}

/** A raw Feishu call with a bearer token. */
async function feishu(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${srv.baseUrl}/open-apis${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function feishuTenantToken(): Promise<string> {
  const res = await fetch(`${srv.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_id: ACME.feishuApp.appId, app_secret: ACME.feishuApp.appSecret }),
  });
  const body = (await res.json()) as { tenant_access_token: string };
  return body.tenant_access_token;
}

describe('admin token', () => {
  it('refuses calls without the token or with a wrong one, in the admin format', async () => {
    for (const token of [null, 'wrong-token-wrong-token-wrong']) {
      const res = await admin('GET', '/clock', undefined, token);
      assert.equal(res.status, 401);
      assert.equal(res.body.code, 'ACCESS_TOKEN_INVALID');
      assert.equal(typeof res.body.message, 'string');
    }
    assert.equal((await admin('GET', '/clock')).status, 200);
  });

  it('an unknown admin path is 404 in the admin format, never a platform body', async () => {
    const res = await admin('GET', '/nothing-here');
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'ROUTE_NOT_FOUND');
  });
});

describe('clock shift', () => {
  after(async () => shiftClock(0));

  it('expires DingTalk access tokens after 7,200 s of server time, and new ones work', async () => {
    const token = await getToken(srv.endpoint, ACME.app);
    const dt = new Dt(srv.endpoint, token);
    assert.equal((await dt.listCalendars(U.alice)).statusCode, 200);
    await shiftClock(2 * HOUR + 60_000);
    await expectDtError(dt.listCalendars(U.alice), 401, 'InvalidAuthentication');
    const fresh = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
    assert.equal((await fresh.listCalendars(U.alice)).statusCode, 200);
    await shiftClock(0);
    assert.equal((await dt.listCalendars(U.alice)).statusCode, 200, 'back in its lifetime, the first token works again');
  });

  it('expires Feishu tenant_access_tokens too (99991663)', async () => {
    const token = await feishuTenantToken();
    assert.equal((await feishu('POST', '/calendar/v4/calendars/primary', token)).body.code, 0);
    await shiftClock(2 * HOUR + 60_000);
    const expired = await feishu('POST', '/calendar/v4/calendars/primary', token);
    assert.equal(expired.body.code, 99991663);
  });

  it('moves the one-day x-client-token window: a replay within it is not applied, after it the key is new', async () => {
    await shiftClock(0);
    const dt = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
    const created = await dt.createEvent(U.alice, timedEventBody('Idempotency window'));
    const eventId = created.body.id as string;
    const key = uniqueToken('window');
    assert.equal((await dt.addAttendees(U.alice, eventId, [U.carol], { clientToken: key })).statusCode, 200);
    assert.equal((await dt.removeAttendees(U.alice, eventId, [U.carol])).statusCode, 200);
    assert.equal((await dt.addAttendees(U.alice, eventId, [U.carol], { clientToken: key })).statusCode, 200);
    let ids = (await dt.listAllAttendees(U.alice, eventId)).map((a: { id: string }) => a.id);
    assert.ok(!ids.includes(U.carol), 'the replay within the day answered from the record and added no one');

    await shiftClock(25 * HOUR);
    const later = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
    assert.equal((await later.addAttendees(U.alice, eventId, [U.carol], { clientToken: key })).statusCode, 200);
    ids = (await later.listAllAttendees(U.alice, eventId)).map((a: { id: string }) => a.id);
    assert.ok(ids.includes(U.carol), 'a day later the same key is a new request');
  });

  it('a notification made right after a shift is dated by the shifted clock (the dispatcher learns of the shift at once)', async () => {
    // On SQLite the dispatcher runs in the server's delivery thread, whose clock is told of each shift.
    await shiftClock(0);
    const dt = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
    const eventId = (await dt.createEvent(U.alice, timedEventBody('Shifted notice'))).body.id as string;
    // An hour ahead: the token stays good (7,200 s), so the change follows the shift at once.
    await shiftClock(HOUR);
    const at = Date.now() + HOUR;
    assert.equal((await dt.addAttendees(U.alice, eventId, [U.bob], { pushNotification: true })).statusCode, 200);
    let notice: { created_at: string } | undefined;
    for (let i = 0; i < 100 && !notice; i++) {
      const { body } = await admin('GET', `/inbox?user=${U.bob}&limit=500`);
      notice = (body.messages as Array<{ text: string; created_at: string }>).find((m) => m.text.includes('Shifted notice'));
      if (!notice) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(notice, 'bob was told');
    const made = Date.parse(notice.created_at);
    assert.ok(made >= at - 1_000 && made < at + 60_000, `the notice is dated ${notice.created_at}, not by the shifted clock`);
    await shiftClock(0);
  });

  it('accepts {advanceMs} and {now}, and refuses a date that is not one or that no date can show', async () => {
    await shiftClock(0);
    const advanced = await admin('PUT', '/clock', { advanceMs: HOUR });
    assert.equal(advanced.body.offsetMs, HOUR);
    const at = await admin('PUT', '/clock', { now: '2030-01-01T00:00:00Z' });
    assert.ok(Math.abs(Date.parse(at.body.now) - Date.parse('2030-01-01T00:00:00Z')) < 60_000, at.body.now);
    const bad = await admin('PUT', '/clock', { now: 'next tuesday' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'INVALID_PARAMETER');
    // A clock no date can show (past year 9999, before 1970) is refused, and the clock stays where it was.
    for (const body of [{ offsetMs: 2 ** 53 }, { advanceMs: 1e308 }, { offsetMs: -(2 ** 53) }, { now: '+275760-09-13T00:00:00Z' }, { now: '1969-12-31T23:59:59Z' }]) {
      const refused = await admin('PUT', '/clock', body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body.code, 'INVALID_PARAMETER');
    }
    assert.ok(Math.abs(Date.parse((await admin('GET', '/clock')).body.now) - Date.parse('2030-01-01T00:00:00Z')) < 60_000);
  });
});

describe('faults', () => {
  let dt: Dt;
  let eventId = '';

  before(async () => {
    dt = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
    eventId = (await dt.createEvent(U.alice, timedEventBody('Faults'))).body.id;
  });

  it('the next N calls of one operation fail with the chosen platform error, then calls succeed', async () => {
    const armed = await admin('POST', '/faults', { platform: 'dingtalk', clientId: ACME.app.appKey, operation: 'addAttendee', error: 'EVENT_NOT_FOUND', count: 2 });
    assert.equal(armed.status, 201, JSON.stringify(armed.body));
    assert.equal((await dt.listAttendees(U.alice, eventId)).statusCode, 200, 'another operation is untouched');
    await expectDtError(dt.addAttendees(U.alice, eventId, [U.bob]), 404, 'itemNotFound');
    await expectDtError(dt.addAttendees(U.alice, eventId, [U.bob]), 404, 'itemNotFound');
    assert.equal((await dt.addAttendees(U.alice, eventId, [U.bob])).statusCode, 200);
    const listed = await admin('GET', '/faults');
    assert.ok(!listed.body.faults.some((f: { id: number }) => f.id === armed.body.fault.id), 'a spent fault is no longer armed');
  });

  it('a 429 or a 5xx, with the platform body, on any operation (`*`)', async () => {
    await admin('POST', '/faults', { platform: 'dingtalk', clientId: ACME.app.appKey, operation: '*', httpStatus: 503, count: 1 });
    await expectDtError(dt.listCalendars(U.alice), 503, 'InternalError');
    await admin('POST', '/faults', { platform: 'dingtalk', clientId: ACME.app.appKey, operation: 'listCalendars', httpStatus: 429, count: 1 });
    await expectDtError(dt.listCalendars(U.alice), 429, 'Throttling');
    assert.equal((await dt.listCalendars(U.alice)).statusCode, 200);
  });

  it('Feishu faults are aimed by the SDK path name and answered in Feishu format', async () => {
    const token = await feishuTenantToken();
    await admin('POST', '/faults', { platform: 'feishu', clientId: ACME.feishuApp.appId, operation: 'calendar.primary', httpStatus: 429, count: 1 });
    const limited = await feishu('POST', '/calendar/v4/calendars/primary', token);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 190004);
    assert.equal(typeof limited.body.error.log_id, 'string');
    assert.equal((await feishu('POST', '/calendar/v4/calendars/primary', token)).body.code, 0);
  });

  it('token endpoints can be made to fail too (the app is named in the body)', async () => {
    await admin('POST', '/faults', { platform: 'dingtalk', clientId: ACME.app.appKey, operation: 'getAccessToken', httpStatus: 503, count: 1 });
    await assert.rejects(getToken(srv.endpoint, ACME.app), (e: { statusCode?: number }) => e.statusCode === 503);
    assert.ok(await getToken(srv.endpoint, ACME.app));
    await admin('POST', '/faults', { platform: 'feishu', clientId: ACME.feishuApp.appId, operation: 'auth.tenantAccessToken.internal', error: 'INTERNAL', count: 1 });
    const res = await fetch(`${srv.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: ACME.feishuApp.appId, app_secret: ACME.feishuApp.appSecret }),
    });
    assert.equal(res.status, 500);
    assert.equal(((await res.json()) as { code: number }).code, 190003);
    assert.ok(await feishuTenantToken());
  });

  it('extra latency delays the call by at least the chosen time and lets it succeed', async () => {
    await admin('POST', '/faults', { platform: 'dingtalk', clientId: ACME.app.appKey, operation: 'getEvent', latencyMs: 400, count: 1 });
    const started = Date.now();
    assert.equal((await dt.getEvent(U.alice, eventId)).statusCode, 200);
    assert.ok(Date.now() - started >= 400, 'answered before the injected latency');
  });

  it('a fault can be cleared before it is spent', async () => {
    const armed = await admin('POST', '/faults', { platform: 'dingtalk', clientId: ACME.app.appKey, operation: 'getEvent', error: 'INTERNAL', count: 5 });
    assert.equal((await admin('DELETE', `/faults/${armed.body.fault.id}`)).status, 200);
    assert.equal((await dt.getEvent(U.alice, eventId)).statusCode, 200);
    assert.equal((await admin('DELETE', `/faults/${armed.body.fault.id}`)).status, 400, 'clearing twice says there is no such fault');
    for (const id of ['1e999', 'Infinity', '-1', 'x']) assert.equal((await admin('DELETE', `/faults/${id}`)).status, 400, `fault id ${id}`);
  });

  it('refuses faults that name no app, a status that is not 429 or 5xx, or do nothing', async () => {
    const cases = [
      { platform: 'dingtalk', clientId: 'no-such-app', operation: '*', error: 'INTERNAL', count: 1 },
      { platform: 'dingtalk', clientId: ACME.app.appKey, operation: '*', httpStatus: 404, count: 1 },
      { platform: 'dingtalk', clientId: ACME.app.appKey, operation: '*', count: 1 },
      { platform: 'dingtalk', clientId: ACME.app.appKey, operation: '*', error: 'NOT_A_CODE', count: 1 },
    ];
    for (const body of cases) {
      const res = await admin('POST', '/faults', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.code, 'INVALID_PARAMETER');
    }
  });
});

describe('minted user tokens', () => {
  it('a Feishu user_access_token for bob acts as bob', async () => {
    const minted = await admin('POST', '/tokens', { platform: 'feishu', clientId: ACME.feishuApp.appId, user: 'ou_bob' });
    assert.equal(minted.status, 200, JSON.stringify(minted.body));
    assert.match(minted.body.accessToken, /^u-/);
    assert.equal(minted.body.expiresIn, 7200);
    const primary = await feishu('POST', '/calendar/v4/calendars/primary?user_id_type=user_id', minted.body.accessToken);
    assert.equal(primary.body.code, 0);
    assert.equal(primary.body.data.calendars[0].user_id, 'bob');
  });

  it('a DingTalk user token acts as its own user only', async () => {
    const minted = await admin('POST', '/tokens', { platform: 'dingtalk', clientId: ACME.app.appKey, user: U.bob });
    assert.equal(minted.status, 200);
    const asBob = new Dt(srv.endpoint, minted.body.accessToken);
    assert.equal((await asBob.listCalendars(U.bob)).statusCode, 200);
    await expectDtError(asBob.listCalendars(U.alice), 400, 'permissionDenied');
  });

  it('refuses users who are unknown or have left', async () => {
    for (const user of ['nobody-at-all', U.zed]) {
      const res = await admin('POST', '/tokens', { platform: 'feishu', clientId: ACME.feishuApp.appId, user });
      assert.equal(res.status, 404, user);
      assert.equal(res.body.code, 'USER_NOT_FOUND');
    }
  });
});

describe('directory edits', () => {
  it('adds a user who can be invited at once, and edits them', async () => {
    const put = await admin('PUT', `/tenants/${ACME.tenantId}/users/u_newcomer`, { name: 'Newcomer', userId: 'newcomer' });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const dt = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
    const created = await dt.createEvent(U.alice, timedEventBody('Welcome', ['u_newcomer']));
    assert.equal(created.statusCode, 200);
    const renamed = await admin('PUT', `/tenants/${ACME.tenantId}/users/u_newcomer`, { name: 'Old Hand' });
    assert.equal(renamed.status, 200);
    const attendees = await dt.listAllAttendees(U.alice, created.body.id);
    assert.equal(attendees.find((a: { id: string }) => a.id === 'u_newcomer')?.displayName, 'Old Hand');
  });

  it('a rotated app secret: the old one, accepted before, is refused; the new one works', async () => {
    const tenant = { id: 'rotation', name: 'Rotation', apps: [{ platform: 'dingtalk', appKey: 'ding_rotation', appSecret: 'first-secret' }] };
    const tokenFor = (appSecret: string) => fetch(`${srv.baseUrl}/v1.0/oauth2/accessToken`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ appKey: 'ding_rotation', appSecret }),
    });
    assert.equal((await admin('PUT', '/directory', { tenants: [tenant] })).status, 200);
    assert.equal((await tokenFor('first-secret')).status, 200);
    assert.equal((await tokenFor('first-secret')).status, 200, 'again, remembered');
    assert.equal((await tokenFor('wrong-secret')).status, 400, 'a wrong secret beside a remembered one');

    tenant.apps[0]!.appSecret = 'second-secret';
    assert.equal((await admin('PUT', '/directory', { tenants: [tenant] })).status, 200);
    const old = await tokenFor('first-secret');
    assert.equal(old.status, 400);
    assert.equal(((await old.json()) as { code: string }).code, 'invalidClientIdOrSecret');
    assert.equal((await tokenFor('second-secret')).status, 200);
  });

  it('edits apply to the next request: a user who left cannot act nor be invited, narrowed scopes bind the tokens already issued', async () => {
    const app = { platform: 'dingtalk', appKey: 'ding_edits', appSecret: 'edits-secret' };
    const users = [{ unionId: 'u_edits_owner', name: 'Owner' }, { unionId: 'u_edits_leaver', name: 'Leaver' }];
    const load = (scopes?: string[]) => admin('PUT', '/directory', { tenants: [{ id: 'edits', name: 'Edits', apps: [{ ...app, scopes }], users }] });
    assert.equal((await load()).status, 200);
    const dt = new Dt(srv.endpoint, await getToken(srv.endpoint, app));
    assert.equal((await dt.createEvent('u_edits_leaver', timedEventBody('before leaving'))).statusCode, 200);
    const event = (await dt.createEvent('u_edits_owner', timedEventBody('kept'))).body.id as string;
    assert.equal((await dt.getEvent('u_edits_owner', event)).statusCode, 200);
    // Invited once before leaving, so this process remembers who u_edits_leaver is.
    assert.equal((await dt.addAttendees('u_edits_owner', event, ['u_edits_leaver'])).statusCode, 200);
    const later = (await dt.createEvent('u_edits_owner', timedEventBody('later'))).body.id as string;

    const left = await admin('PUT', '/tenants/edits/users/u_edits_leaver', { name: 'Leaver', active: false });
    assert.equal(left.status, 200, JSON.stringify(left.body));
    await expectDtError(dt.createEvent('u_edits_leaver', timedEventBody('after leaving')), 404, 'itemNotFound');
    await expectDtError(dt.addAttendees('u_edits_owner', later, ['u_edits_leaver']), 400, 'invalidParameter');

    assert.equal((await load(['Calendar.Calendar.Read'])).status, 200);
    await expectDtError(dt.getEvent('u_edits_owner', event), 403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied');
  });

  it('a Feishu user_access_token stops working on the next request once its user has left', async () => {
    const app = { platform: 'feishu', appId: 'cli_feishu_edits', appSecret: 'feishu-edits-secret' };
    const users = [{ unionId: 'on_feishu_leaver', openId: 'ou_feishu_leaver', name: 'Leaver' }];
    assert.equal((await admin('PUT', '/directory', { tenants: [{ id: 'feishu-edits', name: 'Feishu edits', apps: [app], users }] })).status, 200);
    const minted = await admin('POST', '/tokens', { platform: 'feishu', clientId: app.appId, user: 'ou_feishu_leaver' });
    assert.equal(minted.status, 200, JSON.stringify(minted.body));
    for (let i = 0; i < 2; i++) assert.equal((await feishu('POST', '/calendar/v4/calendars/primary', minted.body.accessToken)).body.code, 0);

    const left = await admin('PUT', '/tenants/feishu-edits/users/on_feishu_leaver', { name: 'Leaver', active: false });
    assert.equal(left.status, 200, JSON.stringify(left.body));
    const refused = await feishu('POST', '/calendar/v4/calendars/primary', minted.body.accessToken);
    assert.equal(refused.status, 404);
    assert.equal(refused.body.code, 195100);
  });

  it('a bad directory is 400 naming the problem, and nothing is loaded', async () => {
    const bad = await admin('PUT', '/directory', { tenants: [{ id: 'x', name: 'X', users: [{ unionId: 'u1', name: 'U', colour: 'red' }] }] });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /colour/);
    const chat = await admin('PUT', '/directory', { tenants: [{ id: 'y', name: 'Y', chats: [{ chatId: 'oc_1', name: 'C', members: ['ghost'] }] }] });
    assert.equal(chat.status, 400);
    assert.match(chat.body.message, /ghost/);
    assert.equal((await admin('PUT', `/tenants/y/users/u1`, { name: 'U' })).status, 400, 'tenant y was not created by the failed load');
  });
});

describe('API-call log', () => {
  it('lists the last calls with status and latency, secrets masked', async () => {
    await getToken(srv.endpoint, ACME.app);
    const res = await admin('GET', '/api-calls');
    const call = res.body.calls.find((c: { url: string }) => c.url === '/v1.0/oauth2/accessToken');
    assert.ok(call, 'the token call is logged');
    assert.equal(call.status, 200);
    assert.equal(typeof call.latencyMs, 'number');
    assert.equal(call.requestBody.appSecret, '***');
    assert.equal(JSON.parse(call.replyBody).accessToken, '***');
    assert.ok(!JSON.stringify(res.body).includes(ACME.app.appSecret), 'no app secret anywhere in the log');
  });
});

describe('console access settings', () => {
  it('refuses --console-open on with a host that is not loopback', async () => {
    const proc = spawnKalends(['start', '--host', '0.0.0.0', '--port', '0', '--data', srv.dataDir + '-open', '--console-open', 'on']);
    const { code } = await proc.exited;
    assert.equal(code, 1);
    assert.match(proc.stderr(), /--console-open on needs a loopback --host/);
  });

  it('--console-open on serves loopback names without a token, and refuses any other Host (DNS rebinding)', async () => {
    const open = await startServer({ directory: buildDirectory({ bulk: false }), extraArgs: ['--console-open', 'on'] });
    try {
      const get = (host: string) => new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: open.port, path: '/admin/v1/clock', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(await get(`127.0.0.1:${open.port}`), 200);
      assert.equal(await get(`localhost:${open.port}`), 200);
      assert.equal(await get(`attacker.example:${open.port}`), 401);
    } finally {
      await open.cleanup();
    }
  });

  it('prints a fresh admin token at start when none is set', async () => {
    const other = await startServer({ directory: buildDirectory({ bulk: false }) });
    try {
      const token = /Admin token \(this run[^)]*\): (\S+)/.exec(other.stdout())?.[1];
      assert.ok(token && token.length >= 16, other.stdout());
      const res = await fetch(`${other.baseUrl}/admin/v1/clock`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200);
    } finally {
      await other.cleanup();
    }
  });
});
