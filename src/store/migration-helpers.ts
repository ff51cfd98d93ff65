import type { ColumnDataType } from 'kysely';

/** The two SQL engines the store runs on. */
export type Dialect = 'sqlite' | 'postgres';

/** Auto-increment primary key type for the dialect. */
export function idColumn(dialect: Dialect): ColumnDataType {
  return dialect === 'postgres' ? 'bigserial' : 'integer';
}

/** Epoch-millisecond column type for the dialect. */
export function millis(dialect: Dialect): ColumnDataType {
  return dialect === 'postgres' ? 'bigint' : 'integer';
}
