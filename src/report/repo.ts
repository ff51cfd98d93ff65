import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../store/db.js';
import type { Database } from '../store/schema.js';
import type { Snapshot, SnapshotData } from './model.js';

/** A saved version of the organisers' draft. */
export interface DraftVersion<T> {
  edition: string;
  version: number;
  savedAt: number;
  savedBy: string;
  data: T;
}

/** Snapshots and draft versions of the results report. */
export class ReportRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a snapshot and returns its id. */
  async insertSnapshot(data: SnapshotData, takenAt: number, takenBy: string): Promise<number> {
    const row = await this.db
      .insertInto('report_snapshots')
      .values({
        edition: data.edition,
        taken_at: takenAt,
        taken_by: takenBy,
        data: JSON.stringify(data),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  /** The snapshot `id` of an edition, or its latest when `id` is absent. */
  async snapshot(edition: string, id?: number): Promise<Snapshot | undefined> {
    let query = this.db.selectFrom('report_snapshots').selectAll().where('edition', '=', edition);
    query = id === undefined ? query.orderBy('id', 'desc').limit(1) : query.where('id', '=', id);
    const row = await query.executeTakeFirst();
    if (!row) return undefined;
    return {
      id: Number(row.id),
      edition: row.edition,
      takenAt: Number(row.taken_at),
      takenBy: row.taken_by,
      data: JSON.parse(row.data) as SnapshotData,
    };
  }

  /** The snapshots of an edition, newest first (without their data). */
  async snapshots(
    edition: string,
  ): Promise<Array<{ id: number; takenAt: number; takenBy: string }>> {
    const rows = await this.db
      .selectFrom('report_snapshots')
      .select(['id', 'taken_at', 'taken_by'])
      .where('edition', '=', edition)
      .orderBy('id', 'desc')
      .limit(100)
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      takenAt: Number(r.taken_at),
      takenBy: r.taken_by,
    }));
  }

  /** The latest version of an edition's draft. */
  async draft<T>(edition: string): Promise<DraftVersion<T> | undefined> {
    const row = await this.db
      .selectFrom('report_drafts')
      .selectAll()
      .where('edition', '=', edition)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      edition: row.edition,
      version: Number(row.version),
      savedAt: Number(row.saved_at),
      savedBy: row.saved_by,
      data: JSON.parse(row.data) as T,
    };
  }

  /** Who saved which version when, newest first. */
  async draftHistory(
    edition: string,
  ): Promise<Array<{ version: number; savedAt: number; savedBy: string }>> {
    const rows = await this.db
      .selectFrom('report_drafts')
      .select(['version', 'saved_at', 'saved_by'])
      .where('edition', '=', edition)
      .orderBy('version', 'desc')
      .limit(100)
      .execute();
    return rows.map((r) => ({
      version: Number(r.version),
      savedAt: Number(r.saved_at),
      savedBy: r.saved_by,
    }));
  }

  /**
   * Saves version `expected + 1`; false when `expected` is not the latest version (someone saved
   * in between): the unique (edition, version) key makes two racing writers of one version fail.
   */
  async saveDraft(
    edition: string,
    expected: number,
    data: unknown,
    savedBy: string,
    now: number,
  ): Promise<boolean> {
    const latest = await this.db
      .selectFrom('report_drafts')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('edition', '=', edition)
      .executeTakeFirst();
    if (Number(latest?.v ?? 0) !== expected) return false;
    try {
      await this.db
        .insertInto('report_drafts')
        .values({
          edition,
          version: expected + 1,
          saved_at: now,
          saved_by: savedBy,
          data: JSON.stringify(data),
        })
        .execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}
