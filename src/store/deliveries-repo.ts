import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Audience } from '../broadcast/planner.js';
import type { DeliveryStatus } from '../broadcast/model.js';
import type { ChannelId, Locale, ReceiptEvent } from '../core/events.js';
import type { Dialect } from './migration-helpers.js';
import type { ContactTable, Database } from './schema.js';

/** A delivery the engine claimed, with what it needs to re-check and address the recipient. */
export interface ClaimedDelivery {
  id: number;
  broadcastId: number;
  attempts: number;
  contact: Audience;
}

/** The outcome of one claimed delivery. */
export interface DeliveryOutcome {
  id: number;
  status: Exclude<DeliveryStatus, 'sending' | 'unknown'>;
  reason?: string;
  messageId?: string;
  locale?: Locale;
  billed?: boolean;
  /** For `pending` (a retry): when it is due again. */
  nextAttemptAt?: number;
}

/** Counts of one broadcast's deliveries by channel and status, with reasons and receipts. */
export interface DeliveryCounts {
  rows: Array<{ channel: ChannelId; status: DeliveryStatus; n: number; billed: number }>;
  reasons: Array<{ channel: ChannelId; reason: string; n: number }>;
  receipts: Array<{ channel: ChannelId; receipt: string; n: number }>;
}

type AudienceColumns = Pick<
  Selectable<ContactTable>,
  | 'id'
  | 'channel'
  | 'user_id'
  | 'locale'
  | 'last_inbound_at'
  | 'followed'
  | 'opted_in'
  | 'topics'
  | 'province'
  | 'audience'
>;

const AUDIENCE_COLUMNS = [
  'contacts.id',
  'contacts.channel',
  'contacts.user_id',
  'contacts.locale',
  'contacts.last_inbound_at',
  'contacts.followed',
  'contacts.opted_in',
  'contacts.topics',
  'contacts.province',
  'contacts.audience',
] as const;

/** Maps a contacts row to what the planner reads. */
export function toAudience(row: AudienceColumns): Audience {
  return {
    id: Number(row.id),
    channel: row.channel as ChannelId,
    userId: row.user_id,
    locale: (row.locale as Locale | null) ?? null,
    lastInboundAt: row.last_inbound_at === null ? null : Number(row.last_inbound_at),
    followed: row.followed === null ? null : Number(row.followed) === 1,
    optedIn: Number(row.opted_in) === 1,
    topics: row.topics ? row.topics.split(',').filter(Boolean) : [],
    province: row.province,
    audience: row.audience,
  };
}

