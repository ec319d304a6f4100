import { sql, type Insertable, type Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import { hasRowLocks } from '../row-lock.ts';
import type { Db } from '../store.ts';

export type DeliveryRow = Selectable<Database['deliveries']>;
export type NewDelivery = Insertable<Database['deliveries']>;

export async function insertDeliveries(db: Db, rows: readonly NewDelivery[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('deliveries').values(rows.slice(i, i + 200)).execute();
}

/**
 * Inserts deliveries that are claimed already (`sending`, their first attempt counted, leased
 * until `next_attempt_at`), for the process that is about to push them.
 * @returns the rows as stored, by id.
 */
export async function insertClaimedDeliveries(db: Db, rows: readonly NewDelivery[]): Promise<DeliveryRow[]> {
  const stored: DeliveryRow[] = [];
  for (let i = 0; i < rows.length; i += 200) stored.push(...await db.insertInto('deliveries').values(rows.slice(i, i + 200)).returningAll().execute());
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

/** One attempt to record: the delivery, the attempt number its claim made, and what it gave. */
export interface AttemptRecord {
  id: number;
  attempt: number;
  fields: AttemptFields;
}

/** Records one attempt's outcome; `status` `pending` schedules the next try at `next_attempt_at`. */
export async function recordAttempt(db: Db, id: number, attempt: number, fields: AttemptFields): Promise<void> {
  // Only the claim that made this attempt may record it: a dispatcher whose lease ran out and
  // whose delivery was claimed again by another must not overwrite the newer attempt.
  await db.updateTable('deliveries').set(fields).where('id', '=', id).where('attempts', '=', attempt).execute();
}

/**
 * Records many attempts' outcomes in one statement: an `UPDATE … FROM` the attempts given as one
 * JSON parameter (PostgreSQL `json_to_recordset`; SQLite `json_each`, `UPDATE … FROM` since 3.33,
 * https://www.sqlite.org/lang_update.html#update_from), each row written only if its claim's
 * attempt is still the last one, as `recordAttempt`. The statement's text is the same whatever
 * the number of attempts, so it is prepared once. A stream sender records every push it makes:
 * building and running an update per push was a tenth of the server's time under a steady flow
 * of pushes (bench/README.md).
 */
export async function recordAttempts(db: Db, records: readonly AttemptRecord[]): Promise<void> {
  if (records.length === 0) return;
  const json = JSON.stringify(records.map(({ id, attempt, fields }) => ({ id, attempt, ...fields })));
  await (hasRowLocks(db) ? recordAttemptsPg(json) : recordAttemptsSqlite(json)).execute(db);
}

const SET_RECORDED = sql`status = v.status, next_attempt_at = v.next_attempt_at, sent_body = v.sent_body, sent_headers = v.sent_headers,
  last_status = v.last_status, last_reply = v.last_reply, last_error = v.last_error, finished_at = v.finished_at`;

function recordAttemptsPg(json: string) {
  return sql`update deliveries set ${SET_RECORDED}
    from json_to_recordset(cast(${json} as json)) as v(id bigint, attempt integer, status text, next_attempt_at bigint,
      sent_body text, sent_headers text, last_status integer, last_reply text, last_error text, finished_at bigint)
    where deliveries.id = v.id and deliveries.attempts = v.attempt`;
}

function recordAttemptsSqlite(json: string) {
  const field = (name: string) => sql`json_extract(value, ${sql.lit(`$.${name}`)}) as ${sql.ref(name)}`;
  const columns = ['id', 'attempt', 'status', 'next_attempt_at', 'sent_body', 'sent_headers', 'last_status', 'last_reply', 'last_error', 'finished_at'];
  return sql`update deliveries set ${SET_RECORDED}
    from (select ${sql.join(columns.map(field))} from json_each(${json})) as v
    where deliveries.id = v.id and deliveries.attempts = v.attempt`;
}

/** Deliveries, newest first, optionally of one app and one status, at most `limit`. */
export function listDeliveries(db: Db, filter: { appId?: string; status?: string; limit: number }): Promise<DeliveryRow[]> {
  let query = db.selectFrom('deliveries').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.appId) query = query.where('app_id', '=', filter.appId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.execute();
}
