// `npm run fuzz -- --runs N [--seed S] [--only operationId,…]`: the fuzzer of test/fuzz.test.ts,
// longer. Prints requests tried and refused per route, and any failure with its seed.
import { parseArgs } from 'node:util';
import { fuzzRoutes } from './fuzz-routes.ts';
import { startFuzzTarget } from './setup.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' }, seed: { type: 'string' }, only: { type: 'string' } } });
const runs = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const target = await startFuzzTarget();
let failed = false;
try {
  process.stdout.write(`fuzzing with ${runs} requests per route, seed ${seed}, store ${target.server.databaseUrl ? 'postgres' : 'sqlite'}\n`);
  const reports = await fuzzRoutes({ ...target, baseUrl: target.server.baseUrl, runs, seed, only: values.only?.split(',') });
  for (const r of reports) {
    process.stdout.write(`${r.failure ? 'FAIL' : 'ok  '} ${String(r.tried).padStart(6)} tried ${String(r.refused).padStart(6)} refused  ${r.operationId}  ${r.route}\n`);
    if (r.failure) process.stdout.write(`     ${r.failure}\n`);
  }
  const tried = reports.reduce((n, r) => n + r.tried, 0);
  failed = reports.some((r) => r.failure);
  process.stdout.write(`${reports.length} routes, ${tried} requests, ${reports.filter((r) => r.failure).length} failing\n`);
} finally {
  await target.close();
}
process.exit(failed ? 1 : 0);
