import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Small durable key-value records (platform tokens, settings an operator changes at run time). */
export class KvRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get<T>(key: string): Promise<T | undefined> {
    const row = await this.db
      .selectFrom('kv')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async set(key: string, value: unknown, now: number): Promise<void> {
    const text = JSON.stringify(value);
    await this.db
      .insertInto('kv')
      .values({ key, value: text, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: text, updated_at: now }))
      .execute();
  }

  async delete(key: string): Promise<void> {
    await this.db.deleteFrom('kv').where('key', '=', key).execute();
  }
}
