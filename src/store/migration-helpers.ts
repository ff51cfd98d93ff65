import type { ColumnDataType, ColumnDefinitionBuilder } from 'kysely';

/** The two SQL engines the store runs on. */
export type Dialect = 'sqlite' | 'postgres';

/** Auto-increment primary key type for the dialect. */
export function idColumn(dialect: Dialect): ColumnDataType {
  return dialect === 'postgres' ? 'bigserial' : 'integer';
}

/** Constraints of an auto-increment primary key (`bigserial` needs no AUTOINCREMENT keyword). */
export function primaryId(
  dialect: Dialect,
): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return dialect === 'postgres' ? (c) => c.primaryKey() : (c) => c.primaryKey().autoIncrement();
}

/** Epoch-millisecond column type for the dialect. */
export function millis(dialect: Dialect): ColumnDataType {
  return dialect === 'postgres' ? 'bigint' : 'integer';
}
