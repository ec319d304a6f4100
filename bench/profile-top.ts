// Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof DIR`): the functions with the
// most self time, and the same grouped by file. --from/--to keep only the samples of a window
// (seconds since the process started, as the bench prints for each scenario under --cpu-prof).
//   node --import tsx bench/profile-top.ts FILE.cpuprofile [--top N] [--from S] [--to S]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } });
const file = positionals[0];
if (!file) {
  process.stderr.write('usage: node --import tsx bench/profile-top.ts FILE.cpuprofile [--top N] [--from S] [--to S]\n');
  process.exit(2);
}
const top = Number(values.top ?? 25);
const fromUs = Number(values.from ?? 0) * 1e6;
const toUs = values.to === undefined ? Infinity : Number(values.to) * 1e6;
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
let t = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  if (t >= fromUs && t <= toUs) selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
});
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function where(n: Node): string {
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  if (!url) return '';
  const short = url.includes('node_modules/') ? url.slice(url.lastIndexOf('node_modules/') + 13) : path.relative(process.cwd(), url);
  return `${short}:${n.callFrame.lineNumber + 1}`;
}

const fnTotals = new Map<string, number>();
const fileTotals = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  const key = `${n.callFrame.functionName || '(anonymous)'}  ${where(n)}`;
  fnTotals.set(key, (fnTotals.get(key) ?? 0) + us);
  const f = where(n).replace(/:\d+$/, '') || n.callFrame.functionName;
  fileTotals.set(f, (fileTotals.get(f) ?? 0) + us);
}
const lines: string[] = [`${file}: ${(total / 1e6).toFixed(1)} s sampled`];
const show = (title: string, m: Map<string, number>) => {
  lines.push('', title);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`${((100 * us) / total).toFixed(1).padStart(6)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
};
show('self time by function', fnTotals);
show('self time by file', fileTotals);
process.stdout.on('error', () => {}); // a closed pipe (| head) is no error
process.stdout.write(`${lines.join('\n')}\n`);
