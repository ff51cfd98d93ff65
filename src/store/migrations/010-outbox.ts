import { sql, type Kysely } from 'kysely';
import { idColumn, millis, primaryId, type Dialect } from '../migration-helpers.js';

/**
 * The outbox: every message the bot sends (replies, notices, proactive turns) is a row written in
 * the same transaction as the turn that produced it, then delivered by the outbox sender.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('outbox')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('conversation', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      // What a notice row reports back to (registration_notices.id); null for replies.
      .addColumn('ref', millis(dialect))
      .addColumn('body', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', millis(dialect), (c) => c.notNull())
      .addColumn('deadline', millis(dialect), (c) => c.notNull())
      .addColumn('created_at', millis(dialect), (c) => c.notNull())
      .addColumn('updated_at', millis(dialect), (c) => c.notNull())
      .execute();
    // Open rows of one conversation, oldest first (what the sender claims from).
    await db.schema
      .createIndex('outbox_open_idx')
      .on('outbox')
      .columns(['conversation', 'id'])
      .where(sql.ref('status'), 'in', sql`('pending', 'sending')`)
      .execute();
    await db.schema
      .createIndex('outbox_due_idx')
      .on('outbox')
      .column('next_attempt_at')
      .where(sql.ref('status'), '=', sql.lit('pending'))
      .execute();
    await db.schema
      .createIndex('outbox_done_idx')
      .on('outbox')
      .column('updated_at')
      .where(sql.ref('status'), 'not in', sql`('pending', 'sending')`)
      .execute();
  };
}
