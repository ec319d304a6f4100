import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Exceptions of recurring series (RFC 5545 §3.8.4.4 RECURRENCE-ID): an occurrence that was
 * changed or cancelled is an event row of its own, bound to its series by `series_master_id`
 * (the master's id) and `original_start` (the occurrence's start as the rule produced it, ms).
 * Occurrences that were never changed are not stored: they are expanded from the master on read.
 * One exception per occurrence: the pair is unique, so two writers materializing the same
 * occurrence cannot both succeed.
 */
export const seriesExceptions: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('events').addColumn('series_master_id', 'text').execute();
    await db.schema.alterTable('events').addColumn('original_start', 'bigint').execute();
    await db.schema.createIndex('events_by_series_occurrence').unique().on('events')
      .columns(['series_master_id', 'original_start'])
      .where(sql.ref('series_master_id'), 'is not', null).execute();
    await db.schema.alterTable('rooms').addColumn('approval', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.createIndex('attendees_by_room').on('attendees').columns(['ref', 'event_id'])
      .where(sql.ref('kind'), '=', 'resource').execute();
  },
};
