// dev only (not committed): statement times of a request on an existing (scaled) SQLite store
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { buildApp } from '../src/app.ts';
import { openSandbox } from '../src/cli/sandbox.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import { DINGTALK_APP, unionId } from './lib/directory.ts';
import { calendarBodies, MONTH } from './scenarios/scheduling.ts';
const [dir, userNo] = process.argv.slice(2);
const sqlTimes = new Map<string, { calls: number; us: number }>();
let timing = false;
const proto = Object.getPrototypeOf(new SqliteDatabase(':memory:').prepare('select 1')) as any;
for (const method of ['run', 'all', 'get']) {
  const original = proto[method];
  proto[method] = function (this: { source: string }, ...args: unknown[]) {
    if (!timing) return original.apply(this, args);
    const start = process.hrtime.bigint();
    try { return original.apply(this, args); } finally {
      const e = sqlTimes.get(this.source) ?? { calls: 0, us: 0 }; e.calls++; e.us += Number(process.hrtime.bigint() - start) / 1e3; sqlTimes.set(this.source, e);
    }
  };
}
const store = openSqliteStore(path.join(dir!, 'data'));
const { sandbox } = await openSandbox(store, { apiLog: 200 }, null);
const app = await buildApp({ logLevel: 'silent', rateLimit: 'off' }, { store, clock: sandbox.clock, sandbox });
await app.ready();
const call = async (method: any, url: string, body?: string, headers: Record<string, string> = {}) => {
  const res = await app.inject({ method, url, payload: body, headers: { 'content-type': 'application/json', ...headers } });
  if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res;
};
const token = (await call('POST', '/v1.0/oauth2/accessToken', JSON.stringify(DINGTALK_APP))).json().accessToken;
const auth = { 'x-acs-dingtalk-access-token': token };
const user = unionId(Number(userNo ?? 11000));
const view = `/v1.0/calendar/users/${user}/calendars/primary/eventsview?timeMin=${encodeURIComponent(MONTH.timeMin)}&timeMax=${encodeURIComponent(MONTH.timeMax)}&maxResults=100`;
if ((await call('GET', view, undefined, auth)).json().events.length === 0) {
  let n = 0;
  for (const b of calendarBodies(200, 500)) await call('POST', `/v1.0/calendar/users/${user}/calendars/primary/events`, b, { ...auth, 'x-client-token': `dev-${Date.now()}-${n++}` });
}
for (let i = 0; i < 20; i++) await call('GET', view, undefined, auth);
timing = true;
const count = 50; const t0 = performance.now();
for (let i = 0; i < count; i++) await call('GET', view, undefined, auth);
console.log(`${((performance.now() - t0) / count).toFixed(2)} ms/req`);
for (const [text, t] of [...sqlTimes].sort((a, b) => b[1].us - a[1].us).slice(0, 8)) console.log(`  ${(t.us / count).toFixed(0).padStart(7)} µs/req ${(t.calls / count).toFixed(2)}×  ${text.slice(0, 400)}`);
await app.close(); await store.close();
