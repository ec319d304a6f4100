import type { Config } from '../config/schema.ts';
import { openSandbox } from './sandbox.ts';
import { openStore } from '../store/open-store.ts';
import { onSignals } from './start.ts';
import { startDispatcher } from '../workers/dispatcher.ts';

/**
 * `kalends dispatch`: runs only the outbox dispatcher on the store (for deployments that run
 * the servers with `--dispatch off`), on the sandbox clock, until SIGINT/SIGTERM, then lets the
 * attempts under way finish and exits 0.
 */
export async function dispatch(config: Config): Promise<void> {
  const store = await openStore(config);
  const { sandbox, stop: stopSandbox } = await openSandbox(store, { apiLog: 0 }, null);
  const dispatcher = startDispatcher(store, sandbox.clock, config, (m) => process.stderr.write(`kalends dispatch: ${m}\n`));
  process.stdout.write('Kalends dispatcher running\n');
  onSignals(async () => {
    stopSandbox();
    await dispatcher.stop();
    await store.close();
    process.exit(0);
  });
}
