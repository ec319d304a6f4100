// The ceiling: the thinnest Fastify + better-sqlite3 server that stores attendees. The same
// durability as Kalends ships (WAL, synchronous = NORMAL), an attendees-like table with a unique
// (event, ref) index and a keyset index — and nothing else: no auth, no validation, no
// idempotency, no outbox. Kalends cannot beat it; the targets are fractions of it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const dir = process.env.CEILING_DATA ?? mkdtempSync(path.join(os.tmpdir(), 'kalends-ceiling-'));
const db = new Database(path.join(dir, 'ceiling.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`
  CREATE TABLE IF NOT EXISTS attendees (
    seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    ref TEXT NOT NULL,
    is_optional INTEGER NOT NULL,
    partstat TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX IF NOT EXISTS attendees_unique ON attendees (event_id, ref);
  CREATE INDEX IF NOT EXISTS attendees_by_event_seq ON attendees (event_id, seq);
`);
const insert = db.prepare(`INSERT INTO attendees (event_id, ref, is_optional, partstat, created_at) VALUES (?, ?, ?, 'NEEDS-ACTION', ?)`);
const page = db.prepare('SELECT seq, ref, is_optional, partstat FROM attendees WHERE event_id = ? AND seq > ? ORDER BY seq LIMIT 101');
const addAll = db.transaction((eventId: string, list: Array<{ id: string; isOptional?: boolean }>, now: number) => {
  for (const a of list) insert.run(eventId, a.id, a.isOptional ? 1 : 0, now);
});

type Params = { event: string };
const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
app.post<{ Params: Params; Body: { attendeesToAdd: Array<{ id: string; isOptional?: boolean }> } }>(
  '/events/:event/attendees', async (request, reply) => {
    addAll(request.params.event, request.body.attendeesToAdd, Date.now());
    return reply.send();
  });
app.get<{ Params: Params; Querystring: { after?: string } }>('/events/:event/attendees', async (request) => {
  // One row more than the page tells whether another page follows, as Kalends does.
  const rows = page.all(request.params.event, Number(request.query.after ?? 0)) as Array<{ seq: number }>;
  const items = rows.slice(0, 100);
  return { attendees: items, nextToken: rows.length > 100 ? String(items[99]!.seq) : undefined };
});

const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`ceiling listening on ${address}\n`);
const stop = async () => {
  await app.close();
  db.close();
  if (!process.env.CEILING_DATA) rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
