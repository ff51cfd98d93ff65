import type { Kysely, Selectable } from 'kysely';
import type {
  Broadcast,
  BroadcastButton,
  BroadcastMessage,
  BroadcastStatus,
  Segment,
} from '../broadcast/model.js';
import type { Plan } from '../broadcast/planner.js';
import type { BroadcastTable, Database } from './schema.js';

function toBroadcast(row: Selectable<BroadcastTable>): Broadcast {
  return {
    id: Number(row.id),
    status: row.status as BroadcastStatus,
    message: JSON.parse(row.message) as BroadcastMessage,
    button: row.button === null ? null : (JSON.parse(row.button) as BroadcastButton),
    segment: JSON.parse(row.segment) as Segment,
    scheduleAt: Number(row.schedule_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    startedAt: row.started_at === null ? null : Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  };
}

/** Broadcast rows: content, segment, schedule and status. */
export class BroadcastsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(
    fields: {
      status: BroadcastStatus;
      message: BroadcastMessage;
      button: BroadcastButton | null;
      segment: Segment;
      scheduleAt: number;
      plan: Plan;
    },
    now: number,
  ): Promise<Broadcast> {
    const row = await this.db
      .insertInto('broadcasts')
      .values({
        status: fields.status,
        message: JSON.stringify(fields.message),
        button: fields.button ? JSON.stringify(fields.button) : null,
        segment: JSON.stringify(fields.segment),
        schedule_at: fields.scheduleAt,
        plan: JSON.stringify(fields.plan),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toBroadcast(row);
  }

  async get(id: number): Promise<Broadcast | undefined> {
    const row = await this.db
      .selectFrom('broadcasts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toBroadcast(row) : undefined;
  }

  /** The plan stored when the broadcast was created or started. */
  async plan(id: number): Promise<Plan | undefined> {
    const row = await this.db
      .selectFrom('broadcasts')
      .select('plan')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.plan ? (JSON.parse(row.plan) as Plan) : undefined;
  }

  /** Newest first. */
  async list(limit: number): Promise<Broadcast[]> {
    const rows = await this.db
      .selectFrom('broadcasts')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toBroadcast);
  }

  /** Scheduled broadcasts whose time has come. */
  async due(now: number): Promise<Broadcast[]> {
    const rows = await this.db
      .selectFrom('broadcasts')
      .selectAll()
      .where('status', '=', 'scheduled')
      .where('schedule_at', '<=', now)
      .orderBy('id')
      .execute();
    return rows.map(toBroadcast);
  }

  /**
   * Moves a broadcast from one of `from` to `to` in one statement; false when it was not in
   * `from` any more (another process or request got there first).
   */
  async transition(
    id: number,
    from: BroadcastStatus[],
    to: BroadcastStatus,
    now: number,
    extra: { plan?: Plan; scheduleAt?: number } = {},
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('broadcasts')
      .set({
        status: to,
        updated_at: now,
        ...(to === 'sending' ? { started_at: now } : {}),
        ...(to === 'done' || to === 'cancelled' ? { finished_at: now } : {}),
        ...(extra.plan ? { plan: JSON.stringify(extra.plan) } : {}),
        ...(extra.scheduleAt !== undefined ? { schedule_at: extra.scheduleAt } : {}),
      })
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Marks done every sending broadcast with no recipient left to send or in flight. */
  async finishCompleted(now: number): Promise<number[]> {
    const rows = await this.db
      .updateTable('broadcasts')
      .set({ status: 'done', updated_at: now, finished_at: now })
      .where('status', '=', 'sending')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('deliveries')
              .select('deliveries.id')
              .whereRef('deliveries.broadcast_id', '=', 'broadcasts.id')
              .where('deliveries.status', 'in', ['pending', 'sending']),
          ),
        ),
      )
      .returning('id')
      .execute();
    return rows.map((r) => Number(r.id));
  }
}
