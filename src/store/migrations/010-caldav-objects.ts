import { type Kysely, type Migration } from 'kysely';

/**
 * CalDAV calendar object resources (RFC 4791 §4.1): which event a resource name of a calendar
 * collection holds, the UID a client gave it, and what of the client's iCalendar Kalends does
 * not model (X- properties, VALARM details, ATTACH, CATEGORIES…), kept to be given back on GET.
 * A row is per collection: an attendee's copy of an invitation (on their primary calendar) has
 * its own name and its own kept remainder. Events without a row (made through the APIs) are
 * named `<event id>.ics` with the event id as UID. `deleted_at` marks a resource deleted by name
 * while its event lives on (an attendee removing an invitation: it declines), so it stays out of
 * the collection and a sync-collection reports it removed; `version` is the change-log position
 * of the row's last write (part of the ETag and of sync).
 */
export const caldavObjects: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('caldav_objects')
      .addColumn('calendar_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('uid', 'text', (c) => c.notNull())
      .addColumn('kept', 'text', (c) => c.notNull())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('deleted_at', 'bigint')
      .addPrimaryKeyConstraint('caldav_objects_pk', ['calendar_id', 'name'])
      .execute();
    await db.schema.createIndex('caldav_objects_by_uid').on('caldav_objects').columns(['tenant_id', 'uid']).execute();
    await db.schema.createIndex('caldav_objects_by_event').on('caldav_objects').columns(['event_id']).execute();
  },
};
