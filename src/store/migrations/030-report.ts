import type { Kysely } from 'kysely';
import { idColumn, millis, primaryId, type Dialect } from '../migration-helpers.js';

/**
 * The results report: anonymous daily counters (messages received, questions answered per FAQ
 * topic: keys and numbers, never text or who), frozen snapshots of the bot's figures per edition,
 * and the organisers' draft, one row per saved version.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('daily_counts')
      // Local calendar day (yyyy-mm-dd, BOT_TIMEZONE) and what was counted ("inbound:zalo:message").
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('n', millis(dialect), (c) => c.notNull())
      .addPrimaryKeyConstraint('daily_counts_pk', ['day', 'key'])
      .execute();

    await db.schema
      .createTable('report_snapshots')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('edition', 'text', (c) => c.notNull())
      .addColumn('taken_at', millis(dialect), (c) => c.notNull())
      .addColumn('taken_by', 'text', (c) => c.notNull())
      // JSON: the sections with their tables (counts only).
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('report_snapshots_edition_idx')
      .on('report_snapshots')
      .columns(['edition', 'id'])
      .execute();

    await db.schema
      .createTable('report_drafts')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('edition', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('saved_at', millis(dialect), (c) => c.notNull())
      .addColumn('saved_by', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      // Two writers of the same version: the second insert fails, and is answered 409.
      .addUniqueConstraint('report_drafts_version_uq', ['edition', 'version'])
      .execute();
  };
}
