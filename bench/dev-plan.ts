import SqliteDatabase from 'better-sqlite3';
const db = new SqliteDatabase(process.argv[2]!, { readonly: true });
console.log((db.prepare('select sqlite_version() v').get() as any).v);
const qs: Record<string, string> = {
  'old room': "select * from events where tenant_id = ? and id in (select event_id from attendees where kind = 'resource' and ref = ? and partstat in (?, ?)) and range_end > ? and range_start < ? and deleted_at is null order by range_start, id",
  'new room': "select * from events where id in (select event_id from attendees where kind = 'resource' and ref = ? and partstat in (?, ?)) and range_end > ? and range_start < ? and deleted_at is null order by range_start, id",
  'old cancelled': "select * from events where tenant_id = ? and series_master_id is not null and deleted_at is not null and id in (select event_id from attendees where kind = 'resource' and ref = ? and partstat != ?) and exists (select masters.id from events as masters where masters.id = events.series_master_id and masters.deleted_at is null) and range_end > ? and range_start < ? order by range_start, id limit 1000",
  'new cancelled': "select * from events where series_master_id is not null and deleted_at is not null and id in (select event_id from attendees where kind = 'resource' and ref = ? and partstat != ?) and exists (select masters.id from events as masters where masters.id = events.series_master_id and masters.deleted_at is null) and range_end > ? and range_start < ? order by range_start, id limit 1000",
  'old ids': `select * from events where tenant_id = ? and id in (${Array(100).fill('?').join(', ')})`,
  'new ids': `select * from events where id in (${Array(100).fill('?').join(', ')})`,
};
const args: Record<string, unknown[]> = {
  'old room': ['bench', 'r1', 'ACCEPTED', 'NEEDS-ACTION', 0, 9e15], 'new room': ['r1', 'ACCEPTED', 'NEEDS-ACTION', 0, 9e15],
  'old cancelled': ['bench', 'r1', 'DECLINED', 0, 9e15], 'new cancelled': ['r1', 'DECLINED', 0, 9e15],
  'old ids': ['bench', ...Array.from({ length: 100 }, (_, i) => `018f0000-${i.toString(16).padStart(4, '0')}-7000-8000-${i.toString(16).padStart(12, '0')}`)],
  'new ids': Array.from({ length: 100 }, (_, i) => `018f0000-${i.toString(16).padStart(4, '0')}-7000-8000-${i.toString(16).padStart(12, '0')}`),
};
for (const [k, q] of Object.entries(qs)) {
  const st = db.prepare(q);
  const plan = (db.prepare(`explain query plan ${q}`).all(...args[k]!) as any[]).map((r) => r.detail).join(' | ');
  let best = Infinity; let n = 0;
  for (let i = 0; i < 5; i++) { const t = performance.now(); n = st.all(...args[k]!).length; best = Math.min(best, performance.now() - t); }
  console.log(`${k.padEnd(14)} ${best.toFixed(2).padStart(8)} ms  ${n} rows  ${plan}`);
}
