import type { Storage, StoreItems } from 'botbuilder-core';
import type { Kysely, QueryCreator } from 'kysely';
import type { RedisClient } from '../coord/redis-coordinator.js';
import { Prepared, type Slot } from './prepared.js';
import type { Database } from './schema.js';

const READ_STATE = new Prepared<{ key: string; doc: string }>((db, $, n) =>
  db
    .selectFrom('bot_state')
    .select(['key', 'doc'])
    .where(
      'key',
      'in',
      Array.from({ length: n }, (_, i) => $(`key${i}`)),
    ),
);

/** Upserts `n` dialog state documents (placeholders key0, doc0, …, now). */
export function upsertStates(db: QueryCreator<Database>, $: Slot, n: number) {
  return db
    .insertInto('bot_state')
    .values(
      Array.from({ length: n }, (_, i) => ({
        key: $(`key${i}`),
        doc: $(`doc${i}`),
        updated_at: $('now'),
      })),
    )
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        doc: eb.ref('excluded.doc'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    );
}

/** Deletes `n` dialog state documents (placeholders deleted0, deleted1, …). */
export function deleteStates(db: QueryCreator<Database>, $: Slot, n: number) {
  return db.deleteFrom('bot_state').where(
    'key',
    'in',
    Array.from({ length: n }, (_, i) => $(`deleted${i}`)),
  );
}

const WRITE_STATE = new Prepared((db, $) => upsertStates(db, $, 1));
const DELETE_STATE = new Prepared((db, $) => deleteStates(db, $, 1));

/** Writes one dialog state document (null: deletes it), inside the caller's transaction when given. */
export async function writeState(
  db: Kysely<Database>,
  key: string,
  value: unknown,
  now: number,
): Promise<void> {
  if (value === null) await DELETE_STATE.execute(db, { deleted0: key });
  else await WRITE_STATE.execute(db, { key0: key, doc0: JSON.stringify(value), now });
}

/**
 * botbuilder `Storage` over our SQL store. Turns of one conversation are serialised by the
 * inbox, so last-writer-wins is safe here; eTags are not checked.
 */
export class SqlBotStorage implements Storage {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const rows = await READ_STATE.rows(
      this.db,
      Object.fromEntries(keys.map((k, i) => [`key${i}`, k])),
      keys.length,
    );
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.doc)]));
  }

  async write(changes: StoreItems): Promise<void> {
    const now = this.now();
    for (const [key, value] of Object.entries(changes)) await writeState(this.db, key, value, now);
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.deleteFrom('bot_state').where('key', 'in', keys).execute();
  }
}

/** botbuilder `Storage` in Redis (used when REDIS_URL is set); entries expire after `ttlSeconds`. */
export class RedisBotStorage implements Storage {
  constructor(
    private readonly client: RedisClient,
    private readonly key: (k: string) => string,
    private readonly ttlSeconds = 30 * 24 * 3600,
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const values = await this.client.mGet(keys.map(this.key));
    const items: StoreItems = {};
    keys.forEach((k, i) => {
      const v = values[i];
      if (typeof v === 'string') items[k] = JSON.parse(v);
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [k, value] of Object.entries(changes)) {
      await this.client.set(this.key(k), JSON.stringify(value), { EX: this.ttlSeconds });
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.client.del(keys.map(this.key));
  }
}
