import { sql, type Kysely } from 'kysely';
import { idColumn, millis, primaryId, type Dialect } from '../migration-helpers.js';

/** Broadcasts and their durable per-recipient deliveries (one row per contact, never two). */
export function up(dialect: Dialect) {
  const ref = dialect === 'postgres' ? 'bigint' : 'integer';
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('broadcasts')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('button', 'text')
      .addColumn('segment', 'text', (c) => c.notNull())
      .addColumn('schedule_at', millis(dialect), (c) => c.notNull())
      .addColumn('plan', 'text')
      .addColumn('created_at', millis(dialect), (c) => c.notNull())
      .addColumn('updated_at', millis(dialect), (c) => c.notNull())
      .addColumn('started_at', millis(dialect))
      .addColumn('finished_at', millis(dialect))
      .execute();
    await db.schema
      .createIndex('broadcasts_status_idx')
      .on('broadcasts')
      .columns(['status', 'schedule_at'])
      .execute();

    await db.schema
      .createTable('deliveries')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('broadcast_id', ref, (c) =>
        c.notNull().references('broadcasts.id').onDelete('cascade'),
      )
      // 005 turns this into ON DELETE SET NULL: erasure unlinks the rows, counts remain.
      .addColumn('contact_id', ref, (c) =>
        c.notNull().references('contacts.id').onDelete('cascade'),
      )
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('locale', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('billed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('message_id', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', millis(dialect), (c) => c.notNull())
      .addColumn('created_at', millis(dialect), (c) => c.notNull())
      .addColumn('updated_at', millis(dialect), (c) => c.notNull())
      .addColumn('sent_at', millis(dialect))
      .addColumn('receipt', 'text')
      .addColumn('receipt_at', millis(dialect))
      .addUniqueConstraint('deliveries_broadcast_contact_uq', ['broadcast_id', 'contact_id'])
      .execute();
    // The engine claims the oldest pending rows of one channel. Partial indexes stay as small as
    // the work left, so a claim does not scan the rows already sent (queries repeat the literal
    // status so both engines can use them).
    await db.schema
      .createIndex('deliveries_pending_idx')
      .on('deliveries')
      .columns(['channel', 'id'])
      .where(sql.ref('status'), '=', sql.lit('pending'))
      .execute();
    await db.schema
      .createIndex('deliveries_sending_idx')
      .on('deliveries')
      .column('updated_at')
      .where(sql.ref('status'), '=', sql.lit('sending'))
      .execute();
    await db.schema
      .createIndex('deliveries_broadcast_status_idx')
      .on('deliveries')
      .columns(['broadcast_id', 'status'])
      .execute();
    // Receipts name platform message ids (Viber, Zalo) or a user and a watermark (Messenger).
    await db.schema
      .createIndex('deliveries_message_idx')
      .on('deliveries')
      .columns(['channel', 'message_id'])
      .execute();
    await db.schema
      .createIndex('deliveries_user_idx')
      .on('deliveries')
      .columns(['channel', 'user_id'])
      .execute();
  };
}
