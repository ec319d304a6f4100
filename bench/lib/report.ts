import type { Measured } from './bench.ts';
import { round } from './stats.ts';
import type { GrowthRow } from '../scenarios/growth.ts';

export interface ScenarioRow {
  name: string;
  /** The row ratioToCeiling divides by (see ceilingOf), or null. */
  ceiling: string | null;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  ratioToBaseline: number | null;
  ratioToCeiling: number | null;
  errors: number;
  non2xx: number;
  peakRssMb: number;
}

export interface Report {
  machine: Record<string, unknown>;
  scenarios: ScenarioRow[];
  growth: GrowthRow[];
}

/**
 * Each row's reference: the ceiling it is a fraction of. Rows ending in `-c1` are latency rows:
 * their ratioToCeiling is p50 ÷ the ceiling's p50 (lower is better); all others are req/s ÷ the
 * ceiling's req/s (higher is better).
 */
const CEILING_OF: Record<string, string> = {
  'ceiling-add-1': 'ceiling-add-1', 'ceiling-add-500': 'ceiling-add-500',
  'ceiling-add-500-c1': 'ceiling-add-500-c1', 'ceiling-list-100': 'ceiling-list-100',
  'dingtalk-add-1': 'ceiling-add-1', 'two-nodes-dingtalk-add-1': 'ceiling-add-1', 'feishu-add-1': 'ceiling-add-1', 'radicale-add-1': 'ceiling-add-1',
  'dingtalk-add-500': 'ceiling-add-500', 'dingtalk-add-500-c1': 'ceiling-add-500-c1',
  'dingtalk-list-100': 'ceiling-list-100', 'feishu-list-100': 'ceiling-list-100',
};

/**
 * The row a row is measured against in this run: on PostgreSQL (when the run measured the
 * PostgreSQL ceiling `pg-<ceiling>`), a Kalends row's PostgreSQL ceiling, and dingtalk-respond's
 * is pg-ceiling-add-1 (one small write); a `pg-ceiling-…` row is measured against the SQLite
 * ceiling of the same name (how far PostgreSQL itself is from SQLite here).
 */
function ceilingOf(name: string, measured: ReadonlySet<string>): string | undefined {
  if (name.startsWith('pg-ceiling-')) return name.slice('pg-'.length);
  const sqlite = name === 'dingtalk-respond' ? 'ceiling-add-1' : CEILING_OF[name];
  if (!sqlite || name.startsWith('ceiling-')) return CEILING_OF[name];
  return measured.has(`pg-${sqlite}`) ? `pg-${sqlite}` : CEILING_OF[name];
}

export function isLatencyRow(name: string): boolean {
  return name.endsWith('-c1');
}

export function scenarioRows(measured: Measured[]): ScenarioRow[] {
  const by = new Map(measured.map((m) => [m.name, m.result]));
  const names = new Set(by.keys());
  const baseline = by.get('baseline-get');
  return measured.map(({ name, result: r, peakRssMb }) => {
    const reference = ceilingOf(name, names);
    const ceiling = reference ? by.get(reference) : undefined;
    const toCeiling = !ceiling ? null : isLatencyRow(name) ? r.p50Ms / ceiling.p50Ms : r.reqPerSec / ceiling.reqPerSec;
    return {
      name,
      ceiling: ceiling ? reference! : null,
      reqPerSec: round(r.reqPerSec, 1),
      p50Ms: round(r.p50Ms, 3),
      p99Ms: round(r.p99Ms, 3),
      ratioToBaseline: baseline ? round(r.reqPerSec / baseline.reqPerSec, 4) : null,
      ratioToCeiling: toCeiling === null ? null : round(toCeiling, 3),
      errors: r.errors,
      non2xx: r.non2xx,
      peakRssMb: round(peakRssMb, 1),
    };
  });
}

export interface Target {
  what: string;
  /** The measured figure, as text. */
  measured: string;
  holds: boolean | null;
}

