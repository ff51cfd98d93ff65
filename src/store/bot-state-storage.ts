import type { Storage, StoreItems } from 'botbuilder-core';
import type { Kysely } from 'kysely';
import type { RedisClient } from '../coord/redis-coordinator.js';
import { Prepared } from './prepared.js';
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

const WRITE_STATE = new Prepared((db, $) =>
  db
    .insertInto('bot_state')
    .values({ key: $('key'), doc: $('doc'), updated_at: $('now') })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        doc: eb.ref('excluded.doc'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    ),
);

const DELETE_STATE = new Prepared((db, $) =>
  db.deleteFrom('bot_state').where('key', '=', $('key')),
);

/** Writes one dialog state document (null: deletes it), inside the caller's transaction when given. */
export async function writeState(
  db: Kysely<Database>,
  key: string,
  value: unknown,
  now: number,
): Promise<void> {
  if (value === null) await DELETE_STATE.execute(db, { key });
  else await WRITE_STATE.execute(db, { key, doc: JSON.stringify(value), now });
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
