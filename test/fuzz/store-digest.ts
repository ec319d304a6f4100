// A digest of every table of a running server's store, read from outside the server: the SQLite
// file through its own read-only connection (WAL: it sees what is committed), or PostgreSQL
// through a client, each in one read transaction.
import { createHash } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

export interface StoreDigest {
  /** Table name → digest of its rows. */
  read(): Promise<Map<string, string>>;
  close(): Promise<void>;
}

export async function openStoreDigest(server: { dataDir: string; databaseUrl: string | undefined }): Promise<StoreDigest> {
  if (server.databaseUrl) {
    const client = new pg.Client({ connectionString: server.databaseUrl });
    await client.connect();
    return {
      async read() {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        try {
          const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name");
          const digests = new Map<string, string>();
          for (const { table_name: table } of tables.rows) {
            const res = await client.query<{ d: string }>(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS d FROM "${table}" t`);
            digests.set(table, res.rows[0]!.d);
          }
          return digests;
        } finally {
          await client.query('COMMIT');
        }
      },
      close: () => client.end(),
    };
  }
  const db = new Database(path.join(server.dataDir, 'kalends.sqlite'), { readonly: true, fileMustExist: true });
  const tables = () => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const read = db.transaction(() => {
    const digests = new Map<string, string>();
    for (const table of tables()) {
      const hash = createHash('sha256');
      for (const row of db.prepare(`SELECT * FROM "${table}"`).iterate()) hash.update(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).update('\n');
      digests.set(table, hash.digest('hex'));
    }
    return digests;
  });
  return {
    read: async () => read(),
    close: async () => {
      db.close();
    },
  };
}

/** The tables whose digests differ. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n));
}
