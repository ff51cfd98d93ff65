import { sql, type Kysely } from 'kysely';
import { idColumn, millis, primaryId, type Dialect } from '../migration-helpers.js';

/**
 * Registrations for courses and training sessions, one lock row per session (capacity is
 * enforced under it), the consent ledger, reminder / promotion notices, and anonymous counters
 * that survive data erasure.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('registrations')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('course_id', 'text', (c) => c.notNull())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      // Personal fields are cleared when a registration is cancelled (kept only while needed).
      .addColumn('full_name', 'text')
      .addColumn('phone', 'text')
      .addColumn('province', 'text', (c) => c.notNull())
      .addColumn('audience', 'text', (c) => c.notNull())
      .addColumn('locale', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('consent_id', millis(dialect))
      .addColumn('created_at', millis(dialect), (c) => c.notNull())
      .addColumn('confirmed_at', millis(dialect))
      .addColumn('cancelled_at', millis(dialect))
      .execute();
    // The same phone holds at most one live registration per session.
    await db.schema
      .createIndex('registrations_session_phone_uq')
      .unique()
      .on('registrations')
      .columns(['session_id', 'phone'])
      .where(sql<boolean>`status in ('confirmed', 'waitlisted')`)
      .execute();
    await db.schema
      .createIndex('registrations_user_idx')
      .on('registrations')
      .columns(['channel', 'user_id'])
      .execute();
    await db.schema
      .createIndex('registrations_session_status_idx')
      .on('registrations')
      .columns(['session_id', 'status', 'id'])
      .execute();

    await db.schema
      .createTable('session_seats')
      .addColumn('session_id', 'text', (c) => c.primaryKey())
      .addColumn('capacity', 'integer', (c) => c.notNull())
      .addColumn('updated_at', millis(dialect), (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('consents')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('notice_version', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('at', millis(dialect), (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('consents_user_idx')
      .on('consents')
      .columns(['channel', 'user_id', 'purpose', 'id'])
      .execute();

    await db.schema
      .createTable('registration_notices')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('registration_id', millis(dialect), (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('billed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', millis(dialect), (c) => c.notNull())
      .addColumn('updated_at', millis(dialect), (c) => c.notNull())
      // One row per registration and kind: a restart never sends the same reminder twice.
      .addUniqueConstraint('registration_notices_uq', ['registration_id', 'kind'])
      .execute();
    await db.schema
      .createIndex('registration_notices_status_idx')
      .on('registration_notices')
      .columns(['status', 'id'])
      .execute();

    await db.schema
      .createTable('registration_stats')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('n', millis(dialect), (c) => c.notNull())
      .execute();
  };
}
