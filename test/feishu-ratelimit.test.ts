// Feishu rate limits, on by default (this file's server is started without --rate-limit): per app and method
// 50/s (429 code 190004 "method rate limited"), per app 100/s (429 code 190005 "app rate limited").
// No timing assertions: bursts are fired concurrently and only the mix of outcomes is checked.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildFeishuFixture } from './helpers/feishu-directory.ts';
import { SEED_ERRORS, createEvent, fsClient, lark, primaryCalendarId, settle, timedEvent } from './helpers/feishu.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const fx = buildFeishuFixture({ tag: 'rl' });

let srv: KalendsServer;
let client: lark.Client;
let other: lark.Client;
let botCal = '';
let E = '';

before(async () => {
  srv = await startServer({ directory: fx.directory });
  client = fsClient(srv.baseUrl, fx.acme.app);
  other = fsClient(srv.baseUrl, fx.acme.rwApp);
  botCal = await primaryCalendarId(client);
  E = (await createEvent(client, botCal, timedEvent('Rate limited'))).event_id;
  await primaryCalendarId(other); // fetch (and cache) the second app's token now
  await pause();
});

after(async () => {
  await srv?.cleanup();
});

/** Lets the per-second windows of earlier calls pass (not an assertion). */
const pause = () => new Promise((r) => setTimeout(r, 1500));

interface Tally {
  ok: number;
  byCode: Record<string, number>;
  bad: string[];
}

async function fire(calls: Array<() => Promise<unknown>>): Promise<Tally> {
  const results = await Promise.all(calls.map((c) => settle(c())));
  const t: Tally = { ok: 0, byCode: {}, bad: [] };
  for (const r of results) {
    if (r.ok) {
      if ((r.value as any)?.code === 0) t.ok++;
      else t.bad.push(`2xx with ${JSON.stringify(r.value).slice(0, 200)}`);
      continue;
    }
    const res = r.error?.response;
    if (!res) {
      t.bad.push(`no response: ${r.error?.message}`);
      continue;
    }
    const code = res.data?.code;
    const seed = SEED_ERRORS[code];
    if (res.status !== 429 || !seed || seed.status !== 429) {
      t.bad.push(`HTTP ${res.status} ${JSON.stringify(res.data).slice(0, 200)}`);
      continue;
    }
    if (!String(res.data.msg).startsWith(seed.msg)) t.bad.push(`code ${code} with msg ${JSON.stringify(res.data.msg)}, want ${JSON.stringify(seed.msg)}`);
    const logId = res.data.error?.log_id;
    if (typeof logId !== 'string' || logId.length === 0) t.bad.push(`code ${code} without error.log_id`);
    else if (res.headers?.['x-tt-logid'] !== logId) t.bad.push(`code ${code}: X-Tt-Logid header does not match error.log_id`);
    t.byCode[code] = (t.byCode[code] ?? 0) + 1;
  }
  return t;
}

describe('rate limits (defaults)', () => {
  it('120 concurrent calendar.get with one token: some 429 190004, all others 200; another app is unaffected', async () => {
    const t = await fire(Array.from({ length: 120 }, () => () => client.calendar.v4.calendar.get({ path: { calendar_id: botCal } })));
    assert.deepEqual(t.bad, [], 'every reply is a success or a well-formed 429');
    assert.deepEqual(Object.keys(t.byCode), ['190004'], `only method limits expected, got ${JSON.stringify(t.byCode)}`);
    assert.ok((t.byCode['190004'] ?? 0) > 0, 'some calls are limited');
    assert.ok(t.ok >= 50, `at least the first 50 pass (got ${t.ok})`);
    assert.equal(t.ok + (t.byCode['190004'] ?? 0), 120);

    const o = await fire(Array.from({ length: 10 }, () => () => other.calendar.v4.calendar.primary({})));
    assert.deepEqual(o.bad, []);
    assert.equal(o.ok, 10, `limits are per app: ${JSON.stringify(o.byCode)}`);
  });

  it('~360 concurrent calls spread over 8 methods (45 each): some 429 190005, no 190004, the rest 200', async () => {
    await pause();
    const p = { calendar_id: botCal };
    const methods: Array<() => Promise<unknown>> = [
      () => client.calendar.v4.calendar.get({ path: p }),
      () => client.calendar.v4.calendar.list({}),
      () => client.calendar.v4.calendar.primary({}),
      () => client.calendar.v4.calendar.mget({ data: { calendar_ids: [botCal] } }),
      () => client.calendar.v4.calendar.search({ data: { query: 'rate' } }),
      () => client.calendar.v4.calendarEvent.list({ path: p }),
      () => client.calendar.v4.calendarEvent.get({ path: { calendar_id: botCal, event_id: E } }),
      () => client.calendar.v4.calendarEventAttendee.list({ path: { calendar_id: botCal, event_id: E } }),
    ];
    const calls: Array<() => Promise<unknown>> = [];
    for (let i = 0; i < 45; i++) calls.push(...methods);
    const t = await fire(calls);
    assert.deepEqual(t.bad, [], 'every reply is a success or a well-formed 429');
    assert.equal(t.byCode['190004'] ?? 0, 0, `no method is over its limit: ${JSON.stringify(t.byCode)}`);
    assert.ok((t.byCode['190005'] ?? 0) > 0, `some calls hit the app limit: ${JSON.stringify(t.byCode)}`);
    assert.ok(t.ok >= 100, `at least the first 100 pass (got ${t.ok})`);
  });

  it('after the window, calls succeed again', async () => {
    await pause();
    const t = await fire([() => client.calendar.v4.calendar.get({ path: { calendar_id: botCal } })]);
    assert.deepEqual(t.bad, []);
    assert.equal(t.ok, 1, JSON.stringify(t.byCode));
  });
});
