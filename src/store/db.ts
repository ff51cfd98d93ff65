import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Migration,
  type SqliteDatabase,
} from 'kysely';
import type { Dialect } from './migration-helpers.js';
import { migrations } from './migration-list.js';
import { runStatementsOnPool, runTransactionsOn } from './prepared.js';
import { SqliteScrubber } from './scrub.js';
import { directWriter, WriteGroup, type Writer } from './write-group.js';
import type { Database } from './schema.js';

/** The PostgreSQL driver, loaded only when DATABASE_URL is set (a SQLite start skips it). */
async function loadPg(): Promise<typeof import('pg').default> {
  const pg = (await import('pg')).default;
  // pg returns BIGINT as strings; our BIGINT columns are epoch milliseconds and ids, all < 2^53.
  // Platform ids are TEXT columns, so nothing that needs 64 bits goes through this parser.
  pg.types.setTypeParser(20, (value: string) => Number(value));
  return pg;
}

/** Where records live: SQLite under DATA_DIR by default, PostgreSQL when DATABASE_URL is set. */
export interface StoreOptions {
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL schema to use (tests give each suite its own). */
  pgSchema?: string;
  /** SQLite file name inside dataDir, or ':memory:'. */
  sqliteFile?: string;
  /** SQLite: how often a non-empty WAL is checkpointed and truncated (0: only after erasures). */
  checkpointIntervalMs?: number;
}

/** An open database with its dialect; `close()` releases it. */
export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /**
   * Runs writes whose commit must survive a power loss, not only a process crash (the inbox
   * before an ack). On SQLite other writes skip the fsync (WAL, synchronous=NORMAL); the next
   * durable commit syncs the log with everything before it.
   */
  durably<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Runs a small write as one atomic unit; on SQLite it shares one transaction with the other
   * writes asked for in the same turn of the event loop (see write-group.ts).
   */
  write: Writer;
  /**
   * Pushes deleted and cleared data off the disk now (SQLite: a TRUNCATE checkpoint of the WAL;
   * PostgreSQL: nothing, see README "Data protection" for VACUUM).
   */
  scrub(): Promise<void>;
  /** The same, a moment later: after an erasure whose turn still has state to forget. */
  scrubSoon(): void;
  close(): Promise<void>;
}

/** Errors of kysely's table listing when another schema changes under it (see openStore). */
const LISTING_RACES = new Set(['3F000', '42P01', '42703']);

