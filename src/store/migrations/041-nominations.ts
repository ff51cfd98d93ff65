import type { Kysely } from 'kysely';
import { idColumn, millis, primaryId, type Dialect } from '../migration-helpers.js';

/** Nominations of exemplary self-learners, with the organisers' review. */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('nominations')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('nominee_name', 'text', (c) => c.notNull())
      .addColumn('commune', 'text', (c) => c.notNull())
      .addColumn('province', 'text', (c) => c.notNull())
      .addColumn('story', 'text', (c) => c.notNull())
      .addColumn('contact', 'text', (c) => c.notNull())
      .addColumn('locale', 'text', (c) => c.notNull())
      .addColumn('consent_id', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
      .addColumn('nominee_agreed', 'integer', (c) => c.notNull())
      /** pending | accepted | rejected | commended */
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('review_note', 'text')
      .addColumn('created_at', millis(dialect), (c) => c.notNull())
      .addColumn('reviewed_at', millis(dialect))
      .execute();
    await db.schema
      .createIndex('nominations_user_idx')
      .on('nominations')
      .columns(['channel', 'user_id'])
      .execute();
  };
}
