import type { Config } from '../config/schema.ts';
import { SandboxClock } from '../core/sandbox/sandbox-clock.ts';
import { openStore } from '../store/open-store.ts';
import { startDispatcher } from './start.ts';

/**
 * `kalends dispatch`: runs only the outbox dispatcher on the store (for deployments that run
 * the servers with `--dispatch off`), on the sandbox clock, until SIGINT/SIGTERM, then lets the
 * attempts under way finish and exits 0.
 */
export async function dispatch(config: Config): Promise<void> {
  const store = openStore(config);
  const clock = new SandboxClock();
  await clock.refresh(store.db);
  const timer = setInterval(() => void clock.refresh(store.db).catch(() => {}), 1000);
  const dispatcher = startDispatcher(store, clock, config, (m) => process.stderr.write(`kalends dispatch: ${m}\n`));
  process.stdout.write('Kalends dispatcher running\n');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    await dispatcher.stop();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
