import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dialect } from '../../src/store/migration-helpers.js';
import { migrations } from '../../src/store/migration-list.js';
import { openStore, type Store } from '../../src/store/db.js';
import { dropSchema, tempDir } from '../helpers/app.js';
import { TEST_DATABASE_URL, uniqueName } from '../helpers/env.js';

/** A database migrated up to (and including) `last`, as an older release left it. */
async function migratedTo(
  dialect: Dialect,
  where: { dataDir: string; schema: string },
  last: string,
): Promise<Kysely<unknown>> {
  let db: Kysely<unknown>;
  if (dialect === 'postgres') {
    const pool = new pg.Pool({
      connectionString: TEST_DATABASE_URL,
      options: `-c search_path=${where.schema}`,
    });
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${where.schema}"`);
    db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  } else {
    const database = new SQLite(path.join(where.dataDir, 'bot.sqlite'));
    database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    db = new Kysely({ dialect: new SqliteDialect({ database }) });
  }
  const migrator = new Migrator({
    db,
    provider: {
      getMigrations: async () =>
        Object.fromEntries(migrations.map(([name, up]) => [name, { up: up(dialect) }])),
    },
    ...(dialect === 'postgres' ? { migrationTableSchema: where.schema } : {}),
  });
  const { error } = await migrator.migrateTo(last);
  if (error) throw new Error(`migrating to ${last} failed`, { cause: error });
  return db;
}

describe.each(['sqlite', 'postgres'] as const)('migration 005 on %s', (dialect) => {
  const where = { dataDir: tempDir(), schema: uniqueName('mig') };
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    if (dialect === 'postgres') await dropSchema(where.schema);
  });

  it('keeps existing deliveries and unlinks them (not deletes them) when a contact goes', async () => {
    const old = await migratedTo(dialect, where, '004-faq');
    await sql`INSERT INTO contacts (channel, user_id, first_seen_at, opted_in)
      VALUES ('zalo', 'z-1', 1, 1), ('zalo', 'z-2', 1, 1)`.execute(old);
    await sql`INSERT INTO broadcasts (status, message, segment, schedule_at, created_at, updated_at)
      VALUES ('done', '{"vi":"a"}', '{}', 1, 1, 1)`.execute(old);
    await sql`INSERT INTO deliveries (broadcast_id, contact_id, channel, user_id, status,
        message_id, next_attempt_at, created_at, updated_at, sent_at, receipt)
      SELECT 1, id, channel, user_id, 'sent', 'm-' || user_id, 1, 1, 1, 1, 'read'
      FROM contacts ORDER BY id`.execute(old);
    await old.destroy();

    store = await openStore(
      dialect === 'postgres'
        ? { dataDir: where.dataDir, databaseUrl: TEST_DATABASE_URL, pgSchema: where.schema }
        : { dataDir: where.dataDir },
    );
    const rows = () =>
      store!.db
        .selectFrom('deliveries')
        .select(['id', 'contact_id', 'user_id', 'status', 'message_id', 'receipt'])
        .orderBy('id')
        .execute();
    expect(await rows()).toEqual([
      {
        id: 1,
        contact_id: 1,
        user_id: 'z-1',
        status: 'sent',
        message_id: 'm-z-1',
        receipt: 'read',
      },
      {
        id: 2,
        contact_id: 2,
        user_id: 'z-2',
        status: 'sent',
        message_id: 'm-z-2',
        receipt: 'read',
      },
    ]);
    await store.db.deleteFrom('contacts').where('user_id', '=', 'z-1').execute();
    expect((await rows()).map((r) => r.contact_id)).toEqual([null, 2]);
    if (dialect === 'sqlite') {
      const indexes = await sql<{ name: string }>`SELECT name FROM sqlite_master
        WHERE type = 'index' AND tbl_name = 'deliveries' AND sql IS NOT NULL ORDER BY name`.execute(
        store.db,
      );
      // The engine's claims depend on the partial indexes of 003, rebuilt with the table.
      expect(indexes.rows.map((r) => r.name)).toEqual([
        'deliveries_broadcast_status_idx',
        'deliveries_message_idx',
        'deliveries_pending_idx',
        'deliveries_sending_idx',
        'deliveries_user_idx',
      ]);
    }
    // Still one row per contact and broadcast.
    await expect(
      store.db
        .insertInto('deliveries')
        .values({
          broadcast_id: 1,
          contact_id: 2,
          channel: 'zalo',
          user_id: 'z-2',
          status: 'pending',
          next_attempt_at: 1,
          created_at: 1,
          updated_at: 1,
        })
        .execute(),
    ).rejects.toThrow(/unique|duplicate/i);
    // A broadcast's rows still go with it.
    await store.db.deleteFrom('broadcasts').execute();
    expect(await rows()).toEqual([]);
  });
});
