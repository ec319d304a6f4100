// The web console (/console): a real Kalends driven by the DingTalk SDK (seed 004's flow), looked
// at through headless Chromium, with a full-page screenshot per step in test-output/console/.
// Plain-HTTP cases check the guard (token, cookie, origin), that no secret reaches any page, and
// that refused forms come back as 400 pages with their message.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ACME, U, buildDirectory } from './helpers/directory.ts';
import { Dt, expectDtError, getToken, seedEventBody } from './helpers/dingtalk.ts';
import { launchChromium, screenshot, startCallbackReceiver, visibleText, type CallbackReceiver } from './helpers/console.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const ADMIN_TOKEN = 'console-admin-0123456789abcdefXYZ';
/** A Feishu app with an event callback URL (our receiver) and a Verification Token that must never be shown. */
const HOOK_APP = { appId: 'cli_console_hook', appSecret: 'console-hook-app-secret-42', verificationToken: 'vtok-console-hook-never-shown' };

let srv: KalendsServer;
let receiver: CallbackReceiver;
let dt: Dt;
let accessToken: string;
let appSecrets: string[];
/** The seed-004 event's DingTalk id (what the SDK returned). */
let eventId = '';
let browser: Browser;
let page: Page;

before(async () => {
  receiver = await startCallbackReceiver();
  const directory = buildDirectory({ bulk: false });
  (directory.tenants[0]!.apps as unknown[]).push({
    platform: 'feishu', appId: HOOK_APP.appId, appSecret: HOOK_APP.appSecret,
    eventCallbackUrl: receiver.url, verificationToken: HOOK_APP.verificationToken,
  });
  appSecrets = directory.tenants.flatMap((t) => (t.apps as Array<{ appSecret: string }>).map((a) => a.appSecret));
  srv = await startServer({ directory, extraArgs: ['--admin-token', ADMIN_TOKEN] });
  accessToken = await getToken(srv.endpoint, ACME.app);
  dt = new Dt(srv.endpoint, accessToken);

  // Seed 004: the all-day daily event with an attendee, two more added, listed, bob accepts.
  const created = await dt.createEvent(U.alice, seedEventBody(U.bob));
  eventId = created.body.id;
  assert.equal((await dt.addAttendees(U.alice, eventId, [U.carol, U.dave])).statusCode, 200);
  assert.equal((await dt.listAttendees(U.alice, eventId, { maxResults: 100 })).body.attendees.length, 3);
  assert.equal((await dt.respond(U.bob, eventId, 'accepted')).statusCode, 200);

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.setDefaultTimeout(15_000);
});

after(async () => {
  await browser?.close();
  await srv?.cleanup();
  await receiver?.close();
});

/** Clicks a form's submit button and waits for the page it leads to (a POST's reply or its redirect). */
async function submit(selector: string): Promise<void> {
  await Promise.all([page.waitForEvent('framenavigated'), page.click(selector)]);
  await page.waitForLoadState('load');
}

/** Reloads until `pred` holds on the page's text (the dispatcher runs every 200 ms); bounded. */
async function reloadUntil(pred: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = await visibleText(page);
  while (!pred(text) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    await page.reload();
    text = await visibleText(page);
  }
  return text;
}

