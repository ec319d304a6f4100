// Two Kalends nodes on one PostgreSQL racing to book one meeting room for overlapping events:
// exactly one booking wins each round (the room's row lock orders the overlap checks), the
// loser gets DingTalk's 400 meetingRoomNotAvailable, and the room never holds two accepted
// bookings that overlap.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { ACME, buildDirectory, U } from '../helpers/directory.ts';
import { createDatabase, testDatabaseUrl } from '../helpers/postgres.ts';
import { startServer, type KalendsServer } from '../helpers/server.ts';

const ROUNDS = 8;

let db: string;
const nodes: KalendsServer[] = [];
let sql: pg.Client;
let token: string;

async function call(node: KalendsServer, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${node.baseUrl}${path}`, {
    method, headers: { 'x-acs-dingtalk-access-token': token, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

const events = (user: string) => `/v1.0/calendar/users/${user}/calendars/primary/events`;

async function createEvent(node: KalendsServer, user: string, start: string, end: string): Promise<string> {
  const r = await call(node, 'POST', events(user), {
    summary: 'Race', start: { dateTime: start, timeZone: 'Asia/Shanghai' }, end: { dateTime: end, timeZone: 'Asia/Shanghai' },
  });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.id as string;
}

describe('two nodes race to book one room', () => {
  before(async () => {
    db = await createDatabase(testDatabaseUrl());
    nodes.push(await startServer({ directory: buildDirectory({ bulk: false }), databaseUrl: db }));
    nodes.push(await startServer({ databaseUrl: db }));
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
  });

  it('exactly one of two simultaneous overlapping bookings wins, every round', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const day = String(round + 1).padStart(2, '0');
      const a = await createEvent(nodes[0]!, U.alice, `2037-01-${day}T10:00:00+08:00`, `2037-01-${day}T11:00:00+08:00`);
      const b = await createEvent(nodes[1]!, U.bob, `2037-01-${day}T10:30:00+08:00`, `2037-01-${day}T11:30:00+08:00`);
      const [ra, rb] = await Promise.all([
        call(nodes[0]!, 'POST', `${events(U.alice)}/${a}/meetingRooms`, { meetingRoomsToAdd: [{ roomId: 'omm_orion' }] }),
        call(nodes[1]!, 'POST', `${events(U.bob)}/${b}/meetingRooms`, { meetingRoomsToAdd: [{ roomId: 'omm_orion' }] }),
      ]);
      const statuses = [ra.status, rb.status].sort();
      assert.deepEqual(statuses, [200, 400], `round ${round}: ${JSON.stringify([ra.json, rb.json])}`);
      const loser = ra.status === 400 ? ra : rb;
      assert.equal(loser.json.code, 'meetingRoomNotAvailable');
    }
    const booked = await sql.query(`select count(*)::int as n from attendees a join rooms r on r.id = a.ref
      where a.kind = 'resource' and r.room_id = 'omm_orion' and a.partstat = 'ACCEPTED'`);
    assert.equal(booked.rows[0].n, ROUNDS);
  });
});
