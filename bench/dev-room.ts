import SqliteDatabase from 'better-sqlite3';
const db = new SqliteDatabase(process.argv[2]!, { readonly: true });
const q = (kind: string) => `select * from events where id in (select event_id from attendees where kind = ${kind} and ref = ? and partstat in (?, ?)) and range_end > ? and range_start < ? and deleted_at is null order by range_start, id`;
for (const [label, text, args] of [['bound', q('?'), ['resource', 'r1', 'ACCEPTED', 'NEEDS-ACTION', 0, 9e15]], ['literal', q("'resource'"), ['r1', 'ACCEPTED', 'NEEDS-ACTION', 0, 9e15]]] as const) {
  const st = db.prepare(text);
  let best = Infinity;
  for (let i = 0; i < 5; i++) { const t = performance.now(); st.all(...args); best = Math.min(best, performance.now() - t); }
  console.log(label, best.toFixed(3), 'ms');
}
