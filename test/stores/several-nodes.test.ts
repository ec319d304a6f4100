// Several Kalends processes on one PostgreSQL behave as one server: shared tokens, one view of
// the data, and the invariants (5,000 cap, no duplicate attendee, idempotency exactly once)
// enforced by the database under concurrent clients spread over the nodes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { ACME, buildDirectory, bulkIds, U } from '../helpers/directory.ts';
import { createDatabase, testDatabaseUrl } from '../helpers/postgres.ts';
import { startServer, type KalendsServer } from '../helpers/server.ts';

const CLIENTS = 60;
const OPS_PER_CLIENT = 12;
const POOL = 400; // users the churn clients add and remove

let db: string;
let nodes: KalendsServer[] = [];
let sql: pg.Client;
let token: string;

async function call(node: KalendsServer, method: string, path: string, body?: unknown, clientToken?: string): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = { 'x-acs-dingtalk-access-token': token };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (clientToken) headers['x-client-token'] = clientToken;
  const res = await fetch(`${node.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

const events = (user: string) => `/v1.0/calendar/users/${user}/calendars/primary/events`;
const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;

async function createEvent(node: KalendsServer, summary: string): Promise<string> {
  const r = await call(node, 'POST', events(U.alice), {
    summary, start: { dateTime: '2031-05-01T10:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2031-05-01T11:00:00+08:00', timeZone: 'Asia/Shanghai' },
  });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.id as string;
}

/** A write with retries that reuse its client token: a lost reply or a busy duplicate is retried. */
async function writeWithRetries(path: string, body: unknown, clientToken: string): Promise<number> {
  for (let attempt = 0; attempt < 6; attempt++) {
    try {
      const r = await call(pick(nodes), 'POST', path, body, clientToken);
      if (r.status === 200) return 200;
      if (!(r.status === 400 && r.json?.code === 'idempotencyProcessing')) return r.status;
    } catch {
      // a dropped connection: retry with the same token
    }
    await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
  }
  return 0;
}

describe('several nodes on one PostgreSQL', () => {
  before(async () => {
    db = await createDatabase(testDatabaseUrl());
    const directory = buildDirectory();
    nodes.push(await startServer({ directory, databaseUrl: db }));
    // The other nodes start once the first has migrated and loaded the directory.
    nodes.push(await startServer({ databaseUrl: db }));
    nodes.push(await startServer({ databaseUrl: db, extraArgs: ['--workers', '2'] }));
    const res = await fetch(`${nodes[0]!.baseUrl}/v1.0/oauth2/accessToken`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ACME.app),
    });
    token = ((await res.json()) as { accessToken: string }).accessToken;
    sql = new pg.Client({ connectionString: db });
    await sql.connect();
  });

  after(async () => {
    await sql?.end();
    for (const node of nodes) await node.cleanup();
    nodes = [];
  });

  it('a token issued by one node is accepted by all, and a change through one is seen by all at once', async () => {
    const id = await createEvent(nodes[0]!, 'seen everywhere');
    const added = await call(nodes[1]!, 'POST', `${events(U.alice)}/${id}/attendees`, { attendeesToAdd: [{ id: U.bob }] });
    assert.equal(added.status, 200);
    for (const node of nodes) {
      const r = await call(node, 'GET', `${events(U.alice)}/${id}/attendees`);
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.attendees.map((a: any) => a.id), [U.bob]);
    }
    const health = await fetch(`${nodes[2]!.baseUrl}/healthz`);
    assert.deepEqual(await health.json(), { status: 'ok', store: 'postgres' });
  });

  it(`${CLIENTS} clients adding, removing and re-adding attendees of one event keep it consistent`, async () => {
    const id = await createEvent(nodes[0]!, 'churn');
    const path = `${events(U.alice)}/${id}/attendees`;
    const pool = bulkIds(0, POOL);
    let acknowledged = 0;
    await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
      for (let op = 0; op < OPS_PER_CLIENT; op++) {
        const batch = Array.from({ length: 1 + Math.floor(Math.random() * 20) }, () => pick(pool));
        const remove = Math.random() < 0.4;
        const status = remove
          ? await writeWithRetries(`${path}/batchRemove`, { attendeesToRemove: batch.map((u) => ({ id: u })) }, `churn-${c}-${op}`)
          : await writeWithRetries(path, { attendeesToAdd: batch.map((u) => ({ id: u })) }, `churn-${c}-${op}`);
        assert.equal(status, 200, `client ${c} op ${op} failed`);
        acknowledged++;
      }
    }));
    assert.equal(acknowledged, CLIENTS * OPS_PER_CLIENT);

    const rows = await sql.query('SELECT ref FROM attendees WHERE event_id = (SELECT id FROM events WHERE attendee_count >= 0 AND summary = $1)', ['churn']);
    const counted = await sql.query("SELECT attendee_count FROM events WHERE summary = 'churn'");
    assert.equal(Number(counted.rows[0].attendee_count), rows.rowCount, 'the kept count equals the rows');
    const dupes = await sql.query('SELECT event_id, kind, ref, count(*) FROM attendees GROUP BY event_id, kind, ref HAVING count(*) > 1');
    assert.equal(dupes.rowCount, 0, 'no attendee is duplicated');
    // Every node lists exactly what the database holds.
    const expected = new Set((await sql.query(`SELECT u.union_id FROM attendees a JOIN users u ON u.id = a.ref JOIN events e ON e.id = a.event_id WHERE e.summary = 'churn'`)).rows.map((r) => r.union_id as string));
    for (const node of nodes) {
      const seen = new Set<string>();
      let next: string | undefined;
      do {
        const r = await call(node, 'GET', `${path}?maxResults=500${next ? `&nextToken=${next}` : ''}`);
        for (const a of r.json.attendees) seen.add(a.id);
        next = r.json.nextToken;
      } while (next);
      assert.deepEqual([...seen].sort(), [...expected].sort());
    }
  });

  it('the 5,000 cap holds whatever the interleaving of adds on several nodes', async () => {
    const id = await createEvent(nodes[0]!, 'cap race');
    const path = `${events(U.alice)}/${id}/attendees`;
    // 11 batches of 500, overlapping by 40 (5,100 people in all), race for 5,000 places.
    const results = await Promise.all(Array.from({ length: 11 }, (_, b) =>
      call(nodes[b % nodes.length]!, 'POST', path, { attendeesToAdd: bulkIds(b * 460, b * 460 + 500).map((u) => ({ id: u })) })));
    const counted = await sql.query("SELECT attendee_count, (SELECT count(*) FROM attendees a WHERE a.event_id = e.id) AS n FROM events e WHERE summary = 'cap race'");
    const { attendee_count: kept, n } = counted.rows[0];
    assert.ok(Number(n) <= 5000, `the event holds ${n} attendees`);
    assert.equal(Number(kept), Number(n));
    for (const r of results) assert.ok(r.status === 200 || (r.status === 400 && r.json.code === 'invalidParameter'), JSON.stringify(r.json));
    assert.ok(results.some((r) => r.status !== 200), 'some batch was refused at the cap');
  });

  it('an x-client-token takes effect exactly once across nodes', async () => {
    const id = await createEvent(nodes[0]!, 'once');
    const body = { attendeesToAdd: [U.carol, U.dave, U.erin].map((u) => ({ id: u })) };
    const path = `${events(U.alice)}/${id}/attendees`;
    for (let round = 0; round < 5; round++) {
      const clientToken = `once-${round}`;
      const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => call(nodes[i % nodes.length]!, 'POST', path, body, clientToken)));
      for (const r of replies) assert.ok(r.status === 200 || r.json?.code === 'idempotencyProcessing', JSON.stringify(r.json));
      await call(nodes[0]!, 'POST', `${path}/batchRemove`, { attendeesToRemove: body.attendeesToAdd }, `once-remove-${round}`);
    }
    // Each round's token applied its add once: one `attendee.added` change per round, no more.
    const changes = await sql.query("SELECT count(*) AS n FROM outbox o JOIN events e ON e.id = o.event_id WHERE e.summary = 'once' AND o.topic = 'attendee.added' AND o.channel = 'change'");
    assert.equal(Number(changes.rows[0].n), 5);
  });
});
