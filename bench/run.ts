// `npm run bench`: Kalends measured side by side with its references (a bare Fastify GET, the
// thinnest Fastify + SQLite insert/page) and, with --peers, Radicale. See bench/README.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Bench, type Measured, type Options } from './lib/bench.ts';
import { REPO, supportsDatabaseUrl, type Feishu } from './lib/kalends.ts';
import { formatTable, judgeTargets, scenarioRows, type Report } from './lib/report.ts';
import { Servers } from './lib/servers.ts';
import { dingtalkAdd1, dingtalkAdd1TwoNodes, dingtalkAdd500, dingtalkList100, dingtalkRemove500, dingtalkRespond, type Batch } from './scenarios/dingtalk.ts';
import { feishuAdd1, feishuList100 } from './scenarios/feishu.ts';
import { runGrowth, type Growth } from './scenarios/growth.ts';
import { runRadicale } from './scenarios/radicale.ts';
import { runCaldav } from './scenarios/caldav.ts';
import { dingtalkEventsViewMonth, dingtalkGetSchedule20, dingtalkList100c1, feishuFreebusyBatch10, seriesAge } from './scenarios/scheduling.ts';
import { dingtalkRespondStream } from './scenarios/streams.ts';
import { formatScale, runScale } from './scenarios/scale.ts';
import { FULL_FILL } from './lib/scale-fill.ts';
import { baselineGet, ceilingAdd1, ceilingAdd500, ceilingAdd500c1, ceilingList100 } from './scenarios/references.ts';