/** Per-recipient delivery rows: the durable outbox of broadcasts. */
export class DeliveriesRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** One page of contacts (by id) on the given channels, for planning and materialising. */
  async audiencePage(
    afterId: number,
    limit: number,
    channels: readonly ChannelId[] | undefined,
  ): Promise<Audience[]> {
    const rows = await this.db
      .selectFrom('contacts')
      .select(AUDIENCE_COLUMNS)
      .where('contacts.id', '>', afterId)
      .$if(channels !== undefined, (q) => q.where('contacts.channel', 'in', channels!))
      .orderBy('contacts.id')
      .limit(limit)
      .execute();
    return rows.map(toAudience);
  }

  /** Adds recipients; a contact already listed for the broadcast is left as it is. */
  async insertMany(
    rows: Array<{
      broadcastId: number;
      contact: Audience;
      status: 'pending' | 'skipped';
      reason: string | null;
      billed: boolean;
    }>,
    now: number,
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insertInto('deliveries')
      .values(
        rows.map((r) => ({
          broadcast_id: r.broadcastId,
          contact_id: r.contact.id,
          channel: r.contact.channel,
          user_id: r.contact.userId,
          status: r.status,
          reason: r.reason,
          billed: r.billed ? 1 : 0,
          next_attempt_at: now,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['broadcast_id', 'contact_id']).doNothing())
      .execute();
  }

  /** True when a channel has a recipient due now (of a broadcast that is sending). */
  async hasDue(channel: ChannelId, now: number): Promise<boolean> {
    const row = await this.dueQuery(channel, now)
      .select('deliveries.id')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Claims up to `limit` due recipients of a channel: marks them `sending` (committed before any
   * platform call) and returns them. Concurrent claimers on PostgreSQL skip each other's rows.
   */
  async claim(channel: ChannelId, limit: number, now: number): Promise<ClaimedDelivery[]> {
    if (limit <= 0) return [];
    const ids = this.dueQuery(channel, now)
      .select('deliveries.id')
      .orderBy('deliveries.id')
      .limit(limit)
      .$if(this.dialect === 'postgres', (q) => q.forUpdate().skipLocked());
    const claimed = await this.db
      .updateTable('deliveries')
      .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), updated_at: now }))
      .where('id', 'in', ids)
      .returning(['id', 'broadcast_id', 'attempts'])
      .execute();
    if (claimed.length === 0) return [];
    const contacts = await this.db
      .selectFrom('deliveries')
      .innerJoin('contacts', 'contacts.id', 'deliveries.contact_id')
      .select(['deliveries.id as delivery_id', ...AUDIENCE_COLUMNS])
      .where(
        'deliveries.id',
        'in',
        claimed.map((c) => c.id),
      )
      .execute();
    const byDelivery = new Map(contacts.map((c) => [Number(c.delivery_id), toAudience(c)]));
    return claimed
      .map((c) => ({
        id: Number(c.id),
        broadcastId: Number(c.broadcast_id),
        attempts: Number(c.attempts),
        contact: byDelivery.get(Number(c.id))!,
      }))
      .filter((c) => c.contact !== undefined)
      .sort((a, b) => a.id - b.id);
  }

  /** Records outcomes of claimed deliveries in one transaction (only rows still `sending`). */
  async finish(outcomes: DeliveryOutcome[], now: number): Promise<void> {
    if (outcomes.length === 0) return;
    const sent = outcomes.filter((o) => o.status === 'sent');
    const others = outcomes.filter((o) => o.status !== 'sent');
    await this.db.transaction().execute(async (trx) => {
      if (sent.length > 0) {
        // One statement for the common case: a round's successful sends.
        const each = <T>(value: (o: DeliveryOutcome) => RawBuilder<unknown>) =>
          sql<T>`CASE id ${sql.join(
            sent.map((o) => sql`WHEN ${o.id} THEN ${value(o)}`),
            sql` `,
          )} END`;
        await trx
          .updateTable('deliveries')
          .set({
            status: 'sent',
            reason: null,
            updated_at: now,
            sent_at: now,
            message_id: each<string | null>((o) => sql`CAST(${o.messageId ?? null} AS TEXT)`),
            locale: each<string | null>((o) => sql`CAST(${o.locale ?? null} AS TEXT)`),
            billed: each<number>((o) => sql`CAST(${o.billed ? 1 : 0} AS INTEGER)`),
          })
          .where(
            'id',
            'in',
            sent.map((o) => o.id),
          )
          .where('status', '=', 'sending')
          .execute();
      }
      for (const o of others) {
        await trx
          .updateTable('deliveries')
          .set({
            status: o.status,
            reason: o.reason ?? null,
            updated_at: now,
            ...(o.locale ? { locale: o.locale } : {}),
            ...(o.status === 'pending' ? { next_attempt_at: o.nextAttemptAt ?? now } : {}),
          })
          .where('id', '=', o.id)
          .where('status', '=', 'sending')
          .execute();
      }
    });
  }

  /**
   * Turns `sending` rows into `unknown`: a process died during their platform call, so whether
   * the person got the message cannot be known, and sending again could make a duplicate.
   * `claimedBefore` limits it to rows claimed before that time (other processes' live claims).
   */
  async markInterrupted(now: number, claimedBefore?: number): Promise<number> {
    const result = await this.db
      .updateTable('deliveries')
      .set({ status: 'unknown', reason: 'interrupted', updated_at: now })
      .where(sql<boolean>`status = 'sending'`)
      .$if(claimedBefore !== undefined, (q) => q.where('updated_at', '<', claimedBefore!))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Skips every recipient of a broadcast not sent yet (cancel); rows in flight finish. */
  async skipPending(broadcastId: number, reason: string, now: number): Promise<number> {
    const result = await this.db
      .updateTable('deliveries')
      .set({ status: 'skipped', reason, updated_at: now })
      .where('broadcast_id', '=', broadcastId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Puts a broadcast's failed recipients back in the queue (an organiser's retry). */
  async requeueFailed(broadcastId: number, now: number): Promise<number> {
    const result = await this.db
      .updateTable('deliveries')
      .set({
        status: 'pending',
        reason: null,
        receipt: null,
        next_attempt_at: now,
        updated_at: now,
      })
      .where('broadcast_id', '=', broadcastId)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** One page of a broadcast's recipients (platform ids, no names), optionally of one status. */
  async recipients(
    broadcastId: number,
    filter: { status?: DeliveryStatus; limit: number; offset: number },
  ): Promise<
    Array<{
      channel: ChannelId;
      userId: string;
      status: DeliveryStatus;
      reason: string | null;
      receipt: string | null;
      updatedAt: number;
    }>
  > {
    const rows = await this.db
      .selectFrom('deliveries')
      .select(['channel', 'user_id', 'status', 'reason', 'receipt', 'updated_at'])
      .where('broadcast_id', '=', broadcastId)
      .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!))
      .orderBy('id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
    return rows.map((r) => ({
      channel: r.channel as ChannelId,
      userId: r.user_id,
      status: r.status as DeliveryStatus,
      reason: r.reason,
      receipt: r.receipt,
      updatedAt: Number(r.updated_at),
    }));
  }

  async counts(broadcastId: number): Promise<DeliveryCounts> {
    const rows = await this.db
      .selectFrom('deliveries')
      .select((eb) => [
        'channel',
        'status',
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>('billed').as('billed'),
      ])
      .where('broadcast_id', '=', broadcastId)
      .groupBy(['channel', 'status'])
      .execute();
    const reasons = await this.db
      .selectFrom('deliveries')
      .select((eb) => ['channel', 'reason', eb.fn.countAll<number>().as('n')])
      .where('broadcast_id', '=', broadcastId)
      .where('reason', 'is not', null)
      .groupBy(['channel', 'reason'])
      .execute();
    const receipts = await this.db
      .selectFrom('deliveries')
      .select((eb) => ['channel', 'receipt', eb.fn.countAll<number>().as('n')])
      .where('broadcast_id', '=', broadcastId)
      .where('receipt', 'is not', null)
      .groupBy(['channel', 'receipt'])
      .execute();
    return {
      rows: rows.map((r) => ({
        channel: r.channel as ChannelId,
        status: r.status as DeliveryStatus,
        n: Number(r.n),
        billed: Number(r.billed ?? 0),
      })),
      reasons: reasons.map((r) => ({
        channel: r.channel as ChannelId,
        reason: r.reason!,
        n: Number(r.n),
      })),
      receipts: receipts.map((r) => ({
        channel: r.channel as ChannelId,
        receipt: r.receipt!,
        n: Number(r.n),
      })),
    };
  }

  /**
   * Records a platform receipt on the deliveries it covers: by message id, or (Messenger) every
   * message sent to the user up to the watermark. Always for the receipt's user: one Viber
   * `broadcast_message` token is shared by up to 300 recipients, each with their own receipt.
   * A receipt never moves backwards (read stays read).
   */
  async applyReceipt(event: ReceiptEvent, now: number): Promise<number> {
    if (event.messageIds.length === 0 && event.watermark === undefined) return 0;
    let query = this.db
      .updateTable('deliveries')
      .set(
        event.status === 'failed'
          ? {
              receipt: 'failed',
              receipt_at: now,
              status: 'failed',
              reason: `platform-failed${event.reason ? `: ${event.reason.slice(0, 200)}` : ''}`,
              updated_at: now,
            }
          : { receipt: event.status, receipt_at: now },
      )
      .where('channel', '=', event.channel)
      .where('user_id', '=', event.userId)
      .where('status', '=', 'sent');
    query =
      event.messageIds.length > 0
        ? query.where('message_id', 'in', event.messageIds)
        : query.where('sent_at', '<=', event.watermark!);
    if (event.status === 'delivered') query = query.where('receipt', 'is', null);
    if (event.status === 'read')
      query = query.where((eb) =>
        eb.or([eb('receipt', 'is', null), eb('receipt', '=', 'delivered')]),
      );
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  private dueQuery(channel: ChannelId, now: number) {
    return (
      this.db
        .selectFrom('deliveries')
        // A literal, not a parameter: the partial index deliveries_pending_idx then applies.
        .where(sql<boolean>`deliveries.status = 'pending'`)
        .where('deliveries.channel', '=', channel)
        .where('deliveries.next_attempt_at', '<=', now)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('broadcasts')
              .select('broadcasts.id')
              .whereRef('broadcasts.id', '=', 'deliveries.broadcast_id')
              .where('broadcasts.status', '=', 'sending'),
          ),
        )
    );
  }
}
