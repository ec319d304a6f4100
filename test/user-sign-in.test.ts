// User sign-in through the authorization-code flows, against a real server: DingTalk's login page
// (/oauth2/auth) and getUserToken through the official oauth2_1_0 client, createEventByMe with the
// user token; Feishu's authorize / v1 index pages, oidc access_token and refresh_access_token
// through the Lark SDK, v2 oauth/token over HTTP and user_info through the SDK. Codes are
// single-use and expire by the sandbox clock; refresh tokens rotate; a user who left cannot sign
// in. The consent page (no login_hint) is driven in headless Chromium like the console.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ACME, G, GLOBEX, U, buildDirectory } from './helpers/directory.ts';
import { $Calendar, $OAuth, calendarClient, expectDtError, getToken, oauthClient, plain, rt, timedEventBody } from './helpers/dingtalk.ts';
import { launchChromium, screenshot, startCallbackReceiver, visibleText, type CallbackReceiver } from './helpers/console.ts';
import { appAccessToken, asUser, fsClient, fsRaw, ok, tenantToken, type lark } from './helpers/feishu.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const ADMIN_TOKEN = 'sign-in-admin-token-0123456789abcdef';
/** A second Feishu app of acme: another app's codes and refresh tokens are refused. */
const OTHER_FEISHU = { appId: 'cli_acme_other', appSecret: 'acme-other-feishu-secret' };
const REDIRECT = 'https://app.example/callback';

let srv: KalendsServer;
let fs: lark.Client;

before(async () => {
  const directory = buildDirectory({ bulk: false });
  (directory.tenants[0]!.apps as unknown[]).push({ platform: 'feishu', appId: OTHER_FEISHU.appId, appSecret: OTHER_FEISHU.appSecret });
  srv = await startServer({ directory, extraArgs: ['--admin-token', ADMIN_TOKEN] });
  fs = fsClient(srv.baseUrl, ACME.feishuApp, { privateCache: true });
});

