import { sql, type Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import { hasRowLocks } from '../row-lock.ts';
import type { Db } from '../store.ts';
import { PreparedQuery } from '../prepared-query.ts';
import { powerChunks } from '../power-chunks.ts';

export type DeliveryRow = Selectable<Database['deliveries']>;

/**
 * A delivery as fan-out plans it: the columns an insert writes (the attempts' columns start
 * empty). A change makes one per app, or for Feishu one per app and subscribed calendar, each
 * with an `event_id` of its own: `outbox_id`, `app_id` and `event_id` tell a pass's apart.
 */
export type PlannedDelivery = Pick<DeliveryRow,
  'tenant_id' | 'app_id' | 'outbox_id' | 'event_type' | 'event_id' | 'url' | 'transport' | 'payload' | 'status' | 'attempts' | 'created_at' | 'next_attempt_at'>;

/** Rows per insert at most (12 parameters each: PostgreSQL allows 65,535, SQLite 32,766). */
const INSERT_CHUNK = 64;

/**
 * The insert of a list of deliveries, compiled once per list length (`powerChunks` keeps the
 * lengths to a few): building and compiling a 40-row insert with Kysely's builder cost more than
 * SQLite took to write it, on the stream sender's hot path (bench/README.md). Returns the ids
 * with the two columns that tell a pass's deliveries apart.
 */
const insertPlanned = new PreparedQuery((db, a: { rows: readonly PlannedDelivery[] }) =>
  db.insertInto('deliveries').values(a.rows.map((r) => ({
    tenant_id: r.tenant_id, app_id: r.app_id, outbox_id: r.outbox_id, event_type: r.event_type, event_id: r.event_id, url: r.url,
    transport: r.transport, payload: r.payload, status: r.status, attempts: r.attempts, created_at: r.created_at, next_attempt_at: r.next_attempt_at,
  }))).returning(['id', 'outbox_id', 'app_id', 'event_id']), ['rows']);

export async function insertDeliveries(db: Db, rows: readonly PlannedDelivery[]): Promise<void> {
  for (const chunk of powerChunks(rows, INSERT_CHUNK)) await insertPlanned.run(db, { rows: chunk });
}

/**
 * Inserts deliveries that are claimed already (`sending`, their first attempt counted, leased
 * until `next_attempt_at`), for the process that is about to push them.
 * @returns the rows as stored, by id (made here from the rows given and their new ids: reading
 *   them back cost a copy of every payload).
 */
export async function insertClaimedDeliveries(db: Db, rows: readonly PlannedDelivery[]): Promise<DeliveryRow[]> {
  const stored: DeliveryRow[] = [];
  const key = (r: Pick<DeliveryRow, 'outbox_id' | 'app_id' | 'event_id'>) => `${r.outbox_id}\u0000${r.app_id}\u0000${r.event_id}`;
  for (const chunk of powerChunks(rows, INSERT_CHUNK)) {
    const byKey = new Map(chunk.map((r) => [key(r), r]));
    const inserted = await insertPlanned.rows(db, { rows: chunk });
    // Two rows alike in all three (none is planned so): the ids in order are the rows in order,
    // as both stores number a multi-row insert's rows in the order of its VALUES.
    const alike = byKey.size < chunk.length;
    if (alike) inserted.sort((a, b) => Number(a.id) - Number(b.id));
    for (const [i, r] of inserted.entries()) {
      const row = alike ? chunk[i]! : byKey.get(key(r))!;
      stored.push({
        id: Number(r.id), tenant_id: row.tenant_id, app_id: row.app_id, outbox_id: row.outbox_id, event_type: row.event_type, event_id: row.event_id,
        url: row.url, transport: row.transport, payload: row.payload, status: row.status, attempts: row.attempts, created_at: row.created_at,
        next_attempt_at: row.next_attempt_at, sent_body: null, sent_headers: null, last_status: null, last_reply: null, last_error: null, finished_at: null,
      });
    }
  }
  return stored.sort((a, b) => a.id - b.id);
}

/** Which deliveries a claim takes: those of one transport, and for `stream` only those of some apps. */
export interface ClaimFilter {
  transport: 'http' | 'stream';
  /** Internal app ids (stream: the apps whose connections this process holds). */
  appIds?: readonly string[];
}

/**
 * Claims up to `limit` deliveries that are due (pending, or `sending` whose lease ran out
 * because the dispatcher that held them stopped): marks them `sending` until `now + leaseMs`
 * and counts the attempt. On PostgreSQL the candidates are picked `FOR UPDATE SKIP LOCKED`,
 * so two dispatchers never claim the same delivery.
 * @param only the transport (default `http`) and, optionally, the apps whose deliveries to take.
 */
export async function claimDueDeliveries(db: Db, now: number, limit: number, leaseMs: number, only: ClaimFilter = { transport: 'http' }): Promise<DeliveryRow[]> {
  if (only.appIds && only.appIds.length === 0) return [];
  const appIds = only.appIds;
  // A read first, so an idle pass never takes SQLite's write lock.
  let probe = db.selectFrom('deliveries').select('id').where('status', 'in', ['pending', 'sending'])
    .where('next_attempt_at', '<=', now).where('transport', '=', only.transport);
  if (appIds) probe = probe.where('app_id', 'in', appIds);
  const due = await probe.limit(1).executeTakeFirst();
  if (!due) return [];
  const rows = await db.updateTable('deliveries')
    .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), next_attempt_at: now + leaseMs }))
    .where('id', 'in', (eb) => {
      let pick = eb.selectFrom('deliveries').select('id')
        .where('status', 'in', ['pending', 'sending']).where('next_attempt_at', '<=', now).where('transport', '=', only.transport)
        .orderBy('next_attempt_at').limit(limit);
      if (appIds) pick = pick.where('app_id', 'in', appIds);
      if (hasRowLocks(db)) pick = pick.forUpdate().skipLocked();
      return pick;
    })
    .returningAll().execute();
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * Marks `dead` the stream deliveries that have been due since before `dueBefore` (machine ms)
 * without being claimed: no process held a connection of their app all that time (a process
 * that holds one claims its due pushes within a pass). Reads first, so an idle pass never takes
 * SQLite's write lock.
 * @param finishedAt the sandbox clock's now (ms), the deliveries' `finished_at`.
 * @returns how many went dead.
 */
