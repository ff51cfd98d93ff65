import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** Where a write runs: the database, or the transaction it shares with others. */
export type WriteDb = Kysely<Database> | Transaction<Database>;

/** Runs `job` as one atomic unit of writes and resolves with its result. */
export type Writer = <T>(job: (db: WriteDb) => Promise<T>) => Promise<T>;

interface Queued {
  job: (db: WriteDb) => Promise<unknown>;
  done: (value: unknown) => void;
  fail: (error: unknown) => void;
}

/**
 * SQLite: the small writes that every turn makes (the contact's interaction time, the turn's
 * commit, the outbox claim before a send and the delete after it) are each a transaction of their
 * own, and a commit costs far more than the statements in it: it writes every page it touched to
 * the log, and the same few pages of the outbox and its indexes are touched by every turn. The
 * group runs all the writes asked for in one turn of the event loop in one transaction, in the
 * order they were asked for, so one commit serves many turns under load and a lone write waits
 * no more than that turn of the loop.
 *
 * Each job stays atomic: should one fail, the shared transaction is rolled back and every job of
 * the group runs again in a transaction of its own, so only the failing one fails. Jobs therefore
 * touch nothing but the database they are given.
 */
export class WriteGroup {
  private queue: Queued[] = [];
  private scheduled = false;

  constructor(private readonly db: Kysely<Database>) {}

  readonly write: Writer = <T>(job: (db: WriteDb) => Promise<T>): Promise<T> =>
    new Promise<T>((done, fail) => {
      this.queue.push({ job, done: done as (value: unknown) => void, fail });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });

  private async flush(): Promise<void> {
    const items = this.queue;
    this.queue = [];
    try {
      if (items.length === 1) await this.alone(items[0]!);
      else {
        let results: unknown[];
        try {
          results = await this.db.transaction().execute(async (trx) => {
            const out: unknown[] = [];
            for (const item of items) out.push(await item.job(trx));
            return out;
          });
        } catch {
          for (const item of items) await this.alone(item);
          return;
        }
        items.forEach((item, i) => item.done(results[i]));
      }
    } finally {
      if (this.queue.length > 0) setImmediate(() => void this.flush());
      else this.scheduled = false;
    }
  }

  private async alone(item: Queued): Promise<void> {
    try {
      item.done(await this.db.transaction().execute((trx) => item.job(trx)));
    } catch (error) {
      item.fail(error);
    }
  }
}

/** PostgreSQL (many connections, each write one statement or its own transaction): as given. */
export function directWriter(db: Kysely<Database>): Writer {
  return (job) => job(db);
}
