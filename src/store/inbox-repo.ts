import { sql, type Kysely, type QueryCreator } from 'kysely';
import { conversationKey, type InboundEvent } from '../core/events.js';
import { bumpDaily } from './daily-counts-repo.js';
import { Prepared, type Slot } from './prepared.js';
import type { Database } from './schema.js';

const INSERT_NEW = new Prepared<{ id: number; channel: string; event_id: string }>((db, $, n) =>
  db
    .insertInto('inbox')
    .values(
      Array.from({ length: n }, (_, i) => ({
        channel: $(`channel${i}`),
        event_id: $(`eventId${i}`),
        conversation: $(`conversation${i}`),
        kind: $(`kind${i}`),
        body: $(`body${i}`),
        status: 'pending' as const,
        received_at: $('now'),
      })),
    )
    .onConflict((oc) => oc.columns(['channel', 'event_id']).doNothing())
    .returning(['id', 'channel', 'event_id']),
);

const PENDING = new Prepared<{ id: number; conversation: string; body: string | null }>((db, $) =>
  db
    .selectFrom('inbox')
    .select(['id', 'conversation', 'body'])
    .where('status', '=', 'pending')
    .where('conversation', '=', $('conversation'))
    .orderBy('id')
    .limit($('limit')),
);

/** The id of the oldest pending row of conversation `$('conversation')` (null when none). */
export function firstPendingOf($: Slot) {
  return sql<
    number | string | null
  >`(select min(id) from inbox where status = 'pending' and conversation = ${$('conversation')})`;
}

const FIRST_PENDING = new Prepared<{ id: number | string | null }>((db, $) =>
  db.selectNoFrom(firstPendingOf($).as('id')),
);

/** Marks the inbox row `id` processed with `status` at `now` and drops its body (placeholders). */
export function finishInboxRow(db: QueryCreator<Database>, $: Slot) {
  return db
    .updateTable('inbox')
    .set((eb) => ({
      status: $('status'),
      body: null,
      processed_at: $('now'),
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', $('id'));
}

const FINISH = new Prepared((db, $) => finishInboxRow(db, $));

/** Marks an inbox row processed and drops its body (inside the caller's transaction when given). */
export async function finishInbox(
  db: Kysely<Database>,
  id: number,
  status: 'done' | 'failed',
  now: number,
): Promise<void> {
  await FINISH.execute(db, { id, status, now });
}

/** A recorded inbound event waiting for (or done with) its turn. */
export interface InboxRow {
  id: number;
  conversation: string;
  event: InboundEvent;
}

/** Durable record of every inbound event: the ack is sent only after `insertNew` resolves. */
export class InboxRepo {
  constructor(
    private readonly db: Kysely<Database>,
    /** Wraps the commit that precedes an ack so it is fsynced (see Store.durably). */
    private readonly durably: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
  ) {}

  /**
   * Records the events not seen before in one multi-row insert (one transaction) and returns them
   * with their ids, in arrival order. A (channel, event id) pair already present is a platform
   * retry: it is skipped, as is a repeat inside the same batch.
   */
  async insertNew(events: InboundEvent[], now: number): Promise<InboxRow[]> {
    if (events.length === 0) return [];
    const params: Record<string, unknown> = { now };
    events.forEach((event, i) => {
      params[`channel${i}`] = event.channel;
      params[`eventId${i}`] = event.eventId;
      params[`conversation${i}`] = conversationKey(event);
      params[`kind${i}`] = event.kind;
      params[`body${i}`] = JSON.stringify(event);
    });
    const inserted = await this.durably(() => INSERT_NEW.rows(this.db, params, events.length));
    const byKey = new Map(events.map((e) => [`${e.channel}\u0000${e.eventId}`, e]));
    const rows: InboxRow[] = [];
    for (const r of inserted) {
      const event = byKey.get(`${r.channel}\u0000${r.event_id}`);
      // Every id the database returns is one we sent (events are cleaned before this); a
      // mismatch must not fail the commit it already made: the row is picked up by recovery.
      if (event) rows.push({ id: Number(r.id), conversation: conversationKey(event), event });
    }
    return rows.sort((a, b) => a.id - b.id);
  }

  /** Pending events of one conversation, oldest first. */
  async pending(conversation: string, limit = 50): Promise<InboxRow[]> {
    const rows = await PENDING.rows(this.db, { conversation, limit });
    return rows.map((r) => ({
      id: Number(r.id),
      conversation: r.conversation,
      event: JSON.parse(r.body ?? '{}') as InboundEvent,
    }));
  }

  /** The id of the conversation's oldest pending event, null when none. */
  async firstPending(conversation: string): Promise<number | null> {
    const [row] = await FIRST_PENDING.rows(this.db, { conversation });
    return row?.id === null || row?.id === undefined ? null : Number(row.id);
  }

  /** Conversations that have pending events (after a crash, or a failed lock). */
  async pendingConversations(limit = 1000): Promise<string[]> {
    const rows = await this.db
      .selectFrom('inbox')
      .select('conversation')
      .distinct()
      .where('status', '=', 'pending')
      .limit(limit)
      .execute();
    return rows.map((r) => r.conversation);
  }

  /** Marks an event processed and drops its body: what a citizen wrote is not kept. */
  async finish(id: number, status: 'done' | 'failed', now: number): Promise<void> {
    await finishInbox(this.db, id, status, now);
  }

  /**
   * Deletes processed rows received before `before`: past the platforms' retry window they only
   * keep who wrote when (the conversation key is the platform user id). What they were is kept
   * as anonymous counters per local day (`dayOf`, yyyy-mm-dd), channel and kind (the report's messages
   * per day); the delete returns the rows it removed, so none is counted twice or missed.
   */
  async purgeProcessed(before: number, dayOf: (ms: number) => string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const removed = await trx
        .deleteFrom('inbox')
        .where('status', '!=', 'pending')
        .where('received_at', '<', before)
        .returning(['channel', 'kind', 'received_at'])
        .execute();
      const byDay = new Map<string, Record<string, number>>();
      for (const row of removed) {
        const day = dayOf(Number(row.received_at));
        const counts = byDay.get(day) ?? {};
        const key = `inbound:${row.channel}:${row.kind}`;
        counts[key] = (counts[key] ?? 0) + 1;
        byDay.set(day, counts);
      }
      for (const [day, counts] of byDay) await bumpDaily(trx, day, counts);
      return removed.length;
    });
  }

  /** Counts by status (for readiness and metrics). */
  async counts(): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('inbox')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
