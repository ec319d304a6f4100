// Compares SQLite's own time per statement in two windows of one Kalends process (two rows of
// one bench run), per request, from a file of bench/lib/statement-times.mjs. The windows are
// whole seconds since the process started (those `--cpu-prof` prints for each row, rounded
// inwards); a request is one run of the statement whose SQL starts with --per (default: the
// respond rows' partstat update).
//   node --import tsx bench/statement-times.ts DIR/sql-PID.json --a 5:9 --b 12:16 [--per 'insert into …'] [--top 25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { a: { type: 'string' }, b: { type: 'string' }, per: { type: 'string' }, top: { type: 'string' } } });
const file = positionals[0];
if (!file || !values.a || !values.b) {
  process.stderr.write("usage: node --import tsx bench/statement-times.ts FILE --a FROM:TO --b FROM:TO [--per SQL-PREFIX] [--top N]\n");
  process.exit(2);
}
const per = values.per ?? 'update "attendees" set "partstat"';
const buckets = JSON.parse(readFileSync(file, 'utf8')) as Array<Array<[string, [number, number]]>>;

/** Calls and µs per SQL text over the seconds [from, to). */
function window(spec: string): Map<string, [number, number]> {
  const [from, to] = spec.split(':').map(Number) as [number, number];
  const sum = new Map<string, [number, number]>();
  for (let s = from; s < to; s++) {
    for (const [sql, [calls, us]] of buckets[s] ?? []) {
      const entry = sum.get(sql) ?? [0, 0];
      entry[0] += calls;
      entry[1] += us;
      sum.set(sql, entry);
    }
  }
  return sum;
}
const requests = (m: Map<string, [number, number]>) => [...m].filter(([sql]) => sql.startsWith(per)).reduce((n, [, [calls]]) => n + calls, 0);
const total = (m: Map<string, [number, number]>) => [...m.values()].reduce((t, [, us]) => t + us, 0);
const a = window(values.a), b = window(values.b);
const na = requests(a), nb = requests(b);
if (na === 0 || nb === 0) throw new Error(`no statement starting with ${JSON.stringify(per)} in a window`);
process.stdout.write(`requests: A ${na}, B ${nb}; SQLite µs per request: A ${(total(a) / na).toFixed(1)}, B ${(total(b) / nb).toFixed(1)}\n`);
process.stdout.write('B−A µs/req      A →      B  B calls/req  statement\n');
const rows = [...new Set([...a.keys(), ...b.keys()])].map((sql) => ({
  sql, a: (a.get(sql)?.[1] ?? 0) / na, b: (b.get(sql)?.[1] ?? 0) / nb, calls: (b.get(sql)?.[0] ?? 0) / nb,
})).sort((x, y) => Math.abs(y.b - y.a) - Math.abs(x.b - x.a));
for (const r of rows.slice(0, Number(values.top ?? 25))) {
  process.stdout.write(`${(r.b - r.a).toFixed(1).padStart(10)} ${r.a.toFixed(1).padStart(6)} → ${r.b.toFixed(1).padStart(6)} ${r.calls.toFixed(3).padStart(9)}×  ${r.sql.replace(/\s+/g, ' ').slice(0, 130)}\n`);
}