after(async () => {
  await srv?.cleanup();
});

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${srv.baseUrl}/admin/v1${path}`, {
    method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function shiftClock(offsetMs: number): Promise<void> {
  const res = await admin('PUT', '/clock', { offsetMs });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/** Makes a user leave the directory (active: false) through the admin API. */
async function leave(unionId: string, name: string): Promise<void> {
  const res = await admin('PUT', `/tenants/${ACME.tenantId}/users/${unionId}`, { name, active: false });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/** GET a login page without following the redirect. */
async function page(path: string, query: Record<string, string>): Promise<{ status: number; location: string | null; text: string; type: string }> {
  const res = await fetch(`${srv.baseUrl}${path}?${new URLSearchParams(query)}`, { redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

// ---------------------------------------------------------------------------------------------------------------
// DingTalk

const dtLogin = (loginHint: string | undefined, extra: Record<string, string> = {}, clientId = ACME.app.appKey) => ({
  redirect_uri: REDIRECT, response_type: 'code', client_id: clientId, scope: 'openid', state: 'dt-state', prompt: 'consent',
  ...(loginHint === undefined ? {} : { login_hint: loginHint }), ...extra,
});

/** The authCode of a login as `unionId` through /oauth2/auth (state echoed). */
async function dtAuthCode(unionId: string, clientId = ACME.app.appKey): Promise<string> {
  const res = await page('/oauth2/auth', dtLogin(unionId, {}, clientId));
  assert.equal(res.status, 302, res.text);
  const loc = new URL(res.location!);
  assert.equal(`${loc.origin}${loc.pathname}`, REDIRECT);
  assert.equal(loc.searchParams.get('state'), 'dt-state');
  return loc.searchParams.get('authCode')!;
}

function getUserToken(body: Record<string, string | undefined>) {
  return oauthClient(srv.endpoint).getUserToken(new $OAuth.GetUserTokenRequest({ clientId: ACME.app.appKey, clientSecret: ACME.app.appSecret, ...body }));
}

function createEventByMe(token: string, summary: string) {
  return calendarClient(srv.endpoint).createEventByMeWithOptions('primary', new $Calendar.CreateEventByMeRequest(timedEventBody(summary)),
    new $Calendar.CreateEventByMeHeaders({ xAcsDingtalkAccessToken: token }), rt());
}

async function viewByMe(token: string): Promise<Array<{ summary: string; organizer?: { id?: string } }>> {
  const res = await calendarClient(srv.endpoint).listEventsViewByMeWithOptions('primary',
    new $Calendar.ListEventsViewByMeRequest({ timeMin: '2031-03-04T00:00:00Z', timeMax: '2031-03-05T00:00:00Z' }),
    new $Calendar.ListEventsViewByMeHeaders({ xAcsDingtalkAccessToken: token }), rt());
  return plain(res.body).events ?? [];
}

describe('DingTalk: /oauth2/auth and getUserToken (oauth2_1_0)', () => {
  it('login_hint → 302 redirect_uri?authCode&state; getUserToken → {accessToken, refreshToken, expireIn 7200, corpId}; the token creates as its user (createEventByMe)', async () => {
    const code = await dtAuthCode(U.alice);
    const res = await getUserToken({ code, grantType: 'authorization_code' });
    const body = plain(res.body);
    assert.deepEqual(Object.keys(body).sort(), ['accessToken', 'corpId', 'expireIn', 'refreshToken']);
    assert.equal(body.expireIn, 7200);
    assert.equal(body.corpId, ACME.tenantId);
    assert.notEqual(body.accessToken, body.refreshToken);
    const created = plain((await createEventByMe(body.accessToken, 'By me (alice)')).body);
    assert.equal(created.organizer.id, U.alice);
    assert.ok((await viewByMe(body.accessToken)).some((e) => e.summary === 'By me (alice)'));
  });

  it('an authCode is single-use: the second exchange → 400 invalidParameter.authCode.notFound', async () => {
    const code = await dtAuthCode(U.bob);
    await getUserToken({ code, grantType: 'authorization_code' });
    await expectDtError(getUserToken({ code, grantType: 'authorization_code' }), 400, 'invalidParameter.authCode.notFound');
    await expectDtError(getUserToken({ code: 'no-such-code', grantType: 'authorization_code' }), 400, 'invalidParameter.authCode.notFound');
  });

  it('wrong secret / unknown clientId → 400 invalidClientIdOrSecret, and the code is not spent', async () => {
    const code = await dtAuthCode(U.carol);
    await expectDtError(getUserToken({ code, grantType: 'authorization_code', clientSecret: 'wrong' }), 400, 'invalidClientIdOrSecret');
    await expectDtError(getUserToken({ code, grantType: 'authorization_code', clientId: 'ding_nope' }), 400, 'invalidClientIdOrSecret');
    assert.equal(plain((await getUserToken({ code, grantType: 'authorization_code' })).body).corpId, ACME.tenantId);
  });

  it('another app\'s authCode → authCode.notFound; bad grantType or a missing code/refreshToken → 400 invalidParameter', async () => {
    const globexCode = await dtAuthCode(G.gina, GLOBEX.app.appKey);
    await expectDtError(getUserToken({ code: globexCode, grantType: 'authorization_code' }), 400, 'invalidParameter.authCode.notFound');
    await expectDtError(getUserToken({ code: 'x', grantType: 'password' }), 400, 'invalidParameter');
    await expectDtError(getUserToken({ code: 'x' }), 400, 'invalidParameter');
    await expectDtError(getUserToken({ grantType: 'authorization_code' }), 400, 'invalidParameter');
    await expectDtError(getUserToken({ grantType: 'refresh_token' }), 400, 'invalidParameter');
  });

  it('an authCode expires after 300 s of the sandbox clock', async () => {
    const code = await dtAuthCode(U.dave);
    await shiftClock(301_000);
    try {
      await expectDtError(getUserToken({ code, grantType: 'authorization_code' }), 400, 'invalidParameter.authCode.notFound', 'expired');
    } finally {
      await shiftClock(0);
    }
  });

  it('refresh tokens rotate: the new pair works, the old refresh token is refused (400 invalidParameter)', async () => {
    const first = plain((await getUserToken({ code: await dtAuthCode(U.erin), grantType: 'authorization_code' })).body);
    const second = plain((await getUserToken({ refreshToken: first.refreshToken, grantType: 'refresh_token' })).body);
    assert.notEqual(second.refreshToken, first.refreshToken);
    assert.notEqual(second.accessToken, first.accessToken);
    assert.equal(plain((await createEventByMe(second.accessToken, 'By me (erin)')).body).organizer.id, U.erin);
    await expectDtError(getUserToken({ refreshToken: first.refreshToken, grantType: 'refresh_token' }), 400, 'invalidParameter', 'rotate');
    await expectDtError(getUserToken({ refreshToken: second.refreshToken, grantType: 'refresh_token', clientSecret: 'wrong' }), 400, 'invalidClientIdOrSecret');
    // The refused call did not spend it.
    assert.equal(plain((await getUserToken({ refreshToken: second.refreshToken, grantType: 'refresh_token' })).body).corpId, ACME.tenantId);
  });

  it('a user token acts as its user only: another userId → 400 permissionDenied, nothing created; /me with an app token → 401', async () => {
    const token = plain((await getUserToken({ code: await dtAuthCode(U.frank), grantType: 'authorization_code' })).body).accessToken as string;
    const headers = new $Calendar.CreateEventHeaders({ xAcsDingtalkAccessToken: token });
    await expectDtError(calendarClient(srv.endpoint).createEventWithOptions(U.grace, 'primary', new $Calendar.CreateEventRequest(timedEventBody('Not mine')), headers, rt()), 400, 'permissionDenied');
    const appToken = await getToken(srv.endpoint, ACME.app);
    const graceView = await calendarClient(srv.endpoint).listEventsViewWithOptions(U.grace, 'primary',
      new $Calendar.ListEventsViewRequest({ timeMin: '2031-03-04T00:00:00Z', timeMax: '2031-03-05T00:00:00Z' }),
      new $Calendar.ListEventsViewHeaders({ xAcsDingtalkAccessToken: appToken }), rt());
    assert.deepEqual(plain(graceView.body).events ?? [], []);
    // Its own userId is fine.
    const own = await calendarClient(srv.endpoint).createEventWithOptions(U.frank, 'primary', new $Calendar.CreateEventRequest(timedEventBody('Mine')), headers, rt());
    assert.equal(plain(own.body).organizer.id, U.frank);
    await expectDtError(createEventByMe(appToken, 'app token'), 401, 'InvalidAuthentication');
    await expectDtError(createEventByMe('not-a-token', 'no token'), 401, 'InvalidAuthentication');
  });

  it('a user who left cannot sign in: no page redirect for them, an outstanding code or refresh token → 404 itemNotFound', async () => {
    const zed = await page('/oauth2/auth', dtLogin(U.zed));
    assert.equal(zed.status, 400);
    assert.match(zed.type, /text\/html/);
    const code = await dtAuthCode(U.heidi);
    const refresh = plain((await getUserToken({ code: await dtAuthCode(U.heidi), grantType: 'authorization_code' })).body).refreshToken;
    await leave(U.heidi, 'Heidi');
    await expectDtError(getUserToken({ code, grantType: 'authorization_code' }), 404, 'itemNotFound', 'left');
    await expectDtError(getUserToken({ refreshToken: refresh, grantType: 'refresh_token' }), 404, 'itemNotFound', 'left');
    assert.equal((await page('/oauth2/auth', dtLogin(U.heidi))).status, 400);
  });

  it('the login page refuses what it cannot serve with a 400 page: unknown or no client_id, no redirect_uri, response_type ≠ code, scope without openid', async () => {
    for (const [label, query] of [
      ['unknown client_id', dtLogin(U.alice, {}, 'ding_nope')],
      ['no client_id', (({ client_id: _c, ...q }) => q)(dtLogin(U.alice))],
      ['no redirect_uri', (({ redirect_uri: _r, ...q }) => q)(dtLogin(U.alice))],
      ['redirect_uri not a URL', dtLogin(U.alice, { redirect_uri: 'not a url' })],
      ['response_type token', dtLogin(U.alice, { response_type: 'token' })],
      ['scope without openid', dtLogin(U.alice, { scope: 'corpid' })],
      ['unknown login_hint', dtLogin('u_nobody')],
      ['another tenant\'s user', dtLogin('g_gina')],
    ] as const) {
      const res = await page('/oauth2/auth', query as Record<string, string>);
      assert.equal(res.status, 400, `${label}: ${res.status} ${res.location}`);
      assert.match(res.type, /text\/html/, label);
      assert.ok(res.text.includes('Cannot sign in'), label);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Feishu

const fsLogin = (loginHint: string | undefined, appId = ACME.feishuApp.appId) => ({
  client_id: appId, redirect_uri: REDIRECT, state: 'fs-state', ...(loginHint === undefined ? {} : { login_hint: loginHint }),
});

async function fsCode(openId: string, path = '/open-apis/authen/v1/authorize'): Promise<string> {
  const res = await page(path, fsLogin(openId));
  assert.equal(res.status, 302, res.text);
  const loc = new URL(res.location!);
  assert.equal(loc.searchParams.get('state'), 'fs-state');
  return loc.searchParams.get('code')!;
}

/** POST /open-apis/authen/v2/oauth/token (the SDK has no method for it). */
function v2Token(body: Record<string, string | undefined>, app = ACME.feishuApp) {
  return fsRaw(srv.baseUrl, 'POST', '/open-apis/authen/v2/oauth/token', { body: { client_id: app.appId, client_secret: app.appSecret, ...body } });
}

function assertV2Error(res: Awaited<ReturnType<typeof v2Token>>, code: number, error: string): void {
  assert.equal(res.status, 400, res.text);
  assert.equal(res.json.code, code, res.text);
  assert.equal(res.json.error, error, res.text);
  assert.equal(typeof res.json.error_description, 'string');
}

describe('Feishu: authen v2 oauth/token, oidc refresh, user_info', () => {
  it('v2 authorization_code → top-level {code 0, access_token, expires_in, refresh_token, refresh_token_expires_in, scope, token_type}; user_info (SDK) names the user', async () => {
    const res = await v2Token({ grant_type: 'authorization_code', code: await fsCode('ou_alice'), redirect_uri: REDIRECT });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json).sort(), ['access_token', 'code', 'expires_in', 'refresh_token', 'refresh_token_expires_in', 'scope', 'token_type']);
    assert.equal(res.json.code, 0);
    assert.match(res.json.access_token, /^u-/);
    assert.equal(res.json.expires_in, 7200);
    assert.equal(res.json.refresh_token_expires_in, 30 * 86400);
    assert.equal(res.json.token_type, 'Bearer');
    const info = ok(await fs.authen.userInfo.get({}, asUser(res.json.access_token)), 'userInfo.get');
    assert.equal(info.open_id, 'ou_alice');
    assert.equal(info.union_id, U.alice);
    assert.equal(info.user_id, 'alice');
    assert.equal(info.name, 'Alice');
    assert.equal(info.tenant_key, ACME.tenantId);
  });

  it('v2 refresh_token rotates: the new pair works, the old one → 400 20064; a refused call spends nothing', async () => {
    const first = (await v2Token({ grant_type: 'authorization_code', code: await fsCode('ou_bob') })).json;
    const second = await v2Token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    assert.equal(second.status, 200, second.text);
    assert.notEqual(second.json.refresh_token, first.refresh_token);
    assert.equal(ok(await fs.authen.userInfo.get({}, asUser(second.json.access_token))).open_id, 'ou_bob');
    assertV2Error(await v2Token({ grant_type: 'refresh_token', refresh_token: first.refresh_token }), 20064, 'invalid_grant');
    assertV2Error(await v2Token({ grant_type: 'refresh_token', refresh_token: second.json.refresh_token }, OTHER_FEISHU), 20026, 'invalid_grant');
    assertV2Error(await v2Token({ grant_type: 'refresh_token', refresh_token: second.json.refresh_token, client_secret: 'wrong' }), 20002, 'invalid_client');
    assert.equal((await v2Token({ grant_type: 'refresh_token', refresh_token: second.json.refresh_token })).status, 200);
  });

  it('v2 refusals: used code 20065, unknown 20003, another app\'s 20024, expired (sandbox clock) 20004, wrong secret 20002, bad grant_type / missing fields 20001', async () => {
    const code = await fsCode('ou_carol');
    assertV2Error(await v2Token({ grant_type: 'authorization_code', code }, OTHER_FEISHU), 20024, 'invalid_grant');
    assertV2Error(await v2Token({ grant_type: 'authorization_code', code, client_secret: 'wrong' }), 20002, 'invalid_client');
    assert.equal((await v2Token({ grant_type: 'authorization_code', code })).status, 200, 'the refused calls did not spend the code');
    assertV2Error(await v2Token({ grant_type: 'authorization_code', code }), 20065, 'invalid_grant');
    assertV2Error(await v2Token({ grant_type: 'authorization_code', code: 'no-such-code' }), 20003, 'invalid_grant');
    assertV2Error(await v2Token({ grant_type: 'password', code }), 20001, 'invalid_request');
    assertV2Error(await v2Token({ grant_type: 'authorization_code' }), 20001, 'invalid_request');
    assertV2Error(await v2Token({ grant_type: 'authorization_code', code, client_id: undefined }), 20001, 'invalid_request');
    const late = await fsCode('ou_carol');
    await shiftClock(301_000);
    try {
      assertV2Error(await v2Token({ grant_type: 'authorization_code', code: late }), 20004, 'invalid_grant');
    } finally {
      await shiftClock(0);
    }
  });

  it('concurrent exchanges of one code, and of one refresh token: exactly one wins, the others are told it was used', async () => {
    const code = await fsCode('ou_grace');
    const codeRaces = await Promise.all(Array.from({ length: 6 }, () => v2Token({ grant_type: 'authorization_code', code })));
    assert.deepEqual(codeRaces.map((r) => r.json.code).sort(), [0, 20065, 20065, 20065, 20065, 20065], codeRaces.map((r) => r.text).join('\n'));
    const refresh = codeRaces.find((r) => r.json.code === 0)!.json.refresh_token as string;
    const refreshRaces = await Promise.all(Array.from({ length: 6 }, () => v2Token({ grant_type: 'refresh_token', refresh_token: refresh })));
    assert.deepEqual(refreshRaces.map((r) => r.json.code).sort(), [0, 20064, 20064, 20064, 20064, 20064], refreshRaces.map((r) => r.text).join('\n'));
  });

  it('oidc access_token and refresh_access_token through the SDK (app_access_token): a refresh_token that rotates; the old one → 400 20064', async () => {
    const first = ok(await fs.authen.oidcAccessToken.create({ data: { grant_type: 'authorization_code', code: await fsCode('ou_dave', '/open-apis/authen/v1/index') } }));
    assert.equal(typeof first.refresh_token, 'string');
    assert.equal(first.refresh_expires_in, 30 * 86400);
    const second = ok(await fs.authen.oidcRefreshAccessToken.create({ data: { grant_type: 'refresh_token', refresh_token: first.refresh_token } }));
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.equal(ok(await fs.authen.userInfo.get({}, asUser(second.access_token))).open_id, 'ou_dave');
    const again = await fsRaw(srv.baseUrl, 'POST', '/open-apis/authen/v1/oidc/refresh_access_token', {
      token: await appAccessToken(srv.baseUrl, ACME.feishuApp), body: { grant_type: 'refresh_token', refresh_token: first.refresh_token },
    });
    assert.equal(again.status, 400, again.text);
    assert.equal(again.json.code, 20064);
    assert.equal(typeof again.json.msg, 'string');
    assert.equal(typeof again.json.error?.log_id, 'string');
  });

  it('user_info refuses a tenant_access_token (99991663) and no token (99991661)', async () => {
    const res = await fsRaw(srv.baseUrl, 'GET', '/open-apis/authen/v1/user_info', { token: await tenantToken(srv.baseUrl, ACME.feishuApp) });
    assert.equal(res.json.code, 99991663, res.text);
    assert.equal((await fsRaw(srv.baseUrl, 'GET', '/open-apis/authen/v1/user_info')).json.code, 99991661);
  });

  it('a user who left: an outstanding code → 400 20021, their login_hint → 404 195100', async () => {
    const code = await fsCode('ou_ivan');
    await leave(U.ivan, 'Ivan');
    assertV2Error(await v2Token({ grant_type: 'authorization_code', code }), 20021, 'invalid_grant');
    const res = await page('/open-apis/authen/v1/authorize', fsLogin('ou_ivan'));
    assert.equal(res.status, 404, res.text);
    assert.equal(JSON.parse(res.text).code, 195100);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The consent page in a browser

describe('consent page in headless Chromium', () => {
  let browser: Browser;
  let tab: Page;
  let receiver: CallbackReceiver;

  before(async () => {
    receiver = await startCallbackReceiver();
    browser = await launchChromium();
    tab = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    tab.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close();
    await receiver?.close();
  });

  /** Clicks "Sign in as <name>" and returns the URL the browser landed on (the app's redirect_uri). */
  async function signInAs(name: string): Promise<URL> {
    await Promise.all([tab.waitForURL((url) => url.toString().startsWith(receiver.url)), tab.click(`button:has-text("Sign in as ${name}")`)]);
    return new URL(tab.url());
  }

  it('Feishu authorize without login_hint lists the tenant\'s people (not who left, not other tenants); "Sign in as Bob" → redirect_uri?code&state → Bob\'s token', async () => {
    await tab.goto(`${srv.baseUrl}/open-apis/authen/v1/authorize?${new URLSearchParams({ client_id: ACME.feishuApp.appId, redirect_uri: receiver.url, state: 'st-browser', scope: 'calendar:calendar' })}`);
    const text = await visibleText(tab);
    assert.ok(text.includes(`Sign in to ${ACME.feishuApp.appId}`), text.slice(0, 300));
    for (const name of ['Alice', 'Bob', 'Carol']) assert.ok(text.includes(`Sign in as ${name}`), name);
    assert.ok(!text.includes('Sign in as Zed'), 'a user who left is not offered');
    assert.ok(!text.includes('Gina'), 'another tenant\'s user is not offered');
    await screenshot(tab, 'sign-in-feishu-consent');
    const landed = await signInAs('Bob');
    assert.equal(landed.searchParams.get('state'), 'st-browser');
    const token = ok(await fs.authen.oidcAccessToken.create({ data: { grant_type: 'authorization_code', code: landed.searchParams.get('code')! } })).access_token;
    assert.equal(ok(await fs.authen.userInfo.get({}, asUser(token))).name, 'Bob');
  });

  it('Feishu v1 index is the same page: "Sign in as Judy" → a code for Judy (v2 token)', async () => {
    await tab.goto(`${srv.baseUrl}/open-apis/authen/v1/index?${new URLSearchParams({ app_id: ACME.feishuApp.appId, redirect_uri: receiver.url, state: 'st-index' })}`);
    const landed = await signInAs('Judy');
    assert.equal(landed.searchParams.get('state'), 'st-index');
    const res = await v2Token({ grant_type: 'authorization_code', code: landed.searchParams.get('code')! });
    assert.equal(ok(await fs.authen.userInfo.get({}, asUser(res.json.access_token))).name, 'Judy');
  });

  it('DingTalk /oauth2/auth without login_hint: "Sign in as Carol" → redirect_uri?authCode&state → getUserToken → createEventByMe as Carol', async () => {
    await tab.goto(`${srv.baseUrl}/oauth2/auth?${new URLSearchParams({ ...dtLogin(undefined), redirect_uri: receiver.url, state: 'dt-browser' })}`);
    const text = await visibleText(tab);
    assert.ok(text.includes('DingTalk'), text.slice(0, 300));
    assert.ok(!text.includes('Sign in as Zed'));
    await screenshot(tab, 'sign-in-dingtalk-consent');
    const landed = await signInAs('Carol');
    assert.equal(landed.searchParams.get('state'), 'dt-browser');
    assert.equal(landed.searchParams.get('code'), null, 'DingTalk names it authCode');
    const body = plain((await getUserToken({ code: landed.searchParams.get('authCode')!, grantType: 'authorization_code' })).body);
    assert.equal(plain((await createEventByMe(body.accessToken, 'By me (carol)')).body).organizer.id, U.carol);
  });
});
