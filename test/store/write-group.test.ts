import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/db.js';
import type { WriteDb } from '../../src/store/write-group.js';
import { tempDir } from '../helpers/app.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { useStore } from '../helpers/store.js';

/** A row in the key-value table, as a job writes it. */
const put = (key: string) => (db: WriteDb) =>
  db
    .insertInto('kv')
    .values({ key, value: 'v', updated_at: 1 })
    .execute()
    .then(() => key);

describe('the SQLite write group', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('runs the writes asked for together in one transaction, in order', async () => {
    store = await openStore({ dataDir: tempDir() });
    const seen: WriteDb[] = [];
    const order: string[] = [];
    const job = (key: string) => async (db: WriteDb) => {
      seen.push(db);
      order.push(key);
      return put(key)(db);
    };
    const results = await Promise.all(['a', 'b', 'c'].map((k) => store!.write(job(k))));
    expect(results).toEqual(['a', 'b', 'c']);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]!.isTransaction).toBe(true);
    // Asked for later: a group of its own.
    await store.write(job('d'));
    expect(seen[3]).not.toBe(seen[0]);
  });

  it('fails only the write that failed: the others of its group are kept', async () => {
    store = await openStore({ dataDir: tempDir() });
    const bad = async (db: WriteDb) => {
      await put('half-written')(db);
      throw new Error('refused');
    };
    const outcomes = await Promise.allSettled([
      store.write(put('first')),
      store.write(bad),
      store.write(put('third')),
      // The same key twice in one group: the second breaks on the primary key, alone.
      store.write(put('first')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
    ]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'refused' });
    const keys = await store.db.selectFrom('kv').select('key').orderBy('key').execute();
    expect(keys.map((k) => k.key)).toEqual(['first', 'third']);
    // Nothing is left open: the next write commits.
    await store.write(put('after'));
    const { rows } = await sql<{ n: number }>`select count(*) as n from kv`.execute(store.db);
    expect(Number(rows[0]!.n)).toBe(3);
  });
});

describe('PostgreSQL: which writes wait for the server to flush its log', () => {
  const store = useStore(true, 'wflush');
  const setting = async (db: WriteDb) =>
    (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db)).rows[0]!
      .synchronous_commit;

  it('the writes of every turn do not; everything else waits as the server is configured', async () => {
    const server = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await server.connect();
    let configured: string;
    try {
      configured = (await server.query<{ synchronous_commit: string }>('show synchronous_commit'))
        .rows[0]!.synchronous_commit;
    } finally {
      await server.end();
    }
    expect(await store().write(setting)).toBe('off');
    expect(await setting(store().db)).toBe(configured);
    // Both pools see the same schema: what one writes, the other reads at once.
    await store().write(put('relaxed'));
    const row = await store().db.selectFrom('kv').select('key').executeTakeFirst();
    expect(row?.key).toBe('relaxed');
  });
});
