// GET /metrics of a running server: who may scrape it, a whole exposition that a Prometheus text
// parser reads line for line, and counters that move by exactly what a known sequence of calls did.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import parsePrometheusTextFormat, { type Family } from 'parse-prometheus-text-format';
import { ACME, U, buildDirectory } from './helpers/directory.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const ADMIN_TOKEN = 'metrics-test-admin-token-0123456789';
const HOUR_S = 3600;

let srv: KalendsServer;
let dingtalkToken: string;

before(async () => {
  // --dispatch off: what the calls queue stays in the outbox, so the backlog gauges are exact.
  srv = await startServer({ directory: buildDirectory({ bulk: false }), extraArgs: ['--admin-token', ADMIN_TOKEN, '--dispatch', 'off'] });
  const res = await fetch(`${srv.baseUrl}/v1.0/oauth2/accessToken`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ACME.app),
  });
  dingtalkToken = ((await res.json()) as { accessToken: string }).accessToken;
});

after(async () => {
  await srv?.cleanup();
});

async function scrapeText(base = srv.baseUrl, token: string | null = ADMIN_TOKEN): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

async function scrape(): Promise<Family[]> {
  const res = await scrapeText();
  assert.equal(res.status, 200, res.text);
  return parsePrometheusTextFormat(res.text);
}

/** The value of one sample (0 when the series does not exist yet). */
function value(families: Family[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name);
  const sample = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  if (!sample) return 0;
  return Number(sample.value ?? sample.count);
}

/** A histogram's `_count` for one label set, read from the exposition (0 when absent). */
function histogramCount(text: string, name: string, labels: Record<string, string>): number {
  for (const m of text.matchAll(new RegExp(`^${name}_count\\{(.*)\\} (\\S+)$`, 'gm'))) {
    const got = Object.fromEntries([...m[1]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v) && Object.keys(got).length === Object.keys(labels).length) return Number(m[2]);
  }
  return 0;
}

