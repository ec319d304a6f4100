import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { buildApp, localPushesOf } from '../app.ts';
import type { Config } from '../config/schema.ts';
import { systemClock } from '../core/clock.ts';
import { demoDirectory, type DemoCredentials } from '../core/directory/demo-directory.ts';
import { parseDirectory } from '../core/directory/directory-file.ts';
import { loadDirectory } from '../core/directory/load-directory.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { openStore } from '../store/open-store.ts';
import { countTenants } from '../store/repositories/directory.ts';
import { startDispatcher } from '../workers/dispatcher.ts';
import { openSandbox, resolveAdminToken } from './sandbox.ts';

/**
 * `kalends start`: prepares the store (pending migrations unless `--auto-migrate off`, then
 * `--directory`, or the demo tenant on an empty store), then serves — in this process, or in
 * `--workers` processes sharing the port (node:cluster) — and prints
 * `Kalends listening on http://HOST:PORT` once every process listens.
 * SIGINT/SIGTERM stop accepting connections, let in-flight requests finish (for at most
 * SHUTDOWN_GRACE_MS), close the store and exit 0.
 */
export async function start(config: Config): Promise<void> {
  if (cluster.isWorker) return serveWorker(config);
  const adminToken = resolveAdminToken(config);
  const demo = await prepareStore(config);
  if (config.workers === 1) {
    const stop = await serve(config, adminToken);
    announce(config, stop.port, demo, adminToken);
    onSignals(async () => {
      await closeWithin(stop.close, SHUTDOWN_GRACE_MS);
      process.exit(0);
    });
    return;
  }
  await superviseWorkers(config, demo, adminToken);
}

/** Migrations and directory: done once, by the first process, before any worker serves. */
async function prepareStore(config: Config): Promise<DemoCredentials | undefined> {
  const store = await openStore(config);
  try {
    if (config.autoMigrate === 'on') await migrateToLatest(store);
    const now = systemClock.now();
    if (config.directory) {
      await loadDirectory(store, parseDirectory(JSON.parse(readFileSync(config.directory, 'utf8')) as unknown), now);
      return undefined;
    }
    if ((await countTenants(store.db)) > 0) return undefined;
    const { directory, credentials } = demoDirectory();
    await loadDirectory(store, directory, now);
    return credentials;
  } finally {
    await store.close();
  }
}

/**
 * Opens the store and the sandbox, listens, and runs event delivery: the stream sender, and the
 * dispatcher unless `--dispatch off`. On SQLite they run in a thread of their own
 * (`DeliveryThread`): there the API's event loop is what limits a server. On PostgreSQL the
 * database is, and a thread with a pool of its own cost the API 5-18% of its req/s and 75 MB
 * (bench/README.md, issue 19, 2026-12-08): they run on the serving thread.
 * @returns the port and a close that drains requests, stops delivery, then the store.
 */
async function serve(config: Config, adminToken: string | null): Promise<{ port: number; close(): Promise<void> }> {
  const store = await openStore(config);
  const { sandbox, stop: stopSandbox } = await openSandbox(store, config, adminToken);
  const threaded = store.dialect === 'sqlite';
  const deliveryThread = threaded ? { data: config.data, dispatch: config.dispatch === 'on' } : undefined;
  const app = await buildApp({ ...config, deliveryThread }, { store, clock: sandbox.clock, sandbox });
  const dispatcher = !threaded && config.dispatch === 'on'
    ? startDispatcher(store, sandbox.clock, config, (m) => app.log.error(m), localPushesOf(app)) : undefined;
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    port,
    close: async () => {
      await app.close();
      await dispatcher?.stop();
      stopSandbox();
      await store.close();
    },
  };
}

async function serveWorker(config: Config): Promise<void> {
  // The primary made the admin token (or found the console open) and passed it in the environment.
  const server = await serve(config, config.consoleOpen === 'on' ? null : config.adminToken ?? null);
  process.send?.({ kalends: 'listening', port: server.port });
  onSignals(async () => {
    await closeWithin(server.close, SHUTDOWN_GRACE_MS);
    process.exit(0);
  });
}

