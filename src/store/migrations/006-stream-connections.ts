import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Event delivery over long connections (DingTalk Stream Mode, Feishu's WebSocket client):
 * - `apps.event_delivery`: `http` (callbacks POSTed to `event_callback_url`) or `stream`
 *   (pushed over the app's open connections); existing apps get `http` when they registered a
 *   URL, else `stream`, the directory file's default.
 * - `deliveries.transport`: how a planned delivery travels, `http` or `stream`, fixed when it is
 *   planned (a stream delivery's `url` is empty).
 * - `stream_tickets`: what a connection request hands out and the WebSocket upgrade spends
 *   once, shared by every process on the store (the upgrade may land on another worker).
 * - `stream_connections`: the open connections, one row each, naming the process that holds
 *   it (`holder`), refreshed by that process (`seen_at`); fan-out plans stream deliveries only
 *   for apps with a fresh row, and only the holder of an app's connection sends them.
 */
export const streamConnections: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('apps').addColumn('event_delivery', 'text').execute();
    await sql`update apps set event_delivery = case when event_callback_url is null then 'stream' else 'http' end`.execute(db);
    await db.schema.alterTable('deliveries').addColumn('transport', 'text', (c) => c.notNull().defaultTo('http')).execute();
    await db.schema
      .createTable('stream_tickets')
      .addColumn('ticket', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();
    await db.schema
      .createTable('stream_connections')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'bigint', (c) => c.notNull())
      .addColumn('seen_at', 'bigint', (c) => c.notNull())
      .addColumn('close_requested', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('stream_connections_by_app').on('stream_connections').columns(['app_id', 'seen_at']).execute();
  },
};
