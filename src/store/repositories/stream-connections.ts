import type { ExpressionBuilder, Insertable, Selectable } from 'kysely';
import { systemClock } from '../../core/clock.ts';
import type { Database } from '../schema.ts';
import type { Db } from '../store.ts';

/**
 * How long a connection's row stays fresh without its holder refreshing it (ms, machine time).
 * Holders refresh every CONNECTION_REFRESH_MS; a holder that died stops being one after this.
 */
export const CONNECTION_FRESH_MS = 30_000;
/** How often a holder refreshes its connections' rows and reads close requests (ms). */
export const CONNECTION_REFRESH_MS = 1_000;

export type StreamConnectionRow = Selectable<Database['stream_connections']>;

/** Stores a ticket that opens one connection of `appId` before `expiresAt` (machine ms). */
export async function insertTicket(db: Db, ticket: string, appId: string, expiresAt: number): Promise<void> {
  await db.insertInto('stream_tickets').values({ ticket, app_id: appId, expires_at: expiresAt, used_at: null }).execute();
}

/**
 * Spends a ticket: atomically marks it used if it is unused and unexpired, whatever process
 * tries. Expired and spent tickets older than `now` are swept on the way.
 * @returns the app's internal id, or undefined when the ticket opens nothing.
 */
export async function spendTicket(db: Db, ticket: string, now: number): Promise<string | undefined> {
  const row = await db.updateTable('stream_tickets').set({ used_at: now })
    .where('ticket', '=', ticket).where('used_at', 'is', null).where('expires_at', '>', now)
    .returning('app_id').executeTakeFirst();
  await db.deleteFrom('stream_tickets').where('expires_at', '<=', now).execute();
  return row?.app_id;
}

export async function insertConnection(db: Db, row: Insertable<Database['stream_connections']>): Promise<void> {
  await db.insertInto('stream_connections').values(row).execute();
}

export async function deleteConnection(db: Db, id: string): Promise<void> {
  await db.deleteFrom('stream_connections').where('id', '=', id).execute();
}

/**
 * Refreshes the rows of the connections `holder` has open and drops those of its connections
 * that closed meanwhile (and rows gone stale anywhere).
 * @returns the ids of its connections the admin API asked to close.
 */
export async function refreshConnections(db: Db, holder: string, open: readonly string[], now: number): Promise<string[]> {
  await db.deleteFrom('stream_connections').where('seen_at', '<', now - CONNECTION_FRESH_MS).execute();
  if (open.length === 0) return [];
  await db.updateTable('stream_connections').set({ seen_at: now }).where('holder', '=', holder).where('id', 'in', open).execute();
  const closing = await db.selectFrom('stream_connections').select('id')
    .where('holder', '=', holder).where('close_requested', '=', 1).execute();
  return closing.map((r) => r.id);
}

/** Open connections (fresh rows), oldest first, optionally of one app. */
export function listConnections(db: Db, filter: { appId?: string } = {}): Promise<StreamConnectionRow[]> {
  let query = db.selectFrom('stream_connections').selectAll().where('seen_at', '>=', systemClock.now() - CONNECTION_FRESH_MS);
  if (filter.appId) query = query.where('app_id', '=', filter.appId);
  return query.orderBy('opened_at').orderBy('id').execute();
}

/** Asks the connection's holder to close it (at its next refresh). @returns whether it exists. */
export async function requestClose(db: Db, id: string): Promise<boolean> {
  const result = await db.updateTable('stream_connections').set({ close_requested: 1 }).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * The condition "the app (aliased `a`) receives events", for queries over `apps as a`: by HTTP
 * when it chose `http` and has a URL; by stream when it chose `stream` and has an open
 * connection now (a fresh row, machine time: connection liveness, like delivery leases, does
 * not follow the sandbox clock).
 */
export function receivesEvents(eb: ExpressionBuilder<Database & { a: Database['apps'] }, 'a'>) {
  const since = systemClock.now() - CONNECTION_FRESH_MS;
  return eb.or([
    eb.and([eb('a.event_delivery', '=', 'http'), eb('a.event_callback_url', 'is not', null)]),
    eb.and([
      eb('a.event_delivery', '=', 'stream'),
      eb.exists(eb.selectFrom('stream_connections as c').select('c.id').whereRef('c.app_id', '=', 'a.id').where('c.seen_at', '>=', since)),
    ]),
  ]);
}
