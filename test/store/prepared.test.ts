import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { isUniqueViolation } from '../../src/store/db.js';
import { Prepared, runStatementsOnPool } from '../../src/store/prepared.js';
import type { Database } from '../../src/store/schema.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { ENGINES, useStore } from '../helpers/store.js';

describe.each(ENGINES)('prepared statements on $name', ({ pg }) => {
  const store = useStore(pg, 'prep');

  it('builds once and runs with each call’s values, constants kept, sizes apart', async () => {
    let builds = 0;
    const insert = new Prepared((db, $, n) => {
      builds += 1;
      return db.insertInto('kv').values(
        Array.from({ length: n }, (_, i) => ({
          key: $(`key${i}`),
          value: $('value'),
          updated_at: 7,
        })),
      );
    });
    const select = new Prepared<{ key: string; value: string; updated_at: number }>((db, $) =>
      db.selectFrom('kv').selectAll().where('key', '=', $('key')),
    );
    await insert.execute(store().db, { key0: 'a', value: 'one' });
    await insert.execute(store().db, { key0: 'b', key1: 'c', value: 'two' }, 2);
    await insert.execute(store().db, { key0: 'd', value: 'three' });
    expect(builds).toBe(2);
    const rows = await Promise.all(
      ['a', 'b', 'c', 'd'].map((key) => select.rows(store().db, { key })),
    );
    expect(rows.map((r) => [r[0]?.value, Number(r[0]?.updated_at)])).toEqual([
      ['one', 7],
      ['two', 7],
      ['two', 7],
      ['three', 7],
    ]);
    // Inside a transaction too, which rolls back with it.
    await expect(
      store()
        .db.transaction()
        .execute(async (trx) => {
          await insert.execute(trx, { key0: 'e', value: 'four' });
          throw new Error('roll back');
        }),
    ).rejects.toThrow('roll back');
    expect(await select.rows(store().db, { key: 'e' })).toEqual([]);
  });

  it('answers inside a transaction as outside it: counts, ids, returned rows; failures reject', async () => {
    const insert = new Prepared((db, $) =>
      db.insertInto('kv').values({ key: $('key'), value: $('value'), updated_at: 1 }),
    );
    const update = new Prepared<{ value: string }>((db, $) =>
      db
        .updateTable('kv')
        .set({ value: $('value') })
        .where('key', '=', $('key'))
        .returning('value'),
    );
    const outside = await insert.execute(store().db, { key: 'o', value: 'v' });
    const outsideUpdate = await update.execute(store().db, { key: 'o', value: 'w' });
    await store()
      .db.transaction()
      .execute(async (trx) => {
        const inside = await insert.execute(trx, { key: 'i', value: 'v' });
        expect(Object.keys(inside).sort()).toEqual(Object.keys(outside).sort());
        expect(inside.numAffectedRows).toBe(1n);
        expect(typeof inside.insertId).toBe(typeof outside.insertId);
        const insideUpdate = await update.execute(trx, { key: 'i', value: 'w' });
        expect(insideUpdate.rows).toEqual(outsideUpdate.rows);
        expect(insideUpdate.rows).toEqual([{ value: 'w' }]);
      });
    // A failing statement rejects its promise (it does not throw where it is called).
    await expect(
      store()
        .db.transaction()
        .execute(async (trx) => {
          const duplicate = insert.execute(trx, { key: 'i', value: 'again' });
          expect(duplicate).toBeInstanceOf(Promise);
          await duplicate;
        }),
    ).rejects.toThrow(/unique|duplicate/i);
    const select = new Prepared<{ value: string }>((db, $) =>
      db.selectFrom('kv').select('value').where('key', '=', $('key')),
    );
    expect(await select.rows(store().db, { key: 'i' })).toEqual([{ value: 'w' }]);
  });

  it('outside a transaction, waits for another caller’s open transaction instead of joining it', async () => {
    const insert = new Prepared((db, $) =>
      db.insertInto('kv').values({ key: $('key'), value: 'x', updated_at: 1 }),
    );
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const inTransaction = new Promise<void>((resolve) => (started = resolve));
    const other = store()
      .db.transaction()
      .execute(async (trx) => {
        await insert.execute(trx, { key: 'theirs' });
        started();
        await gate;
        throw new Error('roll back');
      });
    await inTransaction;
    const mine = insert.execute(store().db, { key: 'mine' });
    release();
    await expect(other).rejects.toThrow('roll back');
    await mine;
    const keys = await store().db.selectFrom('kv').select('key').orderBy('key').execute();
    expect(keys.map((k) => k.key)).toEqual(['mine']);
  });

  it('refuses a missing value and a value kysely would write into the SQL text', async () => {
    const select = new Prepared((db, $) =>
      db.selectFrom('kv').selectAll().where('key', '=', $('key')),
    );
    await expect(select.rows(store().db, {})).rejects.toThrow(/no value/);
    const inlined = new Prepared((db, $) =>
      db
        .selectFrom('kv')
        .selectAll()
        .where('key', '=', sql.lit($('key'))),
    );
    await expect(inlined.rows(store().db, { key: 'x' })).rejects.toThrow(/inlines a parameter/);
  });
});

