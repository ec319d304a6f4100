import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';
import { serialKey } from './serial-key.ts';

/**
 * DingTalk's sign-in, sign-out and legacy event ids:
 * - `event_sign_ins`: one row per user, event and kind (`in`: signIn/checkIn, `out`: signOut),
 *   with the sandbox time it happened; the first one counts (a second sign-in keeps it).
 * - `event_sign_in_links`: the page a getSignInLink / getSignOutLink hands out, one per event
 *   and kind, named by an unguessable token (the link is the capability, as DingTalk's is).
 * - `event_legacy_ids`: every event's numeric legacy id (convertLegacyEventId), given by the
 *   store when the event row is inserted (a trigger, so every insert path numbers its events,
 *   exceptions of a series included) and never reused; events already there are numbered in
 *   the order they were created.
 */
export const dingtalkSignIn: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('event_sign_ins')
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('event_sign_ins_pk', ['event_id', 'kind', 'user_id'])
      .execute();
    await db.schema
      .createTable('event_sign_in_links')
      .addColumn('token', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('event_sign_in_links_by_event').unique().on('event_sign_in_links').columns(['event_id', 'kind']).execute();
    const [type, key] = serialKey(db);
    await db.schema
      .createTable('event_legacy_ids')
      .addColumn('legacy_id', type, key)
      .addColumn('event_id', 'text', (c) => c.notNull().unique())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .execute();
    await sql`insert into event_legacy_ids (event_id, tenant_id) select id, tenant_id from events order by created_at, id`.execute(db);
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`create function number_event() returns trigger language plpgsql as $$
        begin insert into event_legacy_ids (event_id, tenant_id) values (new.id, new.tenant_id); return new; end $$`.execute(db);
      await sql`create trigger events_legacy_id after insert on events for each row execute function number_event()`.execute(db);
    } else {
      await sql`create trigger events_legacy_id after insert on events
        begin insert into event_legacy_ids (event_id, tenant_id) values (new.id, new.tenant_id); end`.execute(db);
    }
  },
};
