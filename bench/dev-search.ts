import SqliteDatabase from 'better-sqlite3';
const db = new SqliteDatabase(process.argv[2]!, { readonly: true });
const u = db.prepare(`select u.id, c.id as cal from users u join calendars c on c.owner_user_id = u.id and c.type = 'primary' where u.union_id = 'u_12000'`).get() as any;
const other = (db.prepare(`select id from users where union_id = 'u_12001'`).get() as any).id;
const base = `select * from events where id in (select id from events where calendar_id = ? union select event_id as id from attendees where user_seq = (select seq from users where id = ?) union select event_id as id from attendee_chat_members where user_id = ?) and deleted_at is null and (lower(summary) like ? escape '\\' or lower(description) like ? escape '\\')`;
const variants: Record<string, string> = {
  old: `${base} and id in (select event_id from attendees where kind = ? and ref in (?)) order by range_start, id limit ?`,
  exists: `${base} and exists (select 1 from attendees where attendees.event_id = events.id and kind = ? and ref in (?)) order by range_start, id limit ?`,
};
for (const [k, text] of Object.entries(variants)) {
  const st = db.prepare(text);
  const args = [u.cal, u.id, u.id, '%filled%', '%filled%', 'user', other, 101];
  let best = Infinity; let n = 0;
  for (let i = 0; i < 3; i++) { const t = performance.now(); n = st.all(...args).length; best = Math.min(best, performance.now() - t); }
  const plan = (db.prepare(`explain query plan ${text}`).all(...args) as any[]).map((r) => r.detail).join(' | ');
  console.log(k, best.toFixed(2), 'ms', n, 'rows\n   ', plan);
}
