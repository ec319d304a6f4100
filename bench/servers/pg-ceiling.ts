// The PostgreSQL ceiling: the thinnest Fastify + pg server that stores attendees, the reference
// for Kalends on PostgreSQL (`npm run bench -- --database-url URL`). The ceiling's endpoints and
// table on PostgreSQL: one statement per request (a multi-row insert through unnest, or one
// keyset page), through a pool of as many connections as Kalends' default (`--pool-size` 10),
// and nothing else: no auth, no validation, no idempotency, no outbox, no change log. Its table
// lives in a schema of its own (bench_ceiling), made afresh at start, beside Kalends' tables.
import Fastify from 'fastify';
import pg from 'pg';

const url = process.env.CEILING_DATABASE_URL;
if (!url) throw new Error('pg-ceiling: CEILING_DATABASE_URL is not set');
const pool = new pg.Pool({ connectionString: url, max: Number(process.env.CEILING_POOL_SIZE ?? 10) });
await pool.query(`
  DROP SCHEMA IF EXISTS bench_ceiling CASCADE;
  CREATE SCHEMA bench_ceiling;
  CREATE TABLE bench_ceiling.attendees (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id text NOT NULL,
    ref text NOT NULL,
    is_optional integer NOT NULL,
    partstat text NOT NULL,
    created_at bigint NOT NULL
  );
  CREATE UNIQUE INDEX attendees_unique ON bench_ceiling.attendees (event_id, ref);
  CREATE INDEX attendees_by_event_seq ON bench_ceiling.attendees (event_id, seq);
`);
const insert = `INSERT INTO bench_ceiling.attendees (event_id, ref, is_optional, partstat, created_at)
  SELECT $1, a.ref, a.is_optional, 'NEEDS-ACTION', $4 FROM unnest($2::text[], $3::int[]) AS a(ref, is_optional)`;
const page = 'SELECT seq, ref, is_optional, partstat FROM bench_ceiling.attendees WHERE event_id = $1 AND seq > $2 ORDER BY seq LIMIT 101';

type Params = { event: string };
const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
app.post<{ Params: Params; Body: { attendeesToAdd: Array<{ id: string; isOptional?: boolean }> } }>(
  '/events/:event/attendees', async (request, reply) => {
    const list = request.body.attendeesToAdd;
    await pool.query(insert, [request.params.event, list.map((a) => a.id), list.map((a) => (a.isOptional ? 1 : 0)), Date.now()]);
    return reply.send();
  });
app.get<{ Params: Params; Querystring: { after?: string } }>('/events/:event/attendees', async (request) => {
  // One row more than the page tells whether another page follows, as Kalends does.
  const { rows } = await pool.query<{ seq: string }>(page, [request.params.event, Number(request.query.after ?? 0)]);
  const items = rows.slice(0, 100);
  return { attendees: items, nextToken: rows.length > 100 ? String(items[99]!.seq) : undefined };
});

const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`pg-ceiling listening on ${address}\n`);
const stop = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
