import { sql, type Kysely } from 'kysely';
import { idColumn, millis, primaryId, type Dialect } from '../migration-helpers.js';

/**
 * Deliveries outlive the person they were for: erasing a contact unlinks its delivery rows
 * (`contact_id` becomes NULL, ON DELETE SET NULL) instead of deleting them, so a broadcast's
 * report keeps its counts after someone exercised the right to erasure.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    if (dialect === 'postgres') {
      await db.schema
        .alterTable('deliveries')
        .alterColumn('contact_id', (c) => c.dropNotNull())
        .execute();
      // PostgreSQL's name for the constraint 003 declared inline.
      await db.schema
        .alterTable('deliveries')
        .dropConstraint('deliveries_contact_id_fkey')
        .ifExists()
        .execute();
      await db.schema
        .alterTable('deliveries')
        .addForeignKeyConstraint('deliveries_contact_fk', ['contact_id'], 'contacts', ['id'], (c) =>
          c.onDelete('set null'),
        )
        .execute();
      return;
    }
    // SQLite cannot change a column's constraints: rebuild the table (same columns, same order).
    await db.transaction().execute(async (trx) => {
      await trx.schema
        .createTable('deliveries_next')
        .addColumn('id', idColumn(dialect), primaryId(dialect))
        .addColumn('broadcast_id', 'integer', (c) =>
          c.notNull().references('broadcasts.id').onDelete('cascade'),
        )
        .addColumn('contact_id', 'integer', (c) => c.references('contacts.id').onDelete('set null'))
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
      await sql`INSERT INTO deliveries_next SELECT * FROM deliveries`.execute(trx);
      await trx.schema.dropTable('deliveries').execute();
      await trx.schema.alterTable('deliveries_next').renameTo('deliveries').execute();
      // The indexes of 003, which went with the old table.
      await trx.schema
        .createIndex('deliveries_pending_idx')
        .on('deliveries')
        .columns(['channel', 'id'])
        .where(sql.ref('status'), '=', sql.lit('pending'))
        .execute();
      await trx.schema
        .createIndex('deliveries_sending_idx')
        .on('deliveries')
        .column('updated_at')
        .where(sql.ref('status'), '=', sql.lit('sending'))
        .execute();
      await trx.schema
        .createIndex('deliveries_broadcast_status_idx')
        .on('deliveries')
        .columns(['broadcast_id', 'status'])
        .execute();
      await trx.schema
        .createIndex('deliveries_message_idx')
        .on('deliveries')
        .columns(['channel', 'message_id'])
        .execute();
      await trx.schema
        .createIndex('deliveries_user_idx')
        .on('deliveries')
        .columns(['channel', 'user_id'])
        .execute();
    });
  };
}
