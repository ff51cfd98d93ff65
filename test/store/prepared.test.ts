import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Prepared } from '../../src/store/prepared.js';
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
