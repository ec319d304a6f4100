// Compares two windows of one V8 .cpuprofile (from `npm run bench -- --cpu-prof DIR`), usually two
// rows of one run such as dingtalk-respond and dingtalk-respond-stream: self time per request of
// each, by kind of work and by function, and the difference (what the second row's extra work
// costs per request). Windows are seconds since the process started, as the bench prints them;
// requests are each row's count of successful requests ("N ok in …"). The profiler samples on the
// clock: a thread preempted by other programs is still counted, so on a loaded machine the shares
// are better evidence than the microseconds.
//   node --import tsx bench/profile-diff.ts FILE.cpuprofile --a 4.2:9.3:12875 --b 10.9:16.0:9577 [--top 25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const { values, positionals } = parseArgs({ allowPositionals: true, options: { a: { type: 'string' }, b: { type: 'string' }, top: { type: 'string' } } });
const file = positionals[0];
if (!file || !values.a || !values.b) {
  process.stderr.write('usage: node --import tsx bench/profile-diff.ts FILE.cpuprofile --a FROM:TO:REQUESTS --b FROM:TO:REQUESTS [--top N]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

/** The kind of work a function's self time is, by its name and file. */
function kind(n: Node): string {
  const { functionName: f, url: u } = n.callFrame;
  if (f === '(idle)') return '(idle)';
  if (f === '(garbage collector)') return 'garbage collection';
  if (f === '(program)') return '(program)';
  if (/statement-cache|sqlite-driver/.test(u) && /^(all|executeQuery|run|iterate)$/.test(f)) return 'SQLite statements';
  if (/sqlite-group-commit/.test(u)) return 'SQLite BEGIN/COMMIT (group commit)';
  if (/^(writev|writevGeneric|writeLatin1String|writeUtf8String|writeBuffer)$/.test(f)) return 'socket writes';
  if (/node_modules\/ws\//.test(u)) return 'ws';
  if (/stream-connection|ws-connection|stream-sender|stream-hub|coalesced-writes|attempt-outcome/.test(u)) return 'pushes, ACKs, records';
  if (/core\/outbox|callbacks\.[jt]s|repositories\/deliveries|repositories\/outbox|dispatcher/.test(u)) return 'fan-out and planning';
  if (/node_modules\/kysely|prepared-query|statement-cache/.test(u)) return 'Kysely, prepared queries';
  return 'other (API, Fastify, Node)';
}

const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'}  ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(dist|src)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;

/** Self µs per request, by kind and by function, over one window `FROM:TO:REQUESTS`. */
function window(spec: string) {
  const [from, to, requests] = spec.split(':').map(Number) as [number, number, number];
  const kinds = new Map<string, number>();
  const functions = new Map<string, number>();
  let t = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (t < from * 1e6 || t > to * 1e6) return;
    const node = byId.get(id)!;
    kinds.set(kind(node), (kinds.get(kind(node)) ?? 0) + dt / requests);
    functions.set(label(node), (functions.get(label(node)) ?? 0) + dt / requests);
  });
  kinds.delete('(idle)');
  functions.delete('(idle)  :0');
  return { kinds, functions };
}

const a = window(values.a), b = window(values.b);
const busy = (m: Map<string, number>) => [...m.values()].reduce((s, v) => s + v, 0);
process.stdout.write(`busy µs per request: A ${busy(a.kinds).toFixed(0)}, B ${busy(b.kinds).toFixed(0)}, B−A ${(busy(b.kinds) - busy(a.kinds)).toFixed(0)}\n`);
function table(title: string, ma: Map<string, number>, mb: Map<string, number>, top: number): void {
  process.stdout.write(`\n${title}\n     B−A       A →      B\n`);
  const rows = [...new Set([...ma.keys(), ...mb.keys()])].map((k) => ({ k, a: ma.get(k) ?? 0, b: mb.get(k) ?? 0 }))
    .sort((x, y) => (y.b - y.a) - (x.b - x.a)).slice(0, top);
  for (const r of rows) process.stdout.write(`${(r.b - r.a).toFixed(1).padStart(8)}  ${r.a.toFixed(1).padStart(6)} → ${r.b.toFixed(1).padStart(6)}  ${r.k}\n`);
}
table('self time per request by kind of work (µs)', a.kinds, b.kinds, 20);
table('self time per request by function (µs), largest increases', a.functions, b.functions, Number(values.top ?? 25));
