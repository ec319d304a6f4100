// `npm test`: the whole suite on SQLite, then again on PostgreSQL, then the store-specific
// suites (several nodes on one database, durability under SIGKILL). PostgreSQL comes from
// KALENDS_TEST_DATABASE_URL or a throwaway cluster started here and removed afterwards.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster, type Cluster } from './helpers/postgres.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const files = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => path.join(dir, f));
const only = process.argv.slice(2);

let cluster: Cluster | undefined;
if (!process.env.KALENDS_TEST_DATABASE_URL) {
  cluster = await startCluster();
  process.env.KALENDS_TEST_DATABASE_URL = cluster.url;
}

function run(label: string, testFiles: string[], store: string): boolean {
  if (testFiles.length === 0) return true;
  process.stdout.write(`\n=== ${label} (${testFiles.length} files, store ${store}) ===\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...testFiles], {
    stdio: 'inherit', env: { ...process.env, KALENDS_TEST_STORE: store },
  });
  return result.status === 0;
}

let ok = false;
try {
  const pick = (list: string[]) => (only.length ? list.filter((f) => only.some((o) => f.includes(o))) : list);
  const suite = pick(files(here));
  const storeSuites = pick(files(path.join(here, 'stores')));
  const results = [
    run('suite on SQLite', suite, 'sqlite'),
    run('suite on PostgreSQL', suite, 'postgres'),
    run('several nodes and durability', storeSuites, 'postgres'),
  ];
  ok = results.every(Boolean);
} finally {
  cluster?.stop();
}
process.exit(ok ? 0 : 1);
