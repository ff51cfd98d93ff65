import { createHash } from 'node:crypto';
import type { Compilable, CompiledQuery, Kysely, QueryResult, SqliteDatabase } from 'kysely';
import type { Database } from './schema.js';

/** A placeholder for the parameter `name` while a statement is compiled once. */
export type Slot = (name: string) => never;

/** Builds the statement from placeholders; `size` tells the shape of a variable-size one (a row count). */
type Build<R, S> = (db: Kysely<Database>, $: Slot, size: S) => Compilable<R>;

const SENTINEL = '\u0000prepared:';

/** SQLite databases by their kysely adapter, which the database's transactions share. */
const sqliteHandles = new WeakMap<object, SqliteDatabase>();

/**
 * Lets prepared statements inside `db`'s transactions run on `handle` directly. A transaction
 * holds SQLite's one connection until it ends, so its statements are the only ones running on
 * the handle meanwhile; kysely's way there (its connection provider, mutex and promise chain per
 * statement) cost about 1.5 µs and a few hundred bytes per statement, and a turn runs four or five
 * in transactions. Outside a transaction statements still go through kysely, which keeps them from
 * running inside another caller's open transaction.
 */
export function runTransactionsOn(db: Kysely<Database>, handle: SqliteDatabase): void {
  sqliteHandles.set(db.getExecutor().adapter, handle);
}

/** A statement on a SQLite transaction's connection, answered as kysely's SQLite driver answers. */
function runOnHandle<R>(
  handle: SqliteDatabase,
  sql: string,
  parameters: readonly unknown[],
): Promise<QueryResult<R>> {
  try {
    const statement = handle.prepare(sql);
    if (statement.reader) return Promise.resolve({ rows: statement.all(parameters) as R[] });
    const { changes, lastInsertRowid } = statement.run(parameters);
    return Promise.resolve({
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
      rows: [],
    });
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** What of a node-postgres pool a prepared statement uses. */
export interface StatementPool {
  query(config: {
    name: string;
    text: string;
    values: unknown[];
  }): Promise<{ command: string; rowCount: number | null; rows: unknown[] }>;
}

/** PostgreSQL pools by their kysely adapter (each Kysely instance has its own). */
const pgPools = new WeakMap<object, StatementPool>();

/**
 * Lets prepared statements on `db` (outside transactions) run on `pool` as named statements:
 * each pooled connection parses and plans one the first time it runs it and then only binds new
 * values, where kysely's driver sends the SQL text to be parsed and planned again every time. The
 * hot path's statements on PostgreSQL are single statements (the turn's commit is one, with
 * data-modifying CTEs), so transactions keep going through kysely.
 */
export function runStatementsOnPool(db: Kysely<Database>, pool: StatementPool): void {
  pgPools.set(db.getExecutor().adapter, pool);
}

/** A named statement on a pool, answered as kysely's PostgreSQL driver answers. */
async function runOnPool<R>(
  pool: StatementPool,
  name: string,
  sql: string,
  parameters: unknown[],
): Promise<QueryResult<R>> {
  const { command, rowCount, rows } = await pool.query({ name, text: sql, values: parameters });
  const changed =
    command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
  return {
    ...(changed ? { numAffectedRows: BigInt(rowCount ?? 0) } : {}),
    rows: (rows ?? []) as R[],
  };
}

interface Compiled<R> {
  query: CompiledQuery<R>;
  /** The statement's name on PostgreSQL: the same SQL always gets the same name. */
  name: string;
  /** For each parameter of the SQL: the name of the caller's value, or the constant itself. */
  slots: Array<{ name: string } | { constant: unknown }>;
}

/**
 * A statement of the hot path (every turn runs it), built with kysely once per dialect and size
 * and then run with new parameters, skipping kysely's query building and compiling, which cost
 * about a sixth of a turn's CPU (profile in README "Performance"). Values are named through `$`;
 * a value kysely would inline into the SQL text instead of binding fails the first compile.
 */
export class Prepared<R, S extends number | string = number> {
  private readonly compiled = new Map<unknown, Map<S, Compiled<R>>>();

  constructor(private readonly build: Build<R, S>) {}

  /** Runs the statement on `db` (a transaction too) with `params` by name. */
  execute(
    db: Kysely<Database>,
    params: Record<string, unknown>,
    size: S = 1 as S,
  ): Promise<QueryResult<R>> {
    const { query, slots, name } = this.compile(db, size);
    const parameters = slots.map((s) => ('name' in s ? params[s.name] : s.constant));
    for (let i = 0; i < parameters.length; i++)
      if (parameters[i] === undefined)
        throw new Error(`prepared statement: no value for ${JSON.stringify(slots[i])}`);
    if (db.isTransaction) {
      const handle = sqliteHandles.get(db.getExecutor().adapter);
      if (handle) return runOnHandle<R>(handle, query.sql, parameters);
    } else {
      const pool = pgPools.get(db.getExecutor().adapter);
      if (pool) return runOnPool<R>(pool, name, query.sql, parameters);
    }
    return db.executeQuery<R>({
      sql: query.sql,
      query: query.query,
      queryId: query.queryId,
      parameters,
    });
  }

  /** Rows of the statement. */
  async rows(
    db: Kysely<Database>,
    params: Record<string, unknown>,
    size: S = 1 as S,
  ): Promise<R[]> {
    return (await this.execute(db, params, size)).rows;
  }

  private compile(db: Kysely<Database>, n: S): Compiled<R> {
    // One compile per dialect: a transaction shares its database's adapter.
    const adapter = db.getExecutor().adapter.constructor;
    let bySize = this.compiled.get(adapter);
    if (!bySize) this.compiled.set(adapter, (bySize = new Map()));
    let compiled = bySize.get(n);
    if (compiled) return compiled;
    const names = new Set<string>();
    const query = this.build(
      db,
      (name) => {
        names.add(name);
        return `${SENTINEL}${name}` as never;
      },
      n,
    ).compile();
    if (query.sql.includes(SENTINEL))
      throw new Error(`prepared statement inlines a parameter into its SQL: ${query.sql}`);
    const slots = query.parameters.map((p) =>
      typeof p === 'string' && p.startsWith(SENTINEL)
        ? { name: p.slice(SENTINEL.length) }
        : { constant: p },
    );
    for (const name of names)
      if (!slots.some((s) => 'name' in s && s.name === name))
        throw new Error(`prepared statement lost its parameter ${name}`);
    const name = `llw_${createHash('sha256').update(query.sql).digest('hex').slice(0, 32)}`;
    compiled = { query, slots, name };
    // Variable-size statements keep a handful of sizes; a burst of unusual ones is compiled anew.
    if (bySize.size >= 64) bySize.clear();
    bySize.set(n, compiled);
    return compiled;
  }
}