export async function expireUnclaimedStreamDeliveries(db: Db, dueBefore: number, finishedAt: number, reason: string): Promise<number> {
  const due = await db.selectFrom('deliveries').select('id').where('status', 'in', ['pending', 'sending'])
    .where('next_attempt_at', '<', dueBefore).where('transport', '=', 'stream').limit(1).executeTakeFirst();
  if (!due) return 0;
  const result = await db.updateTable('deliveries').set({ status: 'dead', last_error: reason, finished_at: finishedAt })
    .where('status', 'in', ['pending', 'sending']).where('next_attempt_at', '<', dueBefore).where('transport', '=', 'stream')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** What an attempt's outcome writes; `status` `pending` schedules the next try at `next_attempt_at`. */
export type AttemptFields = Pick<DeliveryRow, 'status' | 'next_attempt_at' | 'sent_body' | 'sent_headers' | 'last_status' | 'last_reply' | 'last_error' | 'finished_at'>;

/**
 * One attempt to record: the delivery, the attempt number its claim made, and what it gave, in
 * one flat object (a stream sender makes one per push; an object nesting the fields cost a copy).
 */
export interface AttemptRecord extends AttemptFields {
  id: number;
  attempt: number;
}

/** Records one attempt's outcome; `status` `pending` schedules the next try at `next_attempt_at`. */
export async function recordAttempt(db: Db, id: number, attempt: number, fields: AttemptFields): Promise<void> {
  // Only the claim that made this attempt may record it: a dispatcher whose lease ran out and
  // whose delivery was claimed again by another must not overwrite the newer attempt.
  await db.updateTable('deliveries').set(fields).where('id', '=', id).where('attempts', '=', attempt).execute();
}

/**
 * Records many attempts' outcomes, each row written only if its claim's attempt is still the
 * last one, as `recordAttempt`. A stream sender records every push it makes: building and
 * running an update per push was a tenth of the server's time under a steady flow of pushes
 * (bench/README.md).
 * - PostgreSQL: one `UPDATE … FROM json_to_recordset` of the attempts given as one JSON
 *   parameter; its text is the same whatever the number of attempts, so it is prepared once.
 * - SQLite: `UPDATE … FROM (VALUES …)` (since 3.33, https://www.sqlite.org/lang_update.html#update_from)
 *   per `powerChunks` chunk, the attempts as plain parameters. SQLite's `json_each` with a
 *   `json_extract` per column cost it three times a prepared update per row (the frames sent are
 *   strings inside the JSON), and Kysely's work per statement ate the rest back.
 */
export async function recordAttempts(db: Db, records: readonly AttemptRecord[]): Promise<void> {
  if (records.length === 0) return;
  if (hasRowLocks(db)) {
    await recordAttemptsPg(JSON.stringify(records)).execute(db);
    return;
  }
  for (const chunk of powerChunks(records, RECORD_CHUNK)) await recordSqlite.run(db, { records: chunk });
}

const SET_RECORDED = sql`status = v.status, next_attempt_at = v.next_attempt_at, sent_body = v.sent_body, sent_headers = v.sent_headers,
  last_status = v.last_status, last_reply = v.last_reply, last_error = v.last_error, finished_at = v.finished_at`;

function recordAttemptsPg(json: string) {
  return sql`update deliveries set ${SET_RECORDED}
    from json_to_recordset(cast(${json} as json)) as v(id bigint, attempt integer, status text, next_attempt_at bigint,
      sent_body text, sent_headers text, last_status integer, last_reply text, last_error text, finished_at bigint)
    where deliveries.id = v.id and deliveries.attempts = v.attempt`;
}

/** Attempts per SQLite update at most (10 parameters each). */
const RECORD_CHUNK = 64;

/**
 * SQLite's update of a list of attempts from a VALUES list, whose columns SQLite names
 * `column1`, `column2`… (https://www.sqlite.org/lang_select.html#values): compiled once per
 * list length.
 */
const recordSqlite = new PreparedQuery((db, a: { records: readonly AttemptRecord[] }) => {
  const rows = a.records.map((f) =>
    sql`(${f.id}, ${f.attempt}, ${f.status}, ${f.next_attempt_at}, ${f.sent_body}, ${f.sent_headers}, ${f.last_status}, ${f.last_reply}, ${f.last_error}, ${f.finished_at})`);
  const query = sql`update deliveries set status = v.column3, next_attempt_at = v.column4, sent_body = v.column5, sent_headers = v.column6,
    last_status = v.column7, last_reply = v.column8, last_error = v.column9, finished_at = v.column10
    from (values ${sql.join(rows)}) as v
    where deliveries.id = v.column1 and deliveries.attempts = v.column2`;
  return { compile: () => query.compile(db) };
}, ['records']);

/** Deliveries, newest first, optionally of one app and one status, at most `limit`. */
export function listDeliveries(db: Db, filter: { appId?: string; status?: string; limit: number }): Promise<DeliveryRow[]> {
  let query = db.selectFrom('deliveries').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.appId) query = query.where('app_id', '=', filter.appId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.execute();
}
