import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * Users get an integer number (`users.seq`, unique, never reused), and a user attendee keeps its
 * user's number (`attendees.user_seq`; null for chats, rooms and e-mail attendees). The index
 * that finds a user's events ("events I am invited to") is on that number, partial on user
 * attendees, in place of `attendees_by_ref (ref, kind)` on the 36-character internal id.
 *
 * Why: an index entry of a small integer is about a fifth of one of a 36-character id, so a
 * 500-attendee add touches that many fewer index pages, and each of those pages is written to
 * the WAL at COMMIT. bench/micro.ts (`--fill 600`, 300,000 attendees stored): the old index
 * alone cost ~9 ms of a 17 ms add-500 (COMMIT 6 ms, insert 5 ms; without it 0.7 and 2.4 ms).
 *
 * Numbers: PostgreSQL `bigserial`, which numbers the rows already there; SQLite cannot add
 * such a column, so existing users take their rowid and a trigger gives a new user
 * max(seq) + 1 (SQLite's write transactions are serial, so two inserts never read the same
 * maximum). Both stores leave a number given explicitly alone.
 */
export const attendeesByUserNumber: Migration = {
  async up(db: Kysely<any>) {
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await db.schema.alterTable('users').addColumn('seq', 'bigserial', (c) => c.notNull()).execute();
    } else {
      await db.schema.alterTable('users').addColumn('seq', 'integer').execute();
      await sql`update users set seq = rowid`.execute(db);
      await sql`create trigger users_number after insert on users when new.seq is null
        begin update users set seq = (select coalesce(max(seq), 0) + 1 from users) where rowid = new.rowid; end`.execute(db);
    }
    await db.schema.createIndex('users_by_seq').unique().on('users').column('seq').execute();
    await db.schema.alterTable('attendees').addColumn('user_seq', 'bigint').execute();
    await sql`update attendees set user_seq = (select seq from users where users.id = attendees.ref) where kind = 'user'`.execute(db);
    await db.schema.dropIndex('attendees_by_ref').execute();
    await db.schema.createIndex('attendees_by_user').on('attendees').column('user_seq')
      .where(sql.ref('user_seq'), 'is not', null).execute();
  },
};
