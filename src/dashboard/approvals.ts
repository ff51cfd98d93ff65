import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { dashboardDb, type DashboardDatabase } from './schema.js';

/** Who asked for a broadcast and who approved it. */
export interface Approval {
  requestedBy: string;
  requestedAt: number;
  approvedBy: string | null;
  approvedAt: number | null;
}

/** Why an approval was refused. */
export type ApprovalRefusal = 'own' | 'already' | 'unknown';

/** The four-eyes rule for broadcasts: the person who asked for one cannot approve it. */
export class Approvals {
  private readonly db: Kysely<DashboardDatabase>;

  constructor(db: Kysely<Database>) {
    this.db = dashboardDb(db);
  }

  /** Records who asked for the broadcast (once). */
  async request(broadcastId: number, by: string, at: number): Promise<void> {
    await this.db
      .insertInto('broadcast_approvals')
      .values({ broadcast_id: broadcastId, requested_by: by, requested_at: at })
      .onConflict((oc) => oc.column('broadcast_id').doNothing())
      .execute();
  }

  async get(broadcastId: number): Promise<Approval | undefined> {
    const row = await this.db
      .selectFrom('broadcast_approvals')
      .selectAll()
      .where('broadcast_id', '=', broadcastId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      requestedBy: row.requested_by,
      requestedAt: Number(row.requested_at),
      approvedBy: row.approved_by,
      approvedAt: row.approved_at === null ? null : Number(row.approved_at),
    };
  }

  /** Approves in one statement (a double click approves once); refuses the requester. */
  async approve(broadcastId: number, by: string, at: number): Promise<true | ApprovalRefusal> {
    const current = await this.get(broadcastId);
    if (!current) return 'unknown';
    if (current.requestedBy === by) return 'own';
    const result = await this.db
      .updateTable('broadcast_approvals')
      .set({ approved_by: by, approved_at: at })
      .where('broadcast_id', '=', broadcastId)
      .where('approved_by', 'is', null)
      .where('requested_by', '!=', by)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1 ? true : 'already';
  }
}
