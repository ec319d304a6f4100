// Every route fuzzed (test/fuzz/): requests generated from each route's own schemas and
// mutations of them, sent to a running server. Never a 5xx, always the dialect's error format,
// and the store unchanged by every refused request. A bounded run here (fixed seed and count);
// `npm run fuzz -- --runs N` runs longer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fuzzRoutes, operationsOf } from './fuzz/fuzz-routes.ts';
import { startFuzzTarget, type FuzzTarget } from './fuzz/setup.ts';

const RUNS = 12;
const SEED = 20;

let target: FuzzTarget;

before(async () => {
  target = await startFuzzTarget();
});

after(async () => {
  await target?.close();
});

describe('every route fuzzed', () => {
  it(`answers ${RUNS} generated and mutated requests per route within the rules (seed ${SEED})`, async (t) => {
    const reports = await fuzzRoutes({ ...target, baseUrl: target.server.baseUrl, runs: RUNS, seed: SEED });
    const operations = await operationsOf(target.server.baseUrl);
    assert.equal(reports.length, operations.length, 'every documented route was fuzzed');
    const tried = reports.reduce((n, r) => n + r.tried, 0);
    t.diagnostic(`${reports.length} routes, ${tried} requests, ${reports.reduce((n, r) => n + r.refused, 0)} refused`);
    assert.deepEqual(reports.filter((r) => r.failure).map((r) => `${r.operationId}: ${r.failure}`), []);
    for (const r of reports) assert.equal(r.tried, RUNS, `${r.operationId} was tried ${RUNS} times`);
  });

  it('answers a request line over 16 KiB (Node refuses it before routing) in each dialect\'s format (the OAuth token endpoint\'s own)', async () => {
    const long = 'x'.repeat(20_000);
    const dt = await fetch(`${target.server.baseUrl}/v1.0/calendar/users/${long}/calendars`);
    assert.equal(dt.status, 431);
    const dtBody = (await dt.json()) as Record<string, unknown>;
    assert.equal(dtBody.code, 'invalidParameter');
    assert.equal(typeof dtBody.requestid, 'string');
    const fs = await fetch(`${target.server.baseUrl}/open-apis/calendar/v4/calendars/${long}`);
    assert.equal(fs.status, 431);
    const fsBody = (await fs.json()) as { code: number; msg: string; error: { log_id: string } };
    assert.equal(fsBody.code, 190002);
    assert.equal(fs.headers.get('x-tt-logid'), fsBody.error.log_id);
    const token = await fetch(`${target.server.baseUrl}/open-apis/authen/v2/oauth/token?page_token=${long}`, { method: 'POST' });
    assert.equal(token.status, 431);
    assert.deepEqual(await token.json(), { code: 20001, error: 'invalid_request', error_description: 'the request line and headers exceed 16 KiB' });
    const admin = await fetch(`${target.server.baseUrl}/admin/v1/inbox?user=${long}`);
    assert.equal(admin.status, 431);
    assert.deepEqual(Object.keys((await admin.json()) as object).sort(), ['code', 'message']);
  });
});
