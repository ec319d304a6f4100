// `NODE_OPTIONS="--import <repo>/bench/lib/statement-log.mjs" SQL_STATEMENT_LOG=FILE …`: every
// process so started (a test run and the Kalends servers it spawns: test/helpers keeps their
// environment but for KALENDS_* settings, hence the name) appends each distinct SQL
// text it prepares through better-sqlite3 to FILE, one JSON string a line, for
// bench/scale-plans.ts to EXPLAIN against a scaled store. A development tool: not loaded otherwise.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const file = process.env.SQL_STATEMENT_LOG;
if (file) {
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const seen = new Set();
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function logged(source, ...rest) {
    if (!seen.has(source)) {
      seen.add(source);
      appendFileSync(file, `${JSON.stringify(source)}\n`);
    }
    return prepare.call(this, source, ...rest);
  };
}
