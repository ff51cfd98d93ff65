import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Adds to anonymous per-day counters (`day` is a local yyyy-mm-dd); keys never hold text or ids of people. */
export async function bumpDaily(
  db: Db,
  day: string,
  counts: Record<string, number>,
): Promise<void> {
  const values = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => ({ day, key, n }));
  if (values.length === 0) return;
  await db
    .insertInto('daily_counts')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['day', 'key']).doUpdateSet((eb) => ({
        n: eb('daily_counts.n', '+', eb.ref('excluded.n')),
      })),
    )
    .execute();
}

/** Counters whose key starts with `prefix`, for the days from `from` to `to` (inclusive). */
export async function readDaily(
  db: Db,
  prefix: string,
  from: string,
  to: string,
): Promise<Array<{ day: string; key: string; n: number }>> {
  const rows = await db
    .selectFrom('daily_counts')
    .select(['day', 'key', 'n'])
    .where('day', '>=', from)
    .where('day', '<=', to)
    .where('key', 'like', `${prefix.replace(/[%_\\]/g, '')}%`)
    .orderBy('day')
    .orderBy('key')
    .execute();
  return rows.map((r) => ({ day: r.day, key: r.key, n: Number(r.n) }));
}
