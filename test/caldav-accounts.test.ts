// CalDAV credentials: DingTalk generateCaldavAccount and Feishu setting.generateCaldavConf through
// the official SDKs, Basic auth on /caldav (401 + WWW-Authenticate), a user who left, and the
// admin API's list and revoke.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME, U, buildDirectory } from './helpers/directory.ts';
import { $Calendar, Dt, calendarClient, expectDtError, getToken, rt } from './helpers/dingtalk.ts';
import { asUser, expectFsError, fsClient, ok, tenantToken, userToken } from './helpers/feishu.ts';
import { PROPFIND_PRINCIPAL, dav, mintDingTalkAccount, type CaldavAccount } from './helpers/caldav.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const ADMIN_TOKEN = 'caldav-admin-token-0123456789';
let srv: KalendsServer;
let dtToken: string;

before(async () => {
  srv = await startServer({ directory: buildDirectory({ bulk: false }), env: { KALENDS_ADMIN_TOKEN: ADMIN_TOKEN } });
  dtToken = await getToken(srv.endpoint, ACME.app);
});
after(async () => {
  await srv?.cleanup();
});

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${srv.baseUrl}/admin/v1${path}`, {
    method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json() };
}

describe('DingTalk generateCaldavAccount', () => {
  let account: CaldavAccount;

  it('mints {username, password, serverAddress}: a full URL with scheme and port', async () => {
    account = await mintDingTalkAccount(srv.endpoint, dtToken, U.alice, 'Alice laptop');
    assert.match(account.username, /^u_[a-z2-7]{12}$/);
    assert.ok(account.password.length >= 20, 'a long random password');
    assert.equal(account.serverAddress, `http://127.0.0.1:${srv.port}/caldav/`);
  });

  it('the credentials sign in: PROPFIND finds the principal, home and mailto: address', async () => {
    const res = await dav(account.serverAddress, 'PROPFIND', account, { body: PROPFIND_PRINCIPAL, headers: { depth: '0' } });
    assert.equal(res.status, 207, res.text);
    const home = /<d:current-user-principal><d:href>([^<]+)<\/d:href>/.exec(res.text)?.[1];
    assert.ok(home?.startsWith('/caldav/'), res.text);
    const principal = await dav(`${srv.baseUrl}${home}`, 'PROPFIND', account, { body: PROPFIND_PRINCIPAL, headers: { depth: '0' } });
    assert.equal(principal.status, 207);
    assert.match(principal.text, /<c:calendar-home-set><d:href>\/caldav\/[^<]+\/<\/d:href><\/c:calendar-home-set>/);
    assert.match(principal.text, /<d:href>mailto:alice@acme\.example<\/d:href>/);
    assert.match(principal.text, /<d:displayname>Alice<\/d:displayname>/);
  });

  it('a wrong password, no credentials or an unknown user name is 401 with WWW-Authenticate', async () => {
    for (const who of [{ ...account, password: `${account.password}x` }, null, { username: 'u_nobody', password: account.password }]) {
      const res = await dav(account.serverAddress, 'PROPFIND', who, { body: PROPFIND_PRINCIPAL, headers: { depth: '0' } });
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm="Kalends CalDAV"/);
    }
  });

  it('OPTIONS advertises calendar-access and calendar-auto-schedule, without credentials', async () => {
    const res = await dav(account.serverAddress, 'OPTIONS', null);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('dav') ?? '', /\b1\b.*calendar-access.*calendar-auto-schedule/);
    assert.match(res.headers.get('allow') ?? '', /PROPFIND/);
  });

  it('/.well-known/caldav redirects to /caldav/', async () => {
    const res = await dav(`${srv.baseUrl}/.well-known/caldav`, 'PROPFIND', account, { body: PROPFIND_PRINCIPAL });
    assert.equal(res.status, 301);
    assert.equal(res.headers.get('location'), '/caldav/');
  });

  it('device is required (the SDK model marks it so)', async () => {
    await expectDtError(
      calendarClient(srv.endpoint).generateCaldavAccountWithOptions(U.alice, new $Calendar.GenerateCaldavAccountRequest({}),
        new $Calendar.GenerateCaldavAccountHeaders({ xAcsDingtalkAccessToken: dtToken }), rt()),
      400, 'invalidParameter', 'device',
    );
  });

  it('a user who left gets no account, and an account of a user who leaves stops working', async () => {
    await expectDtError(new Dt(srv.endpoint, dtToken).client.generateCaldavAccountWithOptions(U.zed, new $Calendar.GenerateCaldavAccountRequest({ device: 'x' }),
      new $Calendar.GenerateCaldavAccountHeaders({ xAcsDingtalkAccessToken: dtToken }), rt()), 404, 'itemNotFound');
    const carol = await mintDingTalkAccount(srv.endpoint, dtToken, U.carol);
    assert.equal((await dav(carol.serverAddress, 'PROPFIND', carol, { body: PROPFIND_PRINCIPAL, headers: { depth: '0' } })).status, 207);
    const left = await admin('PUT', `/tenants/${ACME.tenantId}/users/${U.carol}`, { name: 'Carol', active: false });
    assert.equal(left.status, 200, JSON.stringify(left.json));
    const res = await dav(carol.serverAddress, 'PROPFIND', carol, { body: PROPFIND_PRINCIPAL, headers: { depth: '0' } });
    assert.equal(res.status, 401);
    assert.ok(res.headers.get('www-authenticate'));
  });

  it('one user never reads another\'s home: 403 DAV:need-privileges', async () => {
    const bob = await mintDingTalkAccount(srv.endpoint, dtToken, U.bob);
    const aliceHome = /<d:current-user-principal><d:href>([^<]+)<\/d:href>/.exec((await dav(account.serverAddress, 'PROPFIND', account, { body: PROPFIND_PRINCIPAL, headers: { depth: '0' } })).text)![1]!;
    const res = await dav(`${srv.baseUrl}${aliceHome}`, 'PROPFIND', bob, { body: PROPFIND_PRINCIPAL, headers: { depth: '0' } });
    assert.equal(res.status, 403);
    assert.match(res.text, /<d:need-privileges>/);
  });

  it('bad XML is 400 with a clear message, never a 500', async () => {
    const res = await dav(account.serverAddress, 'PROPFIND', account, { body: '<d:propfind xmlns:d="DAV:"><d:prop>', headers: { depth: '0' } });
    assert.equal(res.status, 400);
    assert.match(res.text, /not well-formed XML/);
  });
});