/**
 * How long a signal waits for the requests in flight, the dispatcher and the store (ms). A
 * request that has not finished by then is abandoned: its transaction never commits, so it was
 * never acknowledged, and nothing acknowledged is lost.
 */
const SHUTDOWN_GRACE_MS = 10_000;

/** Runs `close`, giving up (with a line on stderr) once `graceMs` have passed. */
async function closeWithin(close: () => Promise<void>, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), graceMs); });
  const outcome = await Promise.race([close().then(() => 'closed' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') process.stderr.write(`kalends: still closing after ${graceMs} ms (a request in flight did not finish); exiting\n`);
}

/** Forks the workers, announces once all listen, and on a signal stops them all before exiting 0. */
async function superviseWorkers(config: Config, demo: DemoCredentials | undefined, adminToken: string | null): Promise<void> {
  let listening = 0;
  let stopping = false;
  const env = adminToken ? { KALENDS_ADMIN_TOKEN: adminToken } : {};
  for (let i = 0; i < config.workers; i++) cluster.fork(env);
  cluster.on('message', (_worker, message: { kalends?: string; port?: number }) => {
    if (message.kalends === 'listening' && ++listening === config.workers) announce(config, message.port ?? config.port, demo, adminToken);
  });
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    process.stderr.write(`kalends: worker ${worker.process.pid} exited with ${code}; starting another\n`);
    cluster.fork(env);
  });
  onSignals(async () => {
    stopping = true;
    const exits = Object.values(cluster.workers ?? {}).map((w) => new Promise((resolve) => {
      w?.once('exit', resolve);
      w?.kill('SIGTERM');
    }));
    await Promise.all(exits);
    process.exit(0);
  });
}

/** Runs `stop` once, on the first SIGINT or SIGTERM. */
export function onSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    void stop();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

function announce(config: Config, port: number, demo: DemoCredentials | undefined, adminToken: string | null): void {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  if (demo) printDemo(demo, `${host}:${port}`);
  if (adminToken === null) process.stdout.write(`Console (open, no token): http://${host}:${port}/console\n`);
  else if (!config.adminToken) process.stdout.write(`Console: http://${host}:${port}/console?token=${adminToken}\nAdmin token (this run; set KALENDS_ADMIN_TOKEN to keep one): ${adminToken}\n`);
  else process.stdout.write(`Console: http://${host}:${port}/console (with the admin token you set)\n`);
  process.stdout.write(`Kalends listening on http://${host}:${port}\n`);
}

function printDemo(c: DemoCredentials, endpoint: string): void {
  process.stdout.write(`Created the demo tenant "demo" (users u_alice, u_bob, u_carol, u_dave, u_erin).
Its app secrets are shown this once; they are stored hashed.
  DingTalk app: appKey=${c.dingtalk.appKey} appSecret=${c.dingtalk.appSecret}
  Feishu app:   appId=${c.feishu.appId} appSecret=${c.feishu.appSecret}

Point the DingTalk SDK here:
  import OAuth, * as $OAuth from '@alicloud/dingtalk/oauth2_1_0';
  import Calendar from '@alicloud/dingtalk/calendar_1_0';
  import * as $OpenApi from '@alicloud/openapi-client';
  const config = new $OpenApi.Config({ protocol: 'http', endpoint: '${endpoint}' });
  const { body } = await new OAuth(config).getAccessToken(new $OAuth.GetAccessTokenRequest({ appKey: '${c.dingtalk.appKey}', appSecret: '${c.dingtalk.appSecret}' }));
  const calendar = new Calendar(config); // pass { xAcsDingtalkAccessToken: body.accessToken } as headers

Point the Feishu SDK here:
  const client = new lark.Client({ appId: '${c.feishu.appId}', appSecret: '${c.feishu.appSecret}', domain: 'http://${endpoint}' });

`);
}