/** Opens the database and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const dialect: Dialect = options.databaseUrl ? 'postgres' : 'sqlite';
  let db: Kysely<Database>;
  let durably = <T>(fn: () => Promise<T>): Promise<T> => fn();
  let scrubber: SqliteScrubber | undefined;
  let closeLog = async (): Promise<void> => undefined;
  let relaxed: Kysely<Database> | undefined;
  if (options.databaseUrl) {
    // A schema named in the URL (`?options=-c search_path=x`) is used like `pgSchema`.
    const schema = options.pgSchema ?? searchPathOf(options.databaseUrl);
    const pg = await loadPg();
    const searchPath = schema ? `-c search_path=${schema}` : '';
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 6,
      ...(searchPath ? { options: searchPath } : {}),
    });
    // The writes every turn makes (`write`: the contact's interaction time, the turn's commit,
    // the outbox claim and delete) commit without waiting for the server's WAL flush, as SQLite's
    // synchronous=NORMAL does: they survive a crash of this process, and a crash of the database
    // server loses at most its last fraction of a second of them (the turn then runs again). The
    // inbox before an ack and every other write wait for the flush, as the server is configured.
    const relaxedPool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 6,
      options: `${searchPath} -c synchronous_commit=off`.trim(),
    });
    // A pool error on an idle client must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    relaxedPool.on('error', () => undefined);
    relaxed = new Kysely<Database>({ dialect: new PostgresDialect({ pool: relaxedPool }) });
    runStatementsOnPool(relaxed, relaxedPool);
    if (schema) {
      const client = await pool.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '')}"`);
      } finally {
        client.release();
      }
    }
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    runStatementsOnPool(db, pool);
  } else {
    const file = options.sqliteFile ?? 'bot.sqlite';
    if (file !== ':memory:') fs.mkdirSync(options.dataDir, { recursive: true });
    const database = new SQLite(file === ':memory:' ? file : path.join(options.dataDir, file));
    database.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: commits survive a process crash without an fsync each. The commits that
    // precede an ack are made durable by `durably`, which syncs the log off the event loop.
    database.pragma('synchronous = NORMAL');
    if (file !== ':memory:') {
      const log = new LogSync(`${path.join(options.dataDir, file)}-wal`);
      closeLog = () => log.close();
      durably = async <T>(fn: () => Promise<T>): Promise<T> => {
        const result = await fn();
        await log.sync();
        return result;
      };
    }
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    // Deleted rows (an erasure, a cleared inbox body) are zeroed instead of lingering in the
    // file's free space. ON rather than FAST: FAST leaves the overflow pages of a long message on
    // the freelist as they were (bench:secure-delete: 1,998 of 2,000 long bodies still readable
    // after a checkpoint with FAST, 0 with ON, for ~20-50% more time per long-body write).
    database.pragma('secure_delete = ON');
    scrubber = new SqliteScrubber(
      database,
      file === ':memory:' ? undefined : `${path.join(options.dataDir, file)}-wal`,
      options.checkpointIntervalMs ?? 60_000,
    );
    const statements = withStatementCache(database);
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
    runTransactionsOn(db, statements);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await migrate(
        db,
        dialect,
        options.databaseUrl ? (options.pgSchema ?? searchPathOf(options.databaseUrl)) : undefined,
      );
      break;
    } catch (error) {
      // Kysely's migrator lists the tables and columns of every schema; a schema another process
      // drops or migrates at that moment (3F000 / 42P01, or 42703 from pg_get_serial_sequence on
      // a column going away) makes the listing fail although ours is fine: look again.
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (attempt >= 3 || !LISTING_RACES.has(code ?? '')) {
        await db.destroy();
        await relaxed?.destroy();
        throw error;
      }
    }
  }
  return {
    db,
    dialect,
    durably,
    write: relaxed ? directWriter(relaxed) : new WriteGroup(db).write,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async scrub() {
      scrubber?.scrub();
    },
    scrubSoon() {
      scrubber?.scrubSoon();
    },
    async close() {
      scrubber?.close();
      await db.destroy();
      await relaxed?.destroy();
      await closeLog();
    },
  };
}

async function migrate(
  db: Kysely<Database>,
  dialect: Dialect,
  schema: string | undefined,
): Promise<void> {
  const all: Record<string, Migration> = Object.fromEntries(
    migrations.map(([name, up]) => [name, { up: up(dialect) }]),
  );
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => all },
    // Features add migrations in their own numbered ranges; a database that already ran a later
    // number must still take an earlier one that lands after it.
    allowUnorderedMigrations: true,
    // Kysely looks for its bookkeeping tables in every schema; pin them to ours.
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `database migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** The single schema a PostgreSQL URL sets with `options=-c search_path=<schema>`, if any. */
function searchPathOf(url: string): string | undefined {
  try {
    const options = new URL(url).searchParams.get('options') ?? '';
    const match = /(?:^|\s)-c\s*search_path=([A-Za-z_][\w]*)(?:\s|$)/.exec(options);
    return match?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Makes committed WAL frames durable with fdatasync on the libuv thread pool, where SQLite's
 * synchronous=FULL would fsync inside the commit and stall every turn of the process meanwhile.
 * Frames written before `sync()` was called are on disk when it resolves; calls that arrive
 * while a sync runs share the next one.
 */
class LogSync {
  private handle: Promise<fs.promises.FileHandle> | undefined;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly file: string) {}

  sync(): Promise<void> {
    if (!this.running) return (this.running = this.run());
    // A sync that is already running may have started before the caller's frames were written.
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return (this.running = this.run());
      });
    return this.next;
  }

  private async run(): Promise<void> {
    try {
      this.handle ??= fs.promises.open(this.file, 'r');
      await (await this.handle).datasync();
    } catch (error) {
      this.handle = undefined;
      throw error;
    } finally {
      this.running = undefined;
    }
  }

  async close(): Promise<void> {
    await this.running?.catch(() => undefined);
    const handle = this.handle;
    this.handle = undefined;
    await (await handle?.catch(() => undefined))?.close();
  }
}

/** True when a write failed on a unique constraint (either engine). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

/**
 * Kysely prepares every query anew; the same few dozen statements run on every turn, so keep
 * them prepared. Statements are only run (`all`/`run`), never left iterating, so reuse is safe.
 */
function withStatementCache(database: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare: (text: string) => {
      let statement = cache.get(text);
      if (!statement) {
        if (cache.size >= max) cache.clear();
        statement = database.prepare(text);
        cache.set(text, statement);
      }
      return statement;
    },
  };
}