async function dingtalk(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${srv.baseUrl}/v1.0${path}`, {
    method,
    headers: { 'x-acs-dingtalk-access-token': dingtalkToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res;
}

describe('GET /metrics', () => {
  it('needs the admin token, answering in the admin format', async () => {
    const none = await scrapeText(srv.baseUrl, null);
    assert.equal(none.status, 401);
    assert.equal(JSON.parse(none.text).code, 'ACCESS_TOKEN_INVALID');
    assert.equal((await scrapeText(srv.baseUrl, 'not-the-admin-token-at-all')).status, 401);
    const ok = await scrapeText();
    assert.equal(ok.status, 200);
    assert.match(ok.type ?? '', /^text\/plain; version=0\.0\.4/);
  });

  it('is a whole Prometheus exposition: every sample line is read by the parser', async () => {
    const { text } = await scrapeText();
    const families = parsePrometheusTextFormat(text);
    // Every sample line belongs to a family the parser read, with the type its `# TYPE` line gave.
    const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!.toUpperCase()]));
    assert.deepEqual(new Map(families.map((f) => [f.name, f.type])), types, 'one parsed family per # TYPE line');
    for (const line of text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))) {
      const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? '';
      const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
      assert.ok(types.has(family), `sample ${line} belongs to a declared family`);
      assert.match(line, /^\S+(\{.*\})? -?(\d+(\.\d+)?(e[+-]?\d+)?|[+-]Inf|NaN)$/i, `sample line ${line}`);
    }
    // The parser keeps a histogram's labels apart only without labels (prom2json's flattening); the
    // counters and gauges it reads whole.
    assert.ok(families.filter((f) => f.type === 'COUNTER' || f.type === 'GAUGE').every((f) => f.metrics.every((m) => /^nan$/i.test(m.value ?? '') || !Number.isNaN(Number(m.value)))));
    const names = new Set(families.map((f) => f.name));
    for (const name of [
      'kalends_http_requests_total', 'kalends_http_request_duration_seconds', 'kalends_outbox_pending',
      'kalends_outbox_oldest_pending_age_seconds', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) assert.ok(names.has(name), `${name} is exposed`);
    for (const name of ['kalends_deliveries', 'kalends_delivery_attempts', 'kalends_idempotency_requests_total']) {
      assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), `${name} is declared`);
    }
    assert.ok(value(families, 'process_resident_memory_bytes') > 0);
    if (srv.databaseUrl) {
      const used = value(families, 'kalends_pg_pool_connections', { state: 'in_use' }) + value(families, 'kalends_pg_pool_connections', { state: 'idle' });
      assert.ok(used >= 1, 'the pool has opened a connection');
      // Queries waiting for a connection at the moment of the scrape (the scrape's own among them).
      assert.ok(Number.isInteger(value(families, 'kalends_pg_pool_waiting')) && value(families, 'kalends_pg_pool_waiting') >= 0);
    } else {
      assert.ok(names.has('kalends_sqlite_wal_bytes') && names.has('kalends_sqlite_checkpoints_total'));
    }
  });

  it('counts a known sequence of calls exactly, by dialect, route template, method and status', async () => {
    const beforeText = (await scrapeText()).text;
    const before = parsePrometheusTextFormat(beforeText);
    const calendars = { dialect: 'dingtalk', route: '/v1.0/calendar/users/:userId/calendars', method: 'GET', status: '200' };
    const getEvent = { dialect: 'dingtalk', route: '/v1.0/calendar/users/:userId/calendars/:calendarId/events/:eventId', method: 'GET', status: '404' };
    const create = { dialect: 'dingtalk', route: '/v1.0/calendar/users/:userId/calendars/:calendarId/events', method: 'POST', status: '200' };
    const unmatched = { dialect: 'dingtalk', route: 'unmatched', method: 'GET', status: '404' };

    for (let i = 0; i < 3; i++) assert.equal((await dingtalk('GET', `/calendar/users/${U.alice}/calendars`)).status, 200);
    for (let i = 0; i < 2; i++) assert.equal((await dingtalk('GET', `/calendar/users/${U.alice}/calendars/primary/events/nope${i}`)).status, 404);
    const event = {
      summary: 'Counted', attendees: [{ id: U.bob }],
      start: { dateTime: '2031-05-01T10:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2031-05-01T11:00:00+08:00', timeZone: 'Asia/Shanghai' },
    };
    for (let i = 0; i < 2; i++) assert.equal((await dingtalk('POST', `/calendar/users/${U.alice}/calendars/primary/events`, event, { 'x-client-token': 'metrics-once' })).status, 200);
    assert.equal((await dingtalk('GET', '/no/such/route')).status, 404);

    const afterText = (await scrapeText()).text;
    const after = parsePrometheusTextFormat(afterText);
    const delta = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    assert.equal(delta('kalends_http_requests_total', calendars), 3);
    assert.equal(delta('kalends_http_requests_total', getEvent), 2);
    assert.equal(delta('kalends_http_requests_total', create), 2);
    assert.equal(delta('kalends_http_requests_total', unmatched), 1);
    const { status: _s, ...timed } = calendars;
    assert.equal(histogramCount(afterText, 'kalends_http_request_duration_seconds', timed) - histogramCount(beforeText, 'kalends_http_request_duration_seconds', timed), 3, 'one latency observation per request');
    assert.equal(delta('kalends_idempotency_requests_total', { dialect: 'dingtalk', outcome: 'executed' }), 1);
    assert.equal(delta('kalends_idempotency_requests_total', { dialect: 'dingtalk', outcome: 'replayed' }), 1, 'the repeated x-client-token is a cache hit');
    // The event was written once: it queued its notices once, and nothing delivers them (--dispatch off).
    assert.ok(value(after, 'kalends_outbox_pending') > value(before, 'kalends_outbox_pending'));
    if (!srv.databaseUrl) {
      // The background checkpointer (every 100 ms) copies the writes back into the database file.
      let checkpoints = 0;
      for (let i = 0; i < 50 && checkpoints === 0; i++) {
        checkpoints = value(await scrape(), 'kalends_sqlite_checkpoints_total');
        if (checkpoints === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(checkpoints > 0, 'checkpoints are counted');
      assert.ok(value(await scrape(), 'kalends_sqlite_wal_bytes') > 0, 'the WAL file has a size');
    }
  });

  it('gives the age of the oldest undelivered message by the server clock', async () => {
    const res = await fetch(`${srv.baseUrl}/admin/v1/clock`, {
      method: 'PUT', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: HOUR_S * 1000 }),
    });
    assert.equal(res.status, 200);
    const age = value(await scrape(), 'kalends_outbox_oldest_pending_age_seconds');
    assert.ok(age >= HOUR_S && age < HOUR_S + 120, `age ${age} s after the clock moved an hour`);
  });

  it('answers loopback clients without the token with --metrics-open on', async () => {
    const open = await startServer({ directory: buildDirectory({ bulk: false }), extraArgs: ['--admin-token', ADMIN_TOKEN, '--metrics-open', 'on'] });
    try {
      const res = await scrapeText(open.baseUrl, null);
      assert.equal(res.status, 200);
      assert.ok(parsePrometheusTextFormat(res.text).some((f) => f.name === 'kalends_http_requests_total'));
      assert.equal((await fetch(`${open.baseUrl}/admin/v1/clock`)).status, 401, 'the admin API stays closed');
    } finally {
      await open.cleanup();
    }
  });
});
