import { afterEach, beforeEach } from 'vitest';
import { openStore, type Store } from '../../src/store/db.js';
import { dropSchema, tempDir } from './app.js';
import { TEST_DATABASE_URL, uniqueName } from './env.js';

/** The two engines repository tests run on (`describe.each(ENGINES)('... on $name', ...)`). */
export const ENGINES = [
  { name: 'sqlite', pg: false },
  { name: 'postgres', pg: true },
] as const;

/**
 * A fresh store for each test of the suite: SQLite in a temporary folder, or PostgreSQL in a
 * schema of its own (named after `prefix`), dropped afterwards. Returns the current one.
 */
export function useStore(pg: boolean, prefix: string): () => Store {
  let store: Store | undefined;
  let schema = '';
  beforeEach(async () => {
    schema = uniqueName(prefix);
    store = await openStore(
      pg
        ? { dataDir: tempDir(), databaseUrl: TEST_DATABASE_URL, pgSchema: schema }
        : { dataDir: tempDir() },
    );
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    if (pg) await dropSchema(schema);
  });
  return () => {
    if (!store) throw new Error('useStore: the store exists only inside a test');
    return store;
  };
}
