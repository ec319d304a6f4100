import { randomBytes } from 'node:crypto';
import { ConfigError } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { FaultBoard } from '../core/sandbox/faults.ts';
import { SandboxClock } from '../core/sandbox/sandbox-clock.ts';
import type { Sandbox } from '../http/deps.ts';
import { ApiLog } from '../http/plugins/api-log.ts';
import { isLoopbackName } from '../http/admin/admin-auth.ts';
import type { Store } from '../store/store.ts';

/** How often each process re-reads the shared sandbox state (clock offset, armed faults), ms. */
const REFRESH_MS = 1000;

/**
 * The admin token this deployment uses: the configured one, null when the console is open
 * (`--console-open on`, loopback only), else a new random one (printed at start).
 * @throws ConfigError for `--console-open on` with a host that is not a loopback address.
 */
export function resolveAdminToken(config: Pick<Config, 'adminToken' | 'consoleOpen' | 'host'>): string | null {
  if (config.consoleOpen === 'on') {
    if (!isLoopbackName(config.host)) throw new ConfigError(`--console-open on needs a loopback --host (127.0.0.1, ::1, localhost), not ${config.host}`);
    return null;
  }
  return config.adminToken ?? `kadm_${randomBytes(24).toString('base64url')}`;
}

/**
 * The sandbox of one server process, kept in step with the store every second.
 * @returns the sandbox and a stop for its refresh timer.
 */
export async function openSandbox(store: Store, config: Pick<Config, 'apiLog'>, adminToken: string | null): Promise<{ sandbox: Sandbox; stop(): void }> {
  const clock = new SandboxClock();
  const faults = new FaultBoard();
  const sandbox: Sandbox = {
    clock, faults, apiLog: new ApiLog(config.apiLog), adminToken,
    refresh: async () => {
      await clock.refresh(store.db);
      await faults.refresh(store.db);
    },
  };
  await sandbox.refresh();
  const timer = setInterval(() => void sandbox.refresh().catch(() => {}), REFRESH_MS);
  timer.unref();
  return { sandbox, stop: () => clearInterval(timer) };
}
