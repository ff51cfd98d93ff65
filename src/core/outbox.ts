import type { Logger } from 'pino';
import type { ContactsRepo } from '../store/contacts-repo.js';
import type { ClaimedOutbox, OutboxOutcome, OutboxRepo } from '../store/outbox-repo.js';
import type { Metrics } from '../web/metrics.js';
import type { Channel } from './channel.js';
import type { Clock } from './clock.js';
import { DEFAULT_RETRY, markUnreachable, outcomeOf, type RetryPolicy } from './delivery-policy.js';
import { ChannelError } from './errors.js';
import type { ChannelId } from './events.js';
import { proactiveEligibility } from './windows.js';

/** Tuning of the sender; tests shorten the poll and the backoff. */
export interface OutboxOptions {
  /** How often due retries and rows left by other processes are looked for. */
  pollMs: number;
  /** Platform calls in flight at once, over all conversations. */
  concurrency: number;
  /** On PostgreSQL, a row `sending` longer than this belongs to a dead process: it becomes unknown. */
  leaseMs: number;
  retry: RetryPolicy;
}

/** Defaults of the sender. */
export const DEFAULT_OUTBOX: OutboxOptions = {
  pollMs: 1000,
  concurrency: 64,
  leaseMs: 5 * 60_000,
  retry: DEFAULT_RETRY,
};

/** The final word on one outbox row, for the feature that queued it (notices record it). */
export interface OutboxReport {
  id: number;
  kind: string;
  ref: number | null;
  channel: string;
  status: 'sent' | 'failed' | 'skipped' | 'unknown';
  reason: string | null;
  billed: boolean;
}

/** Something that wants the final outcome of the rows of one kind. */
export type OutboxListener = (report: OutboxReport) => Promise<void>;

/**
 * Delivers the outbox: one conversation at a time in row order, many conversations at once, with
 * the one delivery policy (delivery-policy.ts). A row is claimed (`sending`) before its platform
 * call and finished after it; a row `sending` when the process died becomes `unknown` and is
 * never sent again.
 */
export class OutboxSender {
  private readonly options: OutboxOptions;
  private readonly draining = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  /** Conversations whose turn is committing with a slot held for its first message. */
  private readonly reserved = new Set<string>();
  private readonly listeners = new Map<string, OutboxListener>();
  private slots: number;
  private readonly slotWaiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private recovered = false;
  private stopping = false;

  constructor(
    private readonly deps: {
      repo: OutboxRepo;
      channels: ReadonlyMap<ChannelId, Channel>;
      contacts: ContactsRepo;
      clock: Clock;
      log: Logger;
      metrics: Metrics;
      dialect: 'sqlite' | 'postgres';
    },
    options: Partial<OutboxOptions> = {},
  ) {
    this.options = { ...DEFAULT_OUTBOX, ...options };
    this.slots = this.options.concurrency;
  }

  /** Tells `listener` the final outcome of every row of `kind`. */
  onFinal(kind: string, listener: OutboxListener): void {
    this.listeners.set(kind, listener);
  }

  /**
   * Holds a slot for the first message of a turn about to commit, so that the commit can insert
   * it already claimed and it goes out the moment the commit is done, without a claim of its own.
   * False (nothing held) while the conversation is being delivered, when no slot is free or when
   * stopping; the turn then queues its messages as usual. Every true is followed by `claimed`.
   */
  reserve(conversation: string): boolean {
    if (this.stopping || this.slots === 0) return false;
    if (this.draining.has(conversation) || this.reserved.has(conversation)) return false;
    this.slots -= 1;
    this.reserved.add(conversation);
    return true;
  }

  /**
   * After the commit of a reserved turn: delivers the row it claimed, then the conversation's
   * later rows. Without one (an older row was open, or the commit failed: `kick` false) the slot
   * is given back, and the conversation is delivered as usual.
   */
  claimed(conversation: string, row: ClaimedOutbox | undefined, kick = true): void {
    if (!this.reserved.delete(conversation)) return;
    // A claimed row is sent even while stopping: it is recorded as in flight already.
    if (!row) {
      this.release();
      if (kick) this.kick(conversation);
      return;
    }
    this.run(conversation, row);
  }

  /** Starts delivering a conversation's due rows (no-op while it is being delivered already). */
  kick(conversation: string): void {
    if (this.stopping) return;
    if (this.draining.has(conversation) || this.reserved.has(conversation)) {
      this.again.add(conversation);
      return;
    }
    this.run(conversation);
  }

  private run(conversation: string, first?: ClaimedOutbox): void {
    const run = this.drain(conversation, first)
      .catch((error: unknown) =>
        this.deps.log.error({ err: error }, 'outbox delivery failed; rows stay pending'),
      )
      .finally(() => {
        this.draining.delete(conversation);
        if (this.again.delete(conversation)) this.kick(conversation);
      });
    this.draining.set(conversation, run);
  }

  /** Delivers a conversation's due rows now and resolves when none is due (simulator, tests). */
  async flush(conversation: string): Promise<void> {
    for (;;) {
      const running = this.draining.get(conversation);
      if (running) {
        await running;
        continue;
      }
      this.kick(conversation);
      const run = this.draining.get(conversation);
      if (!run) return;
      await run;
      if (!this.draining.has(conversation)) return;
    }
  }

  /** Polls every `pollMs`: recovery of rows in flight at a crash, then due retries. */
  start(): void {
    this.stopping = false;
    const loop = () => {
      this.timer = setTimeout(() => {
        this.polling = this.poll()
          .catch((error: unknown) => this.deps.log.error({ err: error }, 'outbox poll failed'))
          .finally(() => {
            this.polling = undefined;
            if (!this.stopping) loop();
          });
      }, this.options.pollMs);
      this.timer.unref();
    };
    loop();
  }

