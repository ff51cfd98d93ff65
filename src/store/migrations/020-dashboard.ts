import type { Kysely } from 'kysely';
import { idColumn, millis, primaryId, type Dialect } from '../migration-helpers.js';

/**
 * The organiser dashboard: admin tokens (hashed) with roles, browser sessions, who asked for and
 * who approved each broadcast, attendance, what was done with an unanswered question, and the
 * FAQ changes made at run time (every version kept: who changed what, when).
 */
export function up(dialect: Dialect) {
  const ref = dialect === 'postgres' ? 'bigint' : 'integer';
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('admin_tokens')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      /** "env" for the owner bootstrapped from ADMIN_TOKEN, "store" for tokens owners create. */
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', millis(dialect), (c) => c.notNull())
      .addColumn('revoked_at', millis(dialect))
      .addColumn('last_used_at', millis(dialect))
      .execute();

    await db.schema
      .createTable('admin_sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('token_id', ref, (c) =>
        c.notNull().references('admin_tokens.id').onDelete('cascade'),
      )
      .addColumn('created_at', millis(dialect), (c) => c.notNull())
      .addColumn('expires_at', millis(dialect), (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('broadcast_approvals')
      .addColumn('broadcast_id', ref, (c) =>
        c.primaryKey().references('broadcasts.id').onDelete('cascade'),
      )
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('requested_at', millis(dialect), (c) => c.notNull())
      .addColumn('approved_by', 'text')
      .addColumn('approved_at', millis(dialect))
      .execute();

    await db.schema
      .createTable('attendance')
      .addColumn('registration_id', ref, (c) =>
        c.primaryKey().references('registrations.id').onDelete('cascade'),
      )
      .addColumn('marked_by', 'text', (c) => c.notNull())
      .addColumn('marked_at', millis(dialect), (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('question_resolutions')
      .addColumn('question_id', ref, (c) =>
        c.primaryKey().references('unanswered_questions.id').onDelete('cascade'),
      )
      /** "answered" (sent to the citizen), "faq" (added to the FAQ) or "dismissed". */
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at', millis(dialect), (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('faq_changes')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('entry_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      /** The whole entry after the change, as JSON. */
      .addColumn('entry', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at', millis(dialect), (c) => c.notNull())
      // Two organisers saving the same version of an entry: the second insert fails.
      .addUniqueConstraint('faq_changes_entry_version', ['entry_id', 'version'])
      .execute();
  };
}