describe('console in a browser', () => {
  it('01 without the token → sign-in page; the token signs in → overview with tenant, apps, users', async () => {
    await page.goto(`${srv.baseUrl}/console`);
    assert.match(page.url(), /\/console\/login$/);
    assert.ok((await visibleText(page)).includes('Admin token'));
    await screenshot(page, '01-login');

    await page.fill('#token', 'not-the-token-at-all');
    await submit('button[type=submit]');
    assert.ok((await visibleText(page)).includes('Wrong token'));

    await page.fill('#token', ADMIN_TOKEN);
    await submit('button[type=submit]');
    assert.match(page.url(), /\/console$/);
    // The Feishu app's callback URL is verified once its url_verification was delivered.
    const text = await reloadUntil((t) => t.includes('verified'));
    for (const expected of ['Tenant Acme', 'Tenant Globex', 'ding_acme', 'cli_acme', HOOK_APP.appId, receiver.url, 'verified',
      'Alice', 'Bob', 'u_bob', 'ou_bob', 'Zed', 'left']) {
      assert.ok(text.includes(expected), `overview shows ${expected}`);
    }
    assert.ok(text.includes('verification token set'));
    await screenshot(page, '02-overview');
  });

  it('02 search by summary and by DingTalk id → the event: attendees with answers, and its history', async () => {
    await page.fill('header input[name=q]', 'New Event');
    await page.press('header input[name=q]', 'Enter');
    await page.waitForURL(/\/console\/search\?q=New/);
    let text = await visibleText(page);
    assert.ok(text.includes('New Event') && text.includes('2022-09-07'), text);
    await screenshot(page, '03-search-summary');

    await page.fill('header input[name=q]', eventId);
    await page.press('header input[name=q]', 'Enter');
    await page.waitForURL(/\/console\/search\?q=/);
    text = await visibleText(page);
    assert.ok(text.includes('The query decodes to'), text);
    assert.ok(text.includes('New Event'));
    await screenshot(page, '04-search-dingtalk-id');

    await page.locator('table a', { hasText: 'New Event' }).first().click();
    await page.waitForURL(/\/console\/events\//);
    text = await visibleText(page);
    assert.ok(text.includes(`DingTalk id ${eventId}`), 'the DingTalk id is shown');
    assert.match(text, /Feishu id [0-9a-f-]{36}_0/);
    assert.ok(text.includes('Organizer Alice'));
    const bob = page.locator('#attendees tbody tr', { hasText: 'Bob' });
    assert.equal(await bob.count(), 1);
    assert.ok((await bob.innerText()).includes('accepted'), await bob.innerText());
    assert.ok((await page.locator('#attendees tbody tr', { hasText: 'Carol' }).innerText()).includes('needsAction'));
    const history = await page.locator('#history').innerText();
    for (const expected of ['event.created', 'attendee.added', 'added Carol (user), Dave (user)', 'attendee.responded', 'answered accepted', 'ding_acme']) {
      assert.ok(history.includes(expected), `history shows ${expected}: ${history}`);
    }
    const responded = await page.locator('#history tbody tr', { hasText: 'attendee.responded' }).innerText();
    assert.ok(responded.includes('Bob'), 'the answer is by Bob');
    await screenshot(page, '05-event');
  });

  it('03 bob\'s page shows the invitation in his notification inbox', async () => {
    await page.click('#attendees >> text=Bob');
    await page.waitForURL(/\/console\/users\//);
    const text = await reloadUntil((t) => t.includes('Alice invited you to "New Event"'));
    assert.ok(text.includes('Alice invited you to "New Event"'), `bob's inbox: ${text}`);
    assert.match(text, /DingTalk (reminder|message)/);
    assert.ok(text.includes('unionId u_bob'));
    await screenshot(page, '06-user-bob');
  });

  it('04 a fault injected on addAttendee fails the next SDK call (429 Throttling) and only that one', async () => {
    await page.goto(`${srv.baseUrl}/console/sandbox`);
    await page.selectOption('#fault-app', `dingtalk:${ACME.app.appKey}`);
    await page.fill('#fault-operation', 'addAttendee');
    await page.selectOption('#fault-kind', 'error:RATE_LIMITED');
    await page.fill('#fault-count', '1');
    await submit('#faults button[type=submit]');
    await page.waitForURL(/done=fault/);
    const armed = await page.locator('#armed-faults').innerText();
    assert.ok(armed.includes('addAttendee') && armed.includes('RATE_LIMITED') && armed.includes(ACME.app.appKey), armed);
    assert.ok((await visibleText(page)).includes('Fault armed.'));
    await screenshot(page, '07-sandbox-fault-armed');

    await expectDtError(dt.addAttendees(U.alice, eventId, [U.erin]), 429, 'Throttling');
    assert.equal((await dt.addAttendees(U.alice, eventId, [U.erin])).statusCode, 200);

    await page.reload();
    assert.ok((await visibleText(page)).includes('No armed faults.'));
    // Mint a user token for bob: shown once, with its expiry.
    await page.selectOption('#mint-app', `dingtalk:${ACME.app.appKey}`);
    await page.fill('#mint-user', 'bob');
    await submit('#mint button[type=submit]');
    const minted = await page.locator('#minted').innerText();
    assert.ok(minted.includes('Bob') && /expires \d{4}-\d\d-\d\dT/.test(minted), minted);
    assert.ok((await page.locator('#minted-token').innerText()).trim().length >= 20);
    await screenshot(page, '08-sandbox-after-fault-and-mint');
  });

  it('05 the API calls page lists the failed call with its status, and its detail shows the reply', async () => {
    await page.goto(`${srv.baseUrl}/console/api-calls`);
    const filter = 'form[action="/console/api-calls"] input[name=q]';
    await page.fill(filter, '/attendees');
    await page.press(filter, 'Enter');
    await page.waitForURL(/api-calls\?q=/);
    const failed = page.locator('#api-calls tbody tr', { hasText: '/attendees' }).filter({ has: page.locator('td.num', { hasText: /^429$/ }) });
    assert.equal(await failed.count(), 1, await visibleText(page));
    const row = await failed.innerText();
    assert.ok(row.includes('POST') && row.includes(ACME.app.appKey), row);
    await screenshot(page, '09-api-calls');

    await failed.locator('td.mono a').first().click();
    await page.waitForURL(/\/console\/api-calls\/[0-9A-F]+$/);
    const detail = await visibleText(page);
    // The reply as sent, masked by the API log (its `code` field is masked too: see api-log.ts).
    assert.ok(detail.includes('Status 429') && detail.includes('injected fault #'), detail);
    await screenshot(page, '10-api-call-detail');
    // The call after it went through, with its request body recorded.
    await page.goBack();
    const ok = page.locator('#api-calls tbody tr', { hasText: '/attendees' }).filter({ has: page.locator('td.num', { hasText: /^200$/ }) });
    assert.ok((await ok.count()) >= 1);
    await ok.first().locator('td.mono a').first().click();
    await page.waitForURL(/\/console\/api-calls\/[0-9A-F]+$/);
    assert.ok((await page.locator('#request-body').innerText()).includes(U.erin));
  });

  it('06 the deliveries page lists the url_verification delivery; its detail hides the Verification Token', async () => {
    await page.goto(`${srv.baseUrl}/console/deliveries`);
    const text = await visibleText(page);
    assert.ok(text.includes('Webhook deliveries'));
    assert.ok(text.includes('url_verification') && text.includes('delivered'), text);
    await screenshot(page, '11-deliveries');

    await page.locator('table a', { hasText: 'url_verification' }).first().click();
    await page.waitForURL(/\/console\/deliveries\/\d+$/);
    const detail = await visibleText(page);
    assert.ok(detail.includes('challenge'), detail);
    assert.ok(!detail.includes(HOOK_APP.verificationToken));
    assert.ok(receiver.bodies.some((b) => b.includes(HOOK_APP.verificationToken)), 'the receiver did get the token');
    await screenshot(page, '12-delivery-detail');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Plain HTTP

const COOKIE = { cookie: `kalends_admin=${ADMIN_TOKEN}` };

async function get(path: string, headers: Record<string, string> = COOKIE): Promise<{ status: number; text: string; location: string | null; setCookie: string | null }> {
  const res = await fetch(srv.baseUrl + path, { headers, redirect: 'manual' });
  return { status: res.status, text: await res.text(), location: res.headers.get('location'), setCookie: res.headers.get('set-cookie') };
}

async function post(path: string, form: Record<string, string>, headers: Record<string, string> = COOKIE) {
  const res = await fetch(srv.baseUrl + path, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location'), setCookie: res.headers.get('set-cookie') };
}

describe('console over plain HTTP', () => {
  it('every page needs the admin token: GETs go to the sign-in page, POSTs get 401', async () => {
    for (const path of ['/console', '/console/sandbox', '/console/deliveries', '/console/api-calls', '/console/search?q=Bob', '/console/nope']) {
      const res = await get(path, {});
      assert.equal(res.status, 302, path);
      assert.equal(res.location, '/console/login', path);
    }
    const posted = await post('/console/sandbox/clock', { mode: 'reset' }, {});
    assert.equal(posted.status, 401);
    const login = await get('/console/login', {});
    assert.equal(login.status, 200);
    assert.ok(login.text.includes('name="token"'));
  });

  it('a wrong token (cookie, link or form) is refused; the right one signs in', async () => {
    assert.equal((await get('/console', { cookie: 'kalends_admin=wrong-token-wrong-token-wrong' })).location, '/console/login');
    assert.equal((await get('/console', { cookie: `kalends_admin=${ADMIN_TOKEN}x` })).status, 302);
    const badLink = await get('/console?token=nope', {});
    assert.equal(badLink.status, 302);
    assert.match(badLink.location ?? '', /^\/console\/login/);
    assert.equal(badLink.setCookie, null);
    const badForm = await post('/console/login', { token: 'nope' }, {});
    assert.equal(badForm.status, 401);
    assert.ok(badForm.text.includes('Wrong token'));

    const link = await get(`/console?token=${ADMIN_TOKEN}`, {});
    assert.equal(link.status, 302);
    assert.equal(link.location, '/console');
    assert.match(link.setCookie ?? '', /kalends_admin=.*HttpOnly.*SameSite=Strict/i);
    const form = await post('/console/login', { token: ADMIN_TOKEN }, {});
    assert.equal(form.status, 303);
    assert.match(form.setCookie ?? '', /HttpOnly/i);
    assert.equal((await get('/console', { authorization: `Bearer ${ADMIN_TOKEN}` })).status, 200);
    assert.equal((await get('/console')).status, 200);
  });

  it('a form posted from another origin is refused', async () => {
    const res = await post('/console/sandbox/clock', { mode: 'advance', minutes: '60' }, { ...COOKIE, origin: 'http://evil.example' });
    assert.equal(res.status, 403);
    const sandbox = await get('/console/sandbox');
    assert.ok(sandbox.text.includes('id="clock-offset">0 (0 ms)'), 'the clock did not move');
  });

  it('no page shows an app secret, the admin token, an access token or a callback secret', async () => {
    const pages = ['/console', '/console/sandbox', '/console/deliveries', '/console/api-calls', '/console/search?q=e', '/console/search?q=2022-09-07'];
    const overview = (await get('/console')).text;
    for (const m of overview.matchAll(/href="(\/console\/users\/[^"]+)"/g)) pages.push(m[1]!);
    const search = (await get(`/console/search?q=${encodeURIComponent(eventId)}`)).text;
    for (const m of search.matchAll(/href="(\/console\/(?:events|calendars)\/[^"]+)"/g)) pages.push(m[1]!);
    for (const m of (await get('/console/deliveries')).text.matchAll(/href="(\/console\/deliveries\/\d+)"/g)) pages.push(m[1]!);
    for (const m of (await get('/console/api-calls')).text.matchAll(/href="(\/console\/api-calls\/[^"?]+)"/g)) pages.push(m[1]!);
    const secrets = [...appSecrets, ADMIN_TOKEN, accessToken, HOOK_APP.verificationToken];
    const seen = new Set<string>();
    for (const path of pages) {
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await get(path);
      assert.equal(res.status, 200, `${path}: ${res.text.slice(0, 300)}`);
      for (const secret of secrets) assert.ok(!res.text.includes(secret), `${path} shows a secret (${secret.slice(0, 6)}…)`);
    }
    assert.ok(seen.size >= 20, `checked ${seen.size} pages`);
    assert.ok([...seen].some((p) => p.startsWith('/console/events/')) && [...seen].some((p) => p.startsWith('/console/deliveries/')));
  });

  it('search finds users by openId and name part, events by Feishu id, calendars by DingTalk id, events by day', async () => {
    const byOpenId = (await get('/console/search?q=ou_carol')).text;
    assert.ok(byOpenId.includes('>Carol</a>'), 'Carol by openId');
    assert.ok((await get('/console/search?q=AROL')).text.includes('>Carol</a>'), 'Carol by a part of her name');
    const event = (await get(`/console/search?q=${encodeURIComponent(eventId)}`)).text;
    const coreId = /The query decodes to ([0-9a-f-]{36})/.exec(event)?.[1];
    assert.ok(coreId, 'the DingTalk id decodes to the core id');
    assert.ok((await get(`/console/search?q=${coreId}_0`)).text.includes('>New Event</a>'), 'by Feishu event id');
    const eventPage = (await get(`/console/events/${coreId}`)).text;
    const calendarId = /href="\/console\/calendars\/([0-9a-f-]{36})"/.exec(eventPage)?.[1];
    assert.ok(calendarId);
    const calendarPage = (await get(`/console/calendars/${calendarId}`)).text;
    const dingtalkCalendarId = /DingTalk id<\/dt><dd class="mono">([^<]+)</.exec(calendarPage)?.[1];
    assert.ok(dingtalkCalendarId, calendarPage.slice(0, 300));
    assert.ok((await get(`/console/search?q=${encodeURIComponent(dingtalkCalendarId)}`)).text.includes(`href="/console/calendars/${calendarId}"`));
    assert.ok((await get('/console/search?q=2022-09-07')).text.includes('>New Event</a>'), 'by day');
    assert.ok(!(await get('/console/search?q=2022-09-09')).text.includes('>New Event</a>'), 'not on another day');
    assert.equal((await get('/console/events/00000000-0000-0000-0000-000000000000')).status, 404);
  });

  it('a bad directory on the load form is a 400 page with the reason; a good one loads', async () => {
    const notJson = await post('/console/sandbox/directory', { directory: '{"tenants": [' });
    assert.equal(notJson.status, 400);
    assert.ok(notJson.text.includes('Not valid JSON'), notJson.text.slice(0, 500));
    const badShape = await post('/console/sandbox/directory', { directory: '{"tenants": [{"id": "x", "nmae": "X"}]}' });
    assert.equal(badShape.status, 400);
    assert.ok(badShape.text.includes('unknown key &quot;nmae&quot;') || badShape.text.includes('unknown key "nmae"'), badShape.text.slice(0, 800));
    assert.ok(badShape.text.includes('&quot;nmae&quot;: &quot;X&quot;'), 'the text sent stays in the form');
    const good = await post('/console/sandbox/directory', {
      directory: JSON.stringify({ tenants: [{ id: 'initech', name: 'Initech', users: [{ unionId: 'u_peter', name: 'Peter <script>alert(1)</script>' }] }] }),
    });
    assert.equal(good.status, 200);
    assert.ok(good.text.includes('Loaded 1 tenant(s)'));
    const overview = (await get('/console')).text;
    assert.ok(overview.includes('Tenant Initech'));
    assert.ok(overview.includes('Peter &lt;script>') && !overview.includes('<script>alert'), 'names are escaped');
  });

  it('refused sandbox values come back as 400 pages with the core message; the clock moves and resets', async () => {
    const unknownApp = await post('/console/sandbox/faults', { app: 'dingtalk:no_such_app', operation: '*', kind: 'http:503', count: '1' });
    assert.equal(unknownApp.status, 400);
    assert.ok(unknownApp.text.includes('no dingtalk app no_such_app'));
    const badUser = await post('/console/sandbox/mint', { app: `dingtalk:${ACME.app.appKey}`, user: 'zed' });
    assert.equal(badUser.status, 400);
    assert.ok(badUser.text.includes('no active user zed'));
    assert.ok(!/at \S+\.ts:\d+/.test(badUser.text), 'no stack trace');

    const armed = await post('/console/sandbox/faults', { app: `dingtalk:${ACME.readApp.appKey}`, operation: '*', kind: 'http:503', latencyMs: '5', count: '3' });
    assert.equal(armed.status, 303);
    const clear = /action="(\/console\/sandbox\/faults\/\d+\/clear)"/.exec((await get('/console/sandbox')).text)?.[1];
    assert.ok(clear, 'the armed fault has a clear button');
    const cleared = await post(clear, {});
    assert.equal(cleared.status, 303);
    const after = (await get(cleared.location ?? '/console/sandbox')).text;
    assert.ok(after.includes('Fault cleared.') && after.includes('No armed faults.'));
    assert.equal((await post(clear, {})).status, 400, 'clearing it again: no such fault');
    assert.equal((await get('/console/deliveries/99999999999')).status, 404);

    const advanced = await post('/console/sandbox/clock', { mode: 'advance', minutes: '90' });
    assert.equal(advanced.status, 303);
    assert.ok((await get('/console/sandbox')).text.includes('+1h 30m'));
    assert.equal((await post('/console/sandbox/clock', { mode: 'reset' })).status, 303);
    assert.ok((await get('/console/sandbox')).text.includes('id="clock-offset">0 (0 ms)'));
  });
});
