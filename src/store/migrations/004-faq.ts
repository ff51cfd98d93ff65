import type { Kysely } from 'kysely';
import { idColumn, millis, primaryId, type Dialect } from '../migration-helpers.js';

/** Questions the bot could not answer, so organisers can add answers (no personal data). */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('unanswered_questions')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      // Forgetting a contact forgets the link, not the question.
      .addColumn('contact_id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
        c.references('contacts.id').onDelete('set null'),
      )
      /** "none": the menu was shown; "suggested": "Did you mean...?" buttons were offered. */
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('asked_at', millis(dialect), (c) => c.notNull())
      .execute();
  };
}
