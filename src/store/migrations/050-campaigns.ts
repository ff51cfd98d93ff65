import type { Kysely } from 'kysely';
import { idColumn, millis, primaryId, type Dialect } from '../migration-helpers.js';

/**
 * Campaign sources (a banner, a school, a vehicle...) and the arrivals through their links. An
 * arrival names the contact by row id only; erasing the contact clears the link and keeps the
 * count.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('campaigns')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('ref', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      /** Folded name (no case, no diacritics): two campaigns cannot share it. */
      .addColumn('name_key', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('place', 'text', (c) => c.notNull())
      .addColumn('province', 'text', (c) => c.notNull())
      /** The flow the links open ("registration:<id>", "faq:<id>", "announcements"), or null. */
      .addColumn('flow', 'text')
      .addColumn('created_at', millis(dialect), (c) => c.notNull())
      .addColumn('retired_at', millis(dialect))
      .execute();

    await db.schema
      .createTable('campaign_arrivals')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      /** Null: the link named no campaign we know (an old poster, a retired or mistyped code). */
      .addColumn('campaign_id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
        c.references('campaigns.id').onDelete('set null'),
      )
      /** The reference as it arrived when it matched no campaign (bounded; never personal). */
      .addColumn('unknown_ref', 'text')
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('contact_id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
        c.references('contacts.id').onDelete('set null'),
      )
      /** 1: the person was new to the bot when they arrived; 0: they had talked to it before. */
      .addColumn('first_contact', 'integer', (c) => c.notNull())
      .addColumn('at', millis(dialect), (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('campaign_arrivals_at_idx')
      .on('campaign_arrivals')
      .columns(['at'])
      .execute();
    await db.schema
      .createIndex('campaign_arrivals_contact_idx')
      .on('campaign_arrivals')
      .columns(['contact_id', 'at'])
      .execute();
  };
}