/** The targets, each judged on this run's own figures (null: not measured in this run). */
export function judgeTargets(rows: ScenarioRow[], growth: GrowthRow[], kalendsPeakMb: number | null, failures: number, peers: boolean): Target[] {
  const row = (n: string) => rows.find((r) => r.name === n);
  const ratio = (n: string, min: number, ceiling = CEILING_OF[n]): Target => {
    const r = row(n);
    const v = r && r.ceiling === ceiling ? r.ratioToCeiling : null;
    return { what: `${n} ≥ ${min} × ${ceiling} req/s`, measured: v === null ? 'not measured' : `${v.toFixed(2)} ×`, holds: v === null ? null : v >= min };
  };
  // On PostgreSQL the Kalends rows are judged against the PostgreSQL ceilings (issue 21's targets).
  const onPostgres = rows.some((r) => r.name.startsWith('pg-ceiling-'));
  const targets = onPostgres
    ? [ratio('dingtalk-add-1', 0.3, 'pg-ceiling-add-1'), ratio('dingtalk-respond', 0.3, 'pg-ceiling-add-1'),
      ratio('dingtalk-list-100', 0.4, 'pg-ceiling-list-100'), ratio('dingtalk-add-500', 0.3, 'pg-ceiling-add-500')]
    : [ratio('dingtalk-add-1', 0.6), ratio('dingtalk-list-100', 0.6), ratio('dingtalk-add-500', 0.6)];
  if (onPostgres) {
    const one = row('dingtalk-add-1');
    const two = row('two-nodes-dingtalk-add-1');
    const v = one && two ? two.reqPerSec / one.reqPerSec : null;
    targets.push({ what: 'two-nodes-dingtalk-add-1 ≥ 1.3 × dingtalk-add-1 req/s', measured: v === null ? 'not measured' : `${v.toFixed(2)} ×`, holds: v === null ? null : v >= 1.3 });
  }
  const c1 = row('dingtalk-add-500-c1')?.ratioToCeiling ?? null;
  targets.push({ what: `dingtalk-add-500-c1 p50 ≤ 2.5 × ${row('dingtalk-add-500-c1')?.ceiling ?? 'ceiling-add-500-c1'} p50`, measured: c1 === null ? 'not measured' : `${c1.toFixed(2)} ×`, holds: c1 === null ? null : c1 <= 2.5 });
  const g0 = growth.find((g) => g.attendees === 0);
  const gMax = growth.find((g) => g.attendees === 4_500);
  for (const [key, label] of [['add500P50Ms', 'add-500'], ['list100P50Ms', 'list-100']] as const) {
    const v = g0 && gMax ? gMax[key] / g0[key] : null;
    targets.push({ what: `growth: ${label} p50 at 4,500 ≤ 1.3 × at 0`, measured: v === null ? 'not measured' : `${v.toFixed(2)} ×`, holds: v === null ? null : v <= 1.3 });
  }
  if (peers) {
    const k = row('dingtalk-add-1');
    const p = row('radicale-add-1');
    const v = k && p ? k.reqPerSec / p.reqPerSec : null;
    targets.push({ what: 'dingtalk-add-1 ≥ 20 × radicale-add-1 req/s', measured: v === null ? 'not measured' : `${v.toFixed(0)} ×`, holds: v === null ? null : v >= 20 });
  }
  // Issue 17: Kalends' CalDAV against Radicale's on the same work (Xandikos' rows are shown beside them, without a target).
  for (const [work, min] of [['put', 10], ['query-month', 3], ['get-5000', 1], ['sync-one', 3]] as const) {
    const k = row(`kalends-caldav-${work}`);
    const p = row(`radicale-caldav-${work}`);
    if (!k && !p) continue;
    const v = k && p ? k.reqPerSec / p.reqPerSec : null;
    targets.push({ what: `kalends-caldav-${work} ≥ ${min} × radicale-caldav-${work} req/s`, measured: v === null ? 'not measured' : `${v.toFixed(1)} ×`, holds: v === null ? null : v >= min });
  }
  const p50Ratio = (n: string, of: string, max: number): Target => {
    const a = row(n);
    const b = row(of);
    const v = a && b ? a.p50Ms / b.p50Ms : null;
    return { what: `${n} p50 ≤ ${max} × ${of} p50`, measured: v === null ? 'not measured' : `${v.toFixed(2)} ×`, holds: v === null ? null : v <= max };
  };
  // Issue 16 holds the view rows, measured at one connection, to `dingtalk-list-100`'s p50 (the
  // 50-connection row); the same ratios to the one-connection list (dingtalk-list-100-c1, a
  // far stricter reference: no queueing in either) are shown beside them, without a target.
  targets.push(p50Ratio('dingtalk-eventsview-month-c1', 'dingtalk-list-100', 3));
  targets.push(p50Ratio('dingtalk-getschedule-20-c1', 'dingtalk-list-100', 5));
  for (const n of ['dingtalk-eventsview-month-c1', 'dingtalk-getschedule-20-c1']) {
    const v = p50Ratio(n, 'dingtalk-list-100-c1', Infinity);
    targets.push({ ...v, what: `${n} p50 ÷ dingtalk-list-100-c1 p50 (no target)`, holds: null });
  }
  targets.push(p50Ratio('series-age-10y-c1', 'series-age-yesterday-c1', 1.3));
  targets.push({ what: 'Kalends peak RSS over the whole run ≤ 150 MB', measured: kalendsPeakMb === null ? 'not measured' : `${kalendsPeakMb.toFixed(1)} MB`, holds: kalendsPeakMb === null ? null : kalendsPeakMb <= 150 });
  targets.push({ what: '0 errors and 0 non-2xx in every scenario', measured: `${failures} failed requests`, holds: failures === 0 });
  return targets;
}

