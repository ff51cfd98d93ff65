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
