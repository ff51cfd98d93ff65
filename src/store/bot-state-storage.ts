import type { Storage, StoreItems } from 'botbuilder-core';
import type { Kysely } from 'kysely';
import type { RedisClient } from '../coord/redis-coordinator.js';
import type { Database } from './schema.js';

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
    const rows = await this.db
      .selectFrom('bot_state')
      .select(['key', 'doc'])
      .where('key', 'in', keys)
      .execute();
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.doc)]));
  }

  async write(changes: StoreItems): Promise<void> {
    const now = this.now();
    for (const [key, value] of Object.entries(changes)) {
      const doc = JSON.stringify(value);
      await this.db
        .insertInto('bot_state')
        .values({ key, doc, updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ doc, updated_at: now }))
        .execute();
    }
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
