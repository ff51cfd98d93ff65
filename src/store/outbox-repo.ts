import { sql, type Kysely, type Selectable } from 'kysely';
import type { ChannelId, OutboundMessage } from '../core/events.js';
import { Prepared } from './prepared.js';
import { directWriter, type WriteDb, type Writer } from './write-group.js';
import type { Database, OutboxStatus, OutboxTable } from './schema.js';

/** A message to put in the outbox. */
export interface NewOutboxRow {
  channel: ChannelId;
  userId: string;
  kind: 'reply' | 'notice' | 'proactive';
  mode: 'reply' | 'proactive';
  message: OutboundMessage;
  /** No attempt after this moment (the platform's window). */
  deadline: number;
  ref?: number;
}

/** A row the sender claimed (status `sending`). */
export interface ClaimedOutbox {
  id: number;
  conversation: string;
  channel: ChannelId;
  userId: string;
  kind: NewOutboxRow['kind'];
  mode: NewOutboxRow['mode'];
  ref: number | null;
  message: OutboundMessage;
  attempts: number;
  deadline: number;
  createdAt: number;
  /** The conversation had a later open row when this one was claimed. */
  more: boolean;
}

/** The final or retry outcome of one claimed row. */
export type OutboxOutcome =
  | { status: 'sent' }
  | { status: 'pending'; reason: string; nextAttemptAt: number }
  | { status: 'failed' | 'skipped'; reason: string };

/**
 * The values of `n` new outbox rows, by placeholder (see `outboxParams`). `claimFirst`: the first
 * row is inserted already claimed (`sending`, one attempt) unless the conversation has an older
 * open row, which then goes first as `claimNext` would have it; the sender that asked for it has
 * a slot waiting (see OutboxSender.reserve).
 */
export function outboxValues($: (name: string) => never, n: number, claimFirst = false) {
  const olderOpen = sql<boolean>`exists (select 1 from outbox where conversation = ${$(
    'conversation0',
  )} and status in ('pending', 'sending'))`;
  return Array.from({ length: n }, (_, i) => ({
    ...(claimFirst && i === 0
      ? {
          status: sql<OutboxStatus>`case when ${olderOpen} then 'pending' else 'sending' end`,
          attempts: sql<number>`case when ${olderOpen} then 0 else 1 end`,
        }
      : { status: 'pending' as const, attempts: 0 }),
    conversation: $(`conversation${i}`),
    channel: $(`channel${i}`),
    user_id: $(`userId${i}`),
    kind: $(`kind${i}`),
    mode: $(`mode${i}`),
    ref: $(`ref${i}`),
    body: $(`body${i}`),
    next_attempt_at: $('now'),
    deadline: $(`deadline${i}`),
    created_at: $('now'),
    updated_at: $('now'),
  }));
}

/** The first of `rows` as claimed, when the insert claimed it (`inserted`: ids and statuses). */
export function claimedFirst(
  rows: NewOutboxRow[],
  inserted: ReadonlyArray<{ id: number | string; status: string }>,
  now: number,
): ClaimedOutbox | undefined {
  const first = rows[0];
  const ids = inserted.map((r) => Number(r.id));
  const firstId = Math.min(...ids);
  if (!first || inserted.find((r) => Number(r.id) === firstId)?.status !== 'sending')
    return undefined;
  return {
    id: firstId,
    conversation: `${first.channel}:${first.userId}`,
    channel: first.channel,
    userId: first.userId,
    kind: first.kind,
    mode: first.mode,
    ref: first.ref ?? null,
    message: first.message,
    attempts: 1,
    deadline: first.deadline,
    createdAt: now,
    more: rows.length > 1,
  };
}

/** The parameters of `outboxValues` for these rows. */
export function outboxParams(rows: NewOutboxRow[], now: number): Record<string, unknown> {
  const params: Record<string, unknown> = { now };
  rows.forEach((r, i) => {
    params[`conversation${i}`] = `${r.channel}:${r.userId}`;
    params[`channel${i}`] = r.channel;
    params[`userId${i}`] = r.userId;
    params[`kind${i}`] = r.kind;
    params[`mode${i}`] = r.mode;
    params[`ref${i}`] = r.ref ?? null;
    params[`body${i}`] = JSON.stringify(r.message);
    params[`deadline${i}`] = r.deadline;
  });
  return params;
}

const ENQUEUE = new Prepared((db, $, n) => db.insertInto('outbox').values(outboxValues($, n)));

const ENQUEUE_CLAIMING = new Prepared<{ id: number | string; status: string }>((db, $, n) =>
  db
    .insertInto('outbox')
    .values(outboxValues($, n, true))
    .returning(['id', 'status']),
);

const CLAIM_NEXT = new Prepared<Selectable<OutboxTable> & { more: unknown }>((db, $) =>
  db
    .updateTable('outbox')
    .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), updated_at: $('now') }))
    .where(
      'id',
      '=',
      db
        .selectFrom('outbox')
        .select((eb) => eb.fn.min('id').as('id'))
        .where('conversation', '=', $('conversation'))
        .where('status', 'in', ['pending', 'sending']),
    )
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', $('now'))
    .returningAll()
    .returning((eb) =>
      eb
        .exists(
          eb
            .selectFrom('outbox as later')
            .select('later.id')
            .whereRef('later.conversation', '=', 'outbox.conversation')
            .whereRef('later.id', '>', 'outbox.id')
            .where('later.status', 'in', ['pending', 'sending']),
        )
        .as('more'),
    ),
);

const DELETE_SENT = new Prepared((db, $, n) =>
  db.deleteFrom('outbox').where(
    'id',
    'in',
    Array.from({ length: n }, (_, i) => $(`id${i}`)),
  ),
);

