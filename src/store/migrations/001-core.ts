import type { Kysely } from 'kysely';
import { idColumn, millis, primaryId, type Dialect } from '../migration-helpers.js';

/** Core tables: inbox (durable webhook events), contacts, dialog state, key-value, audit log. */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('inbox')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('conversation', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('body', 'text')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('received_at', millis(dialect), (c) => c.notNull())
      .addColumn('processed_at', millis(dialect))
      .addUniqueConstraint('inbox_channel_event_uq', ['channel', 'event_id'])
      .execute();
    await db.schema
      .createIndex('inbox_pending_idx')
      .on('inbox')
      .columns(['status', 'conversation', 'id'])
      .execute();

    await db.schema
      .createTable('contacts')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('locale', 'text')
      .addColumn('first_seen_at', millis(dialect), (c) => c.notNull())
      .addColumn('last_inbound_at', millis(dialect))
      .addColumn('followed', 'integer')
      .addColumn('opted_in', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('topics', 'text')
      .addColumn('province', 'text')
      .addColumn('audience', 'text')
      .addColumn('agent_paused_until', millis(dialect))
      .addUniqueConstraint('contacts_channel_user_uq', ['channel', 'user_id'])
      .execute();

    await db.schema
      .createTable('bot_state')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('doc', 'text', (c) => c.notNull())
      .addColumn('updated_at', millis(dialect), (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('kv')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', millis(dialect), (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('at', millis(dialect), (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .execute();
  };
}