describe('prepared statements on PostgreSQL run as named statements', () => {
  const store = useStore(true, 'prepnamed');
  let pool: pg.Pool | undefined;
  afterEach(async () => {
    await pool?.end();
    pool = undefined;
  });

  /** The store's schema on a pool of one connection, with and without the named-statement path. */
  function onePool(): { named: Kysely<Database>; plain: Kysely<Database>; pool: pg.Pool } {
    const schema = currentSchema;
    pool = new pg.Pool({
      connectionString: TEST_DATABASE_URL,
      max: 1,
      options: `-c search_path=${schema}`,
    });
    const named = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    runStatementsOnPool(named, pool);
    const plain = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { named, plain, pool };
  }
  let currentSchema = '';
  beforeEach(async () => {
    const row = await sql<{ schema: string }>`select current_schema() as schema`.execute(
      store().db,
    );
    currentSchema = row.rows[0]!.schema;
  });

  it('prepares each statement once per connection and then only binds values', async () => {
    const { named, pool } = onePool();
    const select = new Prepared<{ value: string }>((db, $) =>
      db.selectFrom('kv').select('value').where('key', '=', $('key')),
    );
    await named.insertInto('kv').values({ key: 'k', value: 'v', updated_at: 1 }).execute();
    for (let i = 0; i < 3; i++)
      expect(await select.rows(named, { key: 'k' })).toEqual([{ value: 'v' }]);
    const prepared = await pool.query<{ name: string; statement: string }>(
      "select name, statement from pg_prepared_statements where name like 'llw_%'",
    );
    expect(prepared.rows).toHaveLength(1);
    expect(prepared.rows[0]!.statement).toContain('from "kv"');
  });

  it('answers as kysely does: affected rows, returned rows, and errors with their codes', async () => {
    const { named, plain } = onePool();
    const insert = new Prepared((db, $) =>
      db.insertInto('kv').values({ key: $('key'), value: $('value'), updated_at: 1 }),
    );
    const update = new Prepared<{ value: string }>((db, $) =>
      db
        .updateTable('kv')
        .set({ value: $('value') })
        .where('key', 'like', $('pattern'))
        .returning('value'),
    );
    const remove = new Prepared((db, $) => db.deleteFrom('kv').where('key', 'like', $('pattern')));
    const select = new Prepared<{ key: string; updated_at: number }>((db, $) =>
      db
        .selectFrom('kv')
        .select(['key', 'updated_at'])
        .where('key', 'like', $('pattern'))
        .orderBy('key'),
    );
    for (const [db, p] of [
      [named, 'n'],
      [plain, 'p'],
    ] as const) {
      await insert.execute(db, { key: `${p}1`, value: 'a' });
      await insert.execute(db, { key: `${p}2`, value: 'a' });
    }
    const results = await Promise.all(
      [named, plain].map(async (db, i) => {
        const pattern = `${i === 0 ? 'n' : 'p'}%`;
        const updated = await update.execute(db, { pattern, value: 'b' });
        const rows = await select.rows(db, { pattern });
        const removed = await remove.execute(db, { pattern });
        return {
          updated,
          rows: rows.map((r) => ({ ...r, key: r.key.slice(1) })),
          removed,
        };
      }),
    );
    expect(results[0]).toEqual(results[1]);
    expect(results[0]!.updated).toEqual({
      numAffectedRows: 2n,
      rows: [{ value: 'b' }, { value: 'b' }],
    });
    expect(results[0]!.removed.numAffectedRows).toBe(2n);
    await insert.execute(named, { key: 'dup', value: 'a' });
    const duplicate = await insert
      .execute(named, { key: 'dup', value: 'a' })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate)).toBe(true);
  });
});
