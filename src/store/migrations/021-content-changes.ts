import type { Kysely } from 'kysely';
import { idColumn, millis, primaryId, type Dialect } from '../migration-helpers.js';

/**
 * Organiser data changed from the dashboard (an event, the contacts): every version kept as
 * the whole item after the change, with who and when, like `faq_changes`.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('content_changes')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      /** "event" (item = the event id) or "contacts" (item = "contacts"). */
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('item', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      /** The whole item after the change, as JSON. */
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at', millis(dialect), (c) => c.notNull())
      // Two organisers saving the same version of an item: the second insert fails.
      .addUniqueConstraint('content_changes_item_version', ['kind', 'item', 'version'])
      .execute();
  };
}