/** Most rows one delete statement takes (the sender has 64 sends in flight by default). */
const DELETE_BATCH = 64;

/** Durable outbound messages: written with the turn that produced them, delivered in order. */
export class OutboxRepo {
  /** Sent rows waiting for the next delete, with their callers. */
  private sent: Array<{ id: number; done: () => void; fail: (error: unknown) => void }> = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly write: Writer = directWriter(db),
  ) {}

  /** Inserts messages (inside the caller's transaction when given), in order. */
  async enqueue(rows: NewOutboxRow[], now: number, db: WriteDb = this.db): Promise<void> {
    if (rows.length === 0) return;
    await ENQUEUE.execute(db, outboxParams(rows, now), rows.length);
  }

  /**
   * Inserts a turn's messages, all of one conversation, the first one claimed for the caller's
   * sender unless an older row of the conversation is open; resolves with that row as claimed,
   * or undefined when it was queued as `pending`.
   */
  async enqueueClaimingFirst(
    rows: NewOutboxRow[],
    now: number,
    db: WriteDb = this.db,
  ): Promise<ClaimedOutbox | undefined> {
    const inserted = await ENQUEUE_CLAIMING.rows(db, outboxParams(rows, now), rows.length);
    return claimedFirst(rows, inserted, now);
  }

  /**
   * Claims the oldest open row of a conversation if it is due: nothing while an older row of the
   * conversation is in flight or waiting for its retry, so order is kept across processes too.
   */
  async claimNext(conversation: string, now: number): Promise<ClaimedOutbox | undefined> {
    const [row] = await this.write((db) => CLAIM_NEXT.rows(db, { conversation, now }));
    if (!row) return undefined;
    return {
      id: Number(row.id),
      conversation: row.conversation,
      channel: row.channel as ChannelId,
      userId: row.user_id,
      kind: row.kind as ClaimedOutbox['kind'],
      mode: row.mode as ClaimedOutbox['mode'],
      ref: row.ref === null ? null : Number(row.ref),
      message: JSON.parse(row.body ?? '{"text":""}') as OutboundMessage,
      attempts: Number(row.attempts),
      deadline: Number(row.deadline),
      createdAt: Number(row.created_at),
      more: row.more === true || row.more === 1,
    };
  }

  /**
   * Records an outcome. A sent row is deleted (nothing about it is worth keeping); a failed or
   * skipped one keeps its reason without the message body until `purgeFinal`.
   */
  async finish(id: number, outcome: OutboxOutcome, now: number): Promise<void> {
    if (outcome.status === 'sent') return this.deleteSent(id);
    if (outcome.status === 'pending') {
      await this.db
        .updateTable('outbox')
        .set({
          status: 'pending',
          reason: outcome.reason,
          next_attempt_at: outcome.nextAttemptAt,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      return;
    }
    await this.db
      .updateTable('outbox')
      .set({ status: outcome.status, reason: outcome.reason, body: null, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Deletes a sent row together with the others sent in the same turn of the event loop, in one
   * statement (one round trip on PostgreSQL instead of one per send). Until then the row is still
   * `sending`: a crash in between reports it unknown, as during its send.
   */
  private deleteSent(id: number): Promise<void> {
    return new Promise((done, fail) => {
      if (this.sent.push({ id, done, fail }) === 1) setImmediate(() => void this.flushSent());
    });
  }

  private async flushSent(): Promise<void> {
    const items = this.sent;
    this.sent = [];
    for (let i = 0; i < items.length; i += DELETE_BATCH) {
      const chunk = items.slice(i, i + DELETE_BATCH);
      const params = Object.fromEntries(chunk.map((item, j) => [`id${j}`, item.id]));
      try {
        await this.write((db) => DELETE_SENT.execute(db, params, chunk.length));
        for (const item of chunk) item.done();
      } catch (error) {
        for (const item of chunk) item.fail(error);
      }
    }
  }

  /** Conversations with a row due now (retries, rows another process left). */
  async dueConversations(now: number, limit = 500): Promise<string[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .select('conversation')
      .distinct()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .limit(limit)
      .execute();
    return rows.map((r) => r.conversation);
  }

  /**
   * Rows in flight when a process died become `unknown` (never sent again): all of them on
   * SQLite at start-up, those claimed before `staleBefore` on PostgreSQL. Returns them, so
   * notices can report.
   */
  async markInterrupted(
    now: number,
    staleBefore?: number,
  ): Promise<Array<{ id: number; kind: string; ref: number | null; channel: string }>> {
    let query = this.db
      .updateTable('outbox')
      .set({ status: 'unknown', reason: 'in-flight-at-crash', body: null, updated_at: now })
      .where('status', '=', 'sending');
    if (staleBefore !== undefined) query = query.where('updated_at', '<', staleBefore);
    const rows = await query.returning(['id', 'kind', 'ref', 'channel']).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      ref: r.ref === null ? null : Number(r.ref),
      channel: r.channel,
    }));
  }

  /** Open rows by status (the outbox depth on /metrics). */
  async depth(): Promise<Record<OutboxStatus, number>> {
    const rows = await this.db
      .selectFrom('outbox')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const out = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0, unknown: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }

  /** Deletes final rows older than `before` (they name a platform user). */
  async purgeFinal(before: number): Promise<number> {
    const result = await this.db
      .deleteFrom('outbox')
      .where('status', 'not in', ['pending', 'sending'])
      .where('updated_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Rows of one conversation (tests, erasure). */
  async forConversation(conversation: string): Promise<Array<{ status: string; kind: string }>> {
    return this.db
      .selectFrom('outbox')
      .select(['status', 'kind'])
      .where('conversation', '=', conversation)
      .orderBy('id')
      .execute();
  }
}