describe('Feishu setting.generateCaldavConf', () => {
  it('mints {password, user_name, server_address, device_name} for the user of a user_access_token', async () => {
    const client = fsClient(srv.baseUrl, ACME.feishuApp);
    const tok = await userToken(client, srv.baseUrl, ACME.feishuApp.appId, 'ou_dave');
    const data = ok(await client.calendar.v4.setting.generateCaldavConf({ data: { device_name: 'iPhone' } }, asUser(tok)), 'generateCaldavConf');
    assert.equal(data.device_name, 'iPhone');
    assert.equal(data.server_address, `http://127.0.0.1:${srv.port}/caldav/`);
    const account = { username: data.user_name as string, password: data.password as string };
    const res = await dav(data.server_address as string, 'PROPFIND', account, { body: PROPFIND_PRINCIPAL, headers: { depth: '1' } });
    assert.equal(res.status, 207);
    assert.match(res.text, /mailto:dave@acme\.example/);
  });

  it('a tenant_access_token is refused (the call takes a user_access_token)', async () => {
    const client = fsClient(srv.baseUrl, ACME.feishuApp);
    await tenantToken(srv.baseUrl, ACME.feishuApp);
    await expectFsError(client.calendar.v4.setting.generateCaldavConf({ data: { device_name: 'x' } }), 99991663, { status: 400, msg: null });
  });
});

describe('admin API: list and revoke', () => {
  it('lists a user\'s accounts without passwords, and a revoked one opens nothing', async () => {
    const account = await mintDingTalkAccount(srv.endpoint, dtToken, U.erin, 'Erin tablet');
    const listed = await admin('GET', `/caldav-accounts?user=${U.erin}`);
    assert.equal(listed.status, 200);
    assert.equal(listed.json.accounts.length, 1);
    const row = listed.json.accounts[0];
    assert.equal(row.device, 'Erin tablet');
    assert.equal(row.username, account.username);
    assert.equal(row.revokedAt, null);
    assert.ok(!JSON.stringify(listed.json).includes(account.password), 'the password is never shown again');
    assert.equal((await dav(account.serverAddress, 'PROPFIND', account, { body: PROPFIND_PRINCIPAL, headers: { depth: '0' } })).status, 207);
    assert.equal((await admin('DELETE', `/caldav-accounts/${row.id}`)).status, 200);
    const res = await dav(account.serverAddress, 'PROPFIND', account, { body: PROPFIND_PRINCIPAL, headers: { depth: '0' } });
    assert.equal(res.status, 401);
    assert.equal((await admin('GET', `/caldav-accounts?user=${U.erin}`)).json.accounts[0].revokedAt !== null, true);
    assert.equal((await admin('DELETE', '/caldav-accounts/nope')).status, 400);
  });

  it('the console lists a user\'s passwords and revokes one', async () => {
    const account = await mintDingTalkAccount(srv.endpoint, dtToken, U.frank, 'Frank phone');
    const [row] = (await admin('GET', `/caldav-accounts?user=${U.frank}`)).json.accounts;
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const page = await fetch(`${srv.baseUrl}/console/users/${row.userId}`, { headers: auth });
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.match(html, /CalDAV passwords/);
    assert.ok(html.includes('Frank phone') && html.includes(account.username));
    const revoke = await fetch(`${srv.baseUrl}/console/users/${row.userId}/caldav-accounts/${row.id}/revoke`, { method: 'POST', headers: auth, redirect: 'manual' });
    assert.equal(revoke.status, 303);
    assert.equal((await dav(account.serverAddress, 'PROPFIND', account, { body: PROPFIND_PRINCIPAL, headers: { depth: '0' } })).status, 401);
    assert.match(await (await fetch(`${srv.baseUrl}/console/users/${row.userId}`, { headers: auth })).text(), /revoked/);
  });
});

describe('--public-url', () => {
  it('sets the serverAddress handed out (a server behind a proxy)', async () => {
    const behind = await startServer({ directory: buildDirectory({ bulk: false }), env: { KALENDS_PUBLIC_URL: 'https://cal.example.com:8443/ignored/path' } });
    try {
      const account = await mintDingTalkAccount(behind.endpoint, await getToken(behind.endpoint, ACME.app), U.alice);
      assert.equal(account.serverAddress, 'https://cal.example.com:8443/caldav/');
    } finally {
      await behind.cleanup();
    }
  });
});
