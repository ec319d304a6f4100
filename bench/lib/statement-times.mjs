// `NODE_OPTIONS="--import <repo>/bench/lib/statement-times.mjs" SQL_TIMES_DIR=DIR npm run bench …`:
// every process so started that uses better-sqlite3 (the Kalends servers the bench spawns) times
// SQLite's own work per statement (better-sqlite3's run/all/get/iterate, by SQL text) in buckets
// of one second since the process started, and writes them to DIR/sql-<pid>.json when it exits,
// for bench/statement-times.ts to compare two windows (two rows of one run). A development tool:
// not loaded otherwise. Timing every statement costs ~1 µs each.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const dir = process.env.SQL_TIMES_DIR;
if (dir) {
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1'));
  probe.close();
  /** Per second since start: SQL text → [calls, µs]. */
  const buckets = [];
  for (const method of ['run', 'all', 'get', 'iterate']) {
    const original = proto[method];
    proto[method] = function timed(...args) {
      const start = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const times = (buckets[Math.floor(performance.now() / 1000)] ??= new Map());
        const entry = times.get(this.source) ?? [0, 0];
        entry[0]++;
        entry[1] += Number(process.hrtime.bigint() - start) / 1e3;
        times.set(this.source, entry);
      }
    };
  }
  let written = false;
  const write = () => {
    if (written || buckets.length === 0) return;
    written = true;
    writeFileSync(path.join(dir, `sql-${process.pid}.json`), JSON.stringify(Array.from(buckets, (m) => (m ? [...m] : []))));
  };
  process.on('exit', write);
  for (const signal of ['SIGTERM', 'SIGINT']) process.prependListener(signal, write);
}
