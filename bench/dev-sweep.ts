// dev only: EXPLAIN QUERY PLAN every statement seen, against a scaled store; flag tenant-wide reads
import { readFileSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
const db = new SqliteDatabase(process.argv[2]!, { readonly: true });
const norm = (s: string) => s.replace(/\(\?(, \?)+\)/g, '(?, …)').replace(/values \(.*\)(, \(.*\))+/g, 'values (…)');
const seen = new Map<string, string>();
for (const line of readFileSync(process.argv[3]!, 'utf8').split('\n').filter(Boolean)) {
  const s = JSON.parse(line) as string;
  if (!/^\s*(select|update|delete|insert|with)/i.test(s)) continue;
  const k = norm(s);
  if (!seen.has(k)) seen.set(k, s);
}
const BIG = /(events|attendees|event_legacy_ids|attendee_chat_members)\b/;
let flagged = 0;
for (const [k, s] of seen) {
  let plan: string[];
  try {
    const n = (s.match(/\?/g) ?? []).length;
    plan = (db.prepare(`explain query plan ${s}`).all(...Array(n).fill(null)) as Array<{ detail: string }>).map((r) => r.detail);
  } catch (e) { continue; }
  const bad = plan.filter((d) => (/^SCAN /.test(d) && BIG.test(d) && !/json_each|VALUES|CONSTANT/.test(d)) || /events_by_tenant_change \(tenant_id=\?\)$/.test(d));
  if (bad.length) { flagged++; console.log(`${k.slice(0, 600)}\n    ${bad.join(' | ')}\n`); }
}
console.log(`${seen.size} distinct statements, ${flagged} flagged`);
