import SqliteDatabase from 'better-sqlite3';
const db = new SqliteDatabase(process.argv[2]!);
const u = (db.prepare(`select id from users where union_id = 'u_12000'`).get() as any).id;
const sel = `select events.id, attendees.seq, attendees.ref, attendees.partstat, events.change_seq, attendees.updated_at from attendees inner join events on events.id = attendees.event_id where`;
const tail = `events.organizer_id = ? and events.deleted_at is null and events.series_master_id is null and attendees.kind = ? and attendees.ref != ? and attendees.partstat != ? order by attendees.updated_at desc limit ?`;
const run = (label: string, text: string, args: unknown[]) => {
  const st = db.prepare(text); let best = Infinity; let n = 0;
  for (let i = 0; i < 3; i++) { const t = performance.now(); n = st.all(...args).length; best = Math.min(best, performance.now() - t); }
  console.log(label, best.toFixed(2), 'ms', n, 'rows |', (db.prepare(`explain query plan ${text}`).all(...args) as any[]).map((r) => r.detail).join(' | '));
};
run('old, no index', `${sel} events.tenant_id = ? and ${tail}`, ['bench', u, 'user', u, 'NEEDS-ACTION', 100]);
run('new, no index', `${sel} ${tail}`, [u, 'user', u, 'NEEDS-ACTION', 100]);
const t = performance.now(); db.exec('create index if not exists events_by_organizer on events (organizer_id)'); console.log('index built in', (performance.now() - t).toFixed(0), 'ms');
run('old, index', `${sel} events.tenant_id = ? and ${tail}`, ['bench', u, 'user', u, 'NEEDS-ACTION', 100]);
run('new, index', `${sel} ${tail}`, [u, 'user', u, 'NEEDS-ACTION', 100]);
const d = db.prepare(`delete from attendee_chat_members where attendee_seq in (select seq from attendees where event_id = ?)`);
console.log((db.prepare(`explain query plan delete from attendee_chat_members where attendee_seq in (select seq from attendees where event_id = ?)`).all('x') as any[]).map((r) => r.detail).join(' | '));
void d;