  /** One poll round (also called at start-up, before the first webhook). */
  async poll(): Promise<void> {
    const now = this.deps.clock.now();
    if (!this.recovered || this.deps.dialect === 'postgres') {
      // SQLite has one process: at start-up every `sending` row is from a process that died.
      const stale = await this.deps.repo.markInterrupted(
        now,
        this.deps.dialect === 'postgres' ? now - this.options.leaseMs : undefined,
      );
      this.recovered = true;
      if (stale.length > 0)
        this.deps.log.warn({ n: stale.length }, 'sends in flight at a crash are unknown');
      for (const row of stale) {
        this.count(row.channel, 'unknown', 'in-flight-at-crash');
        await this.report({
          ...row,
          status: 'unknown',
          reason: 'in-flight-at-crash',
          billed: false,
        });
      }
    }
    for (const conversation of await this.deps.repo.dueConversations(now)) this.kick(conversation);
  }

  /** Resolves when no delivery is running in this process. */
  async idle(): Promise<void> {
    while (this.draining.size > 0) await Promise.allSettled([...this.draining.values()]);
  }

  /** Stops polling and waits for deliveries in flight to be recorded. */
  async close(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    await this.idle();
  }

  private async drain(conversation: string, first?: ClaimedOutbox): Promise<void> {
    for (;;) {
      // The slot is taken before the claim: a row is `sending` only while its platform call can
      // really be on the wire, so a crash reports as `unknown` no more rows than `concurrency`.
      // A row claimed by its turn's commit came with its slot (`reserve`).
      if (!first) await this.slot();
      let row: ClaimedOutbox | undefined;
      let delivered: { outcome: OutboxOutcome; billed: boolean };
      try {
        row = first ?? (await this.deps.repo.claimNext(conversation, this.deps.clock.now()));
        first = undefined;
        if (!row) return;
        delivered = await this.deliver(row);
      } finally {
        this.release();
      }
      const { outcome, billed } = delivered;
      await this.deps.repo.finish(row.id, outcome, this.deps.clock.now());
      if (outcome.status === 'pending') return;
      await this.report({
        id: row.id,
        kind: row.kind,
        ref: row.ref,
        channel: row.channel,
        status: outcome.status,
        reason: outcome.status === 'sent' ? null : outcome.reason,
        billed,
      });
      // The claim saw no later row: one queued since was kicked by whoever queued it.
      if (!row.more) return;
    }
  }

  private async deliver(row: ClaimedOutbox): Promise<{ outcome: OutboxOutcome; billed: boolean }> {
    const { channels, contacts, clock } = this.deps;
    const channel = channels.get(row.channel);
    if (!channel) return { outcome: this.final(row, 'failed', 'channel-off'), billed: false };
    let billed = false;
    if (row.mode === 'proactive') {
      // Windows close and people unsubscribe while a message waits: ask again before each try.
      const contact = await contacts.get(row.channel, row.userId);
      const verdict = proactiveEligibility(
        contact ?? { channel: row.channel, lastInboundAt: null, followed: null },
        clock.now(),
      );
      if (!verdict.eligible) return { outcome: this.final(row, 'skipped', verdict.reason), billed };
      billed = verdict.billed;
    }
    try {
      await channel.send(row.userId, row.message, { mode: row.mode });
      this.count(row.channel, 'sent', 'ok');
      return { outcome: { status: 'sent' }, billed };
    } catch (error) {
      const now = clock.now();
      const f = outcomeOf(error, row.attempts, row.id, now, this.options.retry, row.deadline);
      const code =
        error instanceof ChannelError ? String(error.platformCode ?? error.code) : 'error';
      this.deps.metrics.inc(
        'llw_send_errors_total',
        'Failed platform sends by platform and code.',
        {
          platform: row.channel,
          code,
        },
      );
      if (f.markUnreachable)
        await markUnreachable(contacts, row.channel, row.userId, this.deps.log);
      if (f.status === 'pending') {
        this.deps.log.warn(
          { channel: row.channel, kind: row.kind, reason: f.reason, attempts: row.attempts },
          'message not sent; will retry',
        );
        return {
          outcome: { status: 'pending', reason: f.reason, nextAttemptAt: f.nextAttemptAt ?? now },
          billed,
        };
      }
      this.deps.log.warn(
        { channel: row.channel, kind: row.kind, reason: f.reason, attempts: row.attempts },
        'message not delivered',
      );
      return { outcome: this.final(row, f.status, f.reason), billed };
    }
  }

  private final(row: ClaimedOutbox, status: 'failed' | 'skipped', reason: string): OutboxOutcome {
    this.count(row.channel, status, reason);
    return { status, reason };
  }

  private count(channel: string, status: string, reason: string): void {
    this.deps.metrics.inc('llw_outbox_final_total', 'Outbox rows by final status.', {
      channel,
      status,
      reason: reason.split(':')[0] ?? reason,
    });
  }

  private async report(report: OutboxReport): Promise<void> {
    const listener = this.listeners.get(report.kind);
    if (!listener) return;
    try {
      await listener(report);
    } catch (error) {
      this.deps.log.error({ err: error, kind: report.kind }, 'outbox report failed');
    }
  }

  private async slot(): Promise<void> {
    if (this.slots > 0) {
      this.slots -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
  }

  private release(): void {
    const next = this.slotWaiters.shift();
    if (next) next();
    else this.slots += 1;
  }
}