const fmt = (v: number | null, digits: number) => (v === null || Number.isNaN(v) ? '–' : v.toFixed(digits));

export function formatTable(rows: ScenarioRow[], growth: GrowthRow[], targets: Target[], measured: Measured[]): string {
  const out: string[] = [];
  const head = ['scenario', 'req/s', 'p50 ms', 'p99 ms', '×baseline', '×ceiling', 'errors', 'non2xx', 'RSS MB', 'other CPU'];
  const widths = [26, 9, 8, 8, 10, 9, 7, 7, 7, 10];
  const others = new Map(measured.map((m) => [m.name, m.cpu.others]));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ');
  out.push(line(head));
  for (const r of rows) {
    const ceiling = r.ratioToCeiling === null ? '–' : `${r.ratioToCeiling.toFixed(2)}${isLatencyRow(r.name) ? 'ᴾ' : ''}`;
    out.push(line([r.name, fmt(r.reqPerSec, 0), fmt(r.p50Ms, 2), fmt(r.p99Ms, 2), fmt(r.ratioToBaseline, 3), ceiling,
      String(r.errors), String(r.non2xx), fmt(r.peakRssMb, 1), `${fmt(others.get(r.name) ?? null, 0)}%`]));
  }
  out.push('  ᴾ latency row: ×ceiling is p50 ÷ the ceiling\'s p50 at one connection (lower is better)');
  out.push('  other CPU: share of the machine used by neither the server nor the harness (other programs, kernel)');
  if (growth.length) {
    out.push('', 'growth (one connection)   attendees   add-500 p50 ms   list-100 p50 ms');
    for (const g of growth) out.push(`${''.padEnd(26)}${String(g.attendees).padStart(9)}   ${fmt(g.add500P50Ms, 2).padStart(14)}   ${fmt(g.list100P50Ms, 2).padStart(15)}`);
  }
  out.push('', 'targets');
  for (const t of targets) out.push(`  ${t.holds === null ? 'n/a  ' : t.holds ? 'holds' : 'MISS '}  ${t.what.padEnd(56)} ${t.measured}`);
  return out.join('\n');
}
