import SqliteDatabase from 'better-sqlite3';
const db = new SqliteDatabase(process.argv[2]!, { readonly: true });
const s = process.argv[3]!;
const n = (s.match(/\?/g) ?? []).length;
console.log((db.prepare(`explain query plan ${s}`).all(...Array(n).fill(null)) as any[]).map((r) => `${r.id}/${r.parent} ${r.detail}`).join('\n'));