const USAGE = `usage: npm run bench -- [--quick] [--out FILE] [--peers] [--database-url URL]
                          [--duration SEC] [--only NAME,…] [--cpu-prof DIR]
                          [--scale [--scale-events N]]
  --quick             3 s per scenario (whole run under 90 s); default 10 s
  --out FILE          write the results as JSON
  --peers             also measure Radicale and Xandikos (Debian's radicale, xandikos packages)
  --database-url URL  run Kalends on PostgreSQL (passed to kalends start)
  --duration SEC      seconds per scenario (overrides --quick's 3 and the default 10)
  --only NAME,…       only scenarios whose name starts with one of these (e.g. dingtalk-add-1,growth)
  --cpu-prof DIR      start Kalends under node --cpu-prof, writing its .cpuprofile to DIR
  --scale             only the scaled-store rows: each row on an empty store and on one filled
                      with 1,000,000 events and 5,000,000 attendee rows (50,000 users), in turns
  --scale-events N    fill N events (5 attendee rows each) instead of 1,000,000 (development)`;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: {
      quick: { type: 'boolean', default: false }, out: { type: 'string' }, peers: { type: 'boolean', default: false },
      'database-url': { type: 'string' }, duration: { type: 'string' }, only: { type: 'string' },
      'cpu-prof': { type: 'string' }, help: { type: 'boolean', default: false },
      scale: { type: 'boolean', default: false }, 'scale-events': { type: 'string' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick;
  const durationSec = values.duration ? Number(values.duration) : quick ? 3 : 10;
  if (!(durationSec > 0)) throw new Error(`--duration must be a positive number of seconds: ${values.duration}`);
  const scaleEvents = values['scale-events'] ? Number(values['scale-events']) : FULL_FILL.events;
  if (!Number.isSafeInteger(scaleEvents) || scaleEvents < 1) throw new Error(`--scale-events must be a positive whole number: ${values['scale-events']}`);
  return {
    quick, durationSec, warmupSec: quick ? 0.5 : 1, growthSamples: quick ? 12 : 40, connections: 50,
    out: values.out, databaseUrl: values['database-url'], peers: values.peers,
    only: values.only?.split(',').map((s) => s.trim()).filter(Boolean),
    cpuProfDir: values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined,
    scale: values.scale ? { ...FULL_FILL, events: scaleEvents } : undefined,
  };
}

function machine(options: Options, kalendsPeakRssMb: number | null, seconds: number): Record<string, unknown> {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bin'], { cwd: REPO, encoding: 'utf8' }).trim();
    if (dirty) commit += ' + uncommitted changes in src/';
  } catch { /* not a git checkout */ }
  return {
    cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`, node: process.version, date: new Date().toISOString(),
    mode: options.quick ? 'quick' : 'normal', durationSec: options.durationSec, warmupSec: options.warmupSec,
    connections: options.connections, store: options.databaseUrl ? 'postgresql' : 'sqlite', commit,
    kalendsPeakRssMb, runSeconds: Math.round(seconds),
  };
}

/**
 * The scenarios in the order they run: each Kalends row right after its reference row. A step
 * runs when --only selects its name; its servers start on first use.
 */
function steps(bench: Bench, servers: Servers): Array<[string, () => Promise<void>]> {
  const acked: Batch[] = [];
  const feishu = (f: (fs: Feishu) => Promise<void>) => async () => {
    const fs = await servers.feishu();
    if (fs) await f(fs);
  };
  // On PostgreSQL (--database-url) each Kalends row also has a PostgreSQL ceiling just before it.
  const pg = (name: string, step: () => Promise<void>): Array<[string, () => Promise<void>]> => (bench.options.databaseUrl ? [[name, step]] : []);
  return [
    ['baseline-get', async () => { await baselineGet(bench, await servers.baseline()); await servers.stop('baseline'); }],
    ['ceiling-add-1', async () => ceilingAdd1(bench, await servers.ceiling())],
    ...pg('pg-ceiling-add-1', async () => ceilingAdd1(bench, await servers.pgCeiling(), 'pg-ceiling')),
    ['dingtalk-add-1', async () => dingtalkAdd1(bench, await servers.kalends(), await servers.dingtalk())],
    ...pg('two-nodes-dingtalk-add-1', async () => dingtalkAdd1TwoNodes(bench, await servers.kalends(), await servers.kalends2(), await servers.dingtalk())),
    ['feishu-add-1', feishu(async (fs) => feishuAdd1(bench, await servers.kalends(), fs))],
    ['ceiling-add-500', async () => ceilingAdd500(bench, await servers.ceiling())],
    ...pg('pg-ceiling-add-500', async () => ceilingAdd500(bench, await servers.pgCeiling(), 'pg-ceiling')),
    ['dingtalk-add-500', async () => dingtalkAdd500(bench, await servers.kalends(), await servers.dingtalk(), acked, false)],
    ['ceiling-add-500-c1', async () => ceilingAdd500c1(bench, await servers.ceiling())],
    ...pg('pg-ceiling-add-500-c1', async () => ceilingAdd500c1(bench, await servers.pgCeiling(), 'pg-ceiling')),
    ['dingtalk-add-500-c1', async () => dingtalkAdd500(bench, await servers.kalends(), await servers.dingtalk(), acked, true)],
    ['ceiling-list-100', async () => ceilingList100(bench, await servers.ceiling())],
    ...pg('pg-ceiling-list-100', async () => ceilingList100(bench, await servers.pgCeiling(), 'pg-ceiling')),
    ['dingtalk-list-100', async () => dingtalkList100(bench, await servers.kalends(), await servers.dingtalk())],
    ['feishu-list-100', feishu(async (fs) => feishuList100(bench, await servers.kalends(), fs))],
    ['dingtalk-respond', async () => dingtalkRespond(bench, await servers.kalends(), await servers.dingtalk())],
    ['dingtalk-respond-stream', async () => dingtalkRespondStream(bench, await servers.kalends(), await servers.dingtalk())],
    ['dingtalk-remove-500', async () => dingtalkRemove500(bench, await servers.kalends(), await servers.dingtalk(), acked)],
    ['dingtalk-list-100-c1', async () => dingtalkList100c1(bench, await servers.kalends(), await servers.dingtalk())],
    ['dingtalk-eventsview-month-c1', async () => dingtalkEventsViewMonth(bench, await servers.kalends(), await servers.dingtalk())],
    ['dingtalk-getschedule-20-c1', async () => dingtalkGetSchedule20(bench, await servers.kalends(), await servers.dingtalk())],
    ['feishu-freebusy-batch-10-c1', feishu(async (fs) => feishuFreebusyBatch10(bench, await servers.kalends(), fs))],
    ['series-age', async () => seriesAge(bench, await servers.kalends(), await servers.dingtalk())],
  ];
}

function failuresOf(measured: Measured[]): Measured[] {
  return measured.filter((m) => m.result.errors > 0 || m.result.non2xx > 0);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.databaseUrl && !supportsDatabaseUrl()) {
    process.stderr.write('bench: this Kalends has no `start --database-url` yet, so the PostgreSQL mode cannot be measured.\n');
    process.exit(2);
  }
  const t0 = Date.now();
  const stamp = () => `[${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s]`;
  const bench = new Bench(options, (line) => process.stdout.write(line.startsWith('  ') ? `${stamp()} ${line}\n` : `${line}\n`));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kalends-bench-'));
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
  bench.log(`Kalends bench: ${options.durationSec} s per scenario, ${options.connections} connections, store ${options.databaseUrl ? 'PostgreSQL' : 'SQLite'}`);
  if (options.scale) {
    try {
      await scaleMode(bench, tmp, options.scale, t0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    return;
  }
  try {
    const servers = new Servers(bench, tmp);
    let growth: Growth = { rows: [], samples: [] };
    try {
      // Kalends first: a bad --database-url or directory fails the run before anything is measured.
      if (['dingtalk', 'feishu', 'growth'].some((group) => bench.wantsAny(group))) await servers.kalends();
      for (const [name, step] of steps(bench, servers)) if (bench.wants(name)) await step();
      if (bench.wants('growth')) growth = await runGrowth(bench, await servers.kalends(), await servers.dingtalk());
      if (['kalends-caldav', 'radicale-caldav', 'xandikos-caldav'].some((group) => bench.wantsAny(group))) {
        await runCaldav(bench, tmp, () => servers.kalends(), () => servers.dingtalk(), options.peers);
      }
    } catch (error) {
      throw new Error(`${(error as Error).message}\nkalends stderr (last lines):\n${await servers.kalendsStderr()}`);
    } finally {
      await servers.stopAll();
    }
    const peakMb = servers.kalendsPeakMb;
    if (options.peers) await runRadicale(bench, tmp);
    const rows = scenarioRows(bench.measured);
    const failed = failuresOf([...bench.measured, ...growth.samples]);
    const failures = failed.reduce((n, m) => n + m.result.errors + m.result.non2xx, 0);
    const targets = judgeTargets(rows, growth.rows, peakMb, failures, options.peers);
    const report: Report = { machine: machine(options, peakMb === null ? null : Math.round(peakMb * 10) / 10, (Date.now() - t0) / 1000), scenarios: rows, growth: growth.rows };
    bench.log('');
    bench.log(formatTable(rows, growth.rows, targets, bench.measured));
    if (failed.length) {
      const bar = '!'.repeat(78);
      bench.log(`\n${bar}\n!! THIS RUN HAD ERRORS: its figures are not valid measurements.`);
      for (const m of failed) bench.log(`!!   ${m.name}: ${m.result.errors} errors, ${m.result.non2xx} non-2xx ${m.result.samplesOfNon2xx[0] ?? ''}`);
      bench.log(bar);
    }
    const exhausted = bench.measured.filter((m) => m.result.exhausted);
    for (const m of exhausted) bench.log(`note: ${m.name} used up its prepared work after ${m.result.elapsedSec.toFixed(1)} s`);
    if (options.out) {
      writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
      bench.log(`\nwrote ${options.out}`);
    }
    bench.log(`run took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** `--scale`: the scaled-store rows only (scenarios/scale.ts), their table and targets. */
async function scaleMode(bench: Bench, tmp: string, size: { events: number; attendeesPerEvent: number }, t0: number): Promise<void> {
  const options = bench.options;
  const result = await runScale(bench, tmp, size);
  bench.log('');
  bench.log(formatScale(result));
  const failed = failuresOf(result.measured);
  if (failed.length) {
    const bar = '!'.repeat(78);
    bench.log(`\n${bar}\n!! THIS RUN HAD ERRORS: its figures are not valid measurements.`);
    for (const m of failed) bench.log(`!!   ${m.name}: ${m.result.errors} errors, ${m.result.non2xx} non-2xx ${m.result.samplesOfNon2xx[0] ?? ''}`);
    bench.log(bar);
  }
  if (options.out) {
    writeFileSync(options.out, `${JSON.stringify({ machine: machine(options, null, (Date.now() - t0) / 1000), scale: { fill: result.fill, rows: result.rows } }, null, 2)}\n`);
    bench.log(`\nwrote ${options.out}`);
  }
  bench.log(`run took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
