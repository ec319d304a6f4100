import { PostgresAdapter, type ColumnDataType, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

/**
 * An auto-numbered primary key, as each store spells it: SQLite `INTEGER PRIMARY KEY
 * AUTOINCREMENT` (never reuses a number), PostgreSQL `bigserial`.
 */
export function serialKey(db: Kysely<any>): [ColumnDataType, (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? ['bigserial', (c) => c.primaryKey()]
    : ['integer', (c) => c.primaryKey().autoIncrement()];
}
