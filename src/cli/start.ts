import { readFileSync } from 'node:fs';
import { buildApp } from '../app.ts';
import type { Config } from '../config/schema.ts';
import { systemClock } from '../core/clock.ts';
import { demoDirectory, type DemoCredentials } from '../core/directory/demo-directory.ts';
import { parseDirectory } from '../core/directory/directory-file.ts';
import { loadDirectory } from '../core/directory/load-directory.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { countTenants } from '../store/repositories/directory.ts';
import { openSqliteStore } from '../store/sqlite.ts';

/**
 * `kalends start`: opens the store, applies pending migrations, loads `--directory` (or creates
 * the demo tenant on an empty store), listens, and prints `Kalends listening on http://HOST:PORT`.
 * SIGINT/SIGTERM stop accepting connections, let in-flight requests finish, close the store and
 * exit 0.
 */
export async function start(config: Config): Promise<void> {
  const store = openSqliteStore(config.data);
  await migrateToLatest(store);
  const now = systemClock.now();
  let demo: DemoCredentials | undefined;
  if (config.directory) {
    const file = parseDirectory(JSON.parse(readFileSync(config.directory, 'utf8')) as unknown);
    await loadDirectory(store, file, now);
  } else if ((await countTenants(store.db)) === 0) {
    const { directory, credentials } = demoDirectory();
    await loadDirectory(store, directory, now);
    demo = credentials;
  }
  const app = await buildApp(config, { store, clock: systemClock });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  if (demo) printDemo(demo, `${host}:${port}`);
  process.stdout.write(`Kalends listening on http://${host}:${port}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
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

`);
}
