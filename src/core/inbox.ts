import type { FastifyBaseLogger } from 'fastify';
import type { Coordinator } from '../coord/coordinator.js';
import type { Keys } from '../coord/keys.js';
import type { InboxRepo, InboxRow } from '../store/inbox-repo.js';
import type { InboxPort } from './channel.js';
import type { Clock } from './clock.js';
import type { InboundEvent } from './events.js';
import { InvalidInputError, ServiceUnavailableError } from './errors.js';
import { cleanEvents } from './poison.js';
import { TurnOutcome } from './turn-outcome.js';

/** The inbox row a turn is for, which the processor confirms is its conversation's next. */
export interface TurnOrder {
  id: number;
  conversation: string;
}

/**
 * Runs the turn for one recorded event, collecting what it says and writes into `outcome`. Given
 * `order`, it first confirms, in the statement it reads with, that row `order.id` is the oldest
 * pending row of its conversation, and otherwise throws `OutOfTurnError` before the turn runs.
 */
export type EventProcessor = (
  event: InboundEvent,
  outcome: TurnOutcome,
  order?: TurnOrder,
) => Promise<void>;

/** A row that is not its conversation's oldest pending one (`firstPending`, null for none). */
export class OutOfTurnError extends Error {
  constructor(readonly firstPending: number | null) {
    super("the inbox row is not its conversation's next pending row");
    this.name = 'OutOfTurnError';
  }
}

/** Commits a turn's outcome with its inbox row marked processed (one transaction). */
export type TurnCommitter = (
  row: InboxRow,
  status: 'done' | 'failed',
  outcome: TurnOutcome,
) => Promise<void>;

/**
 * A platform retries for about a day at most; processed inbox rows, whose unique key refuses a
 * repeat, are kept longer than that.
 */
export const DEDUPE_TTL_MS = 48 * 3600_000;

/** Pending events read at a time by a conversation's drain. */
const DRAIN_BATCH = 50;

/** How long a webhook waits for storage and Redis before it is answered 503 (platforms retry). */
export const ACCEPT_TIMEOUT_MS = 1500;

/**
 * The inbound pipeline after a channel verified and parsed a request:
 * dedupe ▸ durable record ▸ (ack) ▸ one turn at a time per conversation, in arrival order.
 */
export class Inbox implements InboxPort {
  private readonly inFlight = new Set<Promise<void>>();
  /** Conversations with a drain queued but not started: a second schedule is then a no-op. */
  private readonly queued = new Set<string>();
  private readonly waiters = new Map<string, Array<() => void>>();
  /**
   * The rows this process recorded and has not run yet, per conversation, so a drain need not
   * read back what it just wrote (one process, or a processor that `confirmsOrder`). A
   * conversation whose pending rows may not all be here (recovered at start or by the sweep, a
   * drain that failed, an older row another process recorded) is `unsure` and read from the
   * database by its next drain.
   */
  private readonly recorded = new Map<string, InboxRow[]>();
  private readonly unsure = new Set<string>();
  private closed = false;
  /** Events waiting for the next group commit, with their callers. */
  private batch: Array<{
    events: InboundEvent[];
    done: (rows: InboxRow[]) => void;
    fail: (e: unknown) => void;
  }> = [];
  private flushScheduled = false;

  constructor(
    private readonly deps: {
      repo: InboxRepo;
      coord: Coordinator;
      keys: Keys;
      clock: Clock;
      log: FastifyBaseLogger;
      process: EventProcessor;
      /** Commits the outcome of each turn (state, inbox row, outbox rows); default: the row only. */
      commit?: TurnCommitter;
      /** Delivers a conversation's queued messages now (acceptAndWait waits for it). */
      deliver?: (conversation: string) => Promise<void>;
      /** Resolves when no delivery of queued messages is running (idle() waits for it too). */
      deliveriesIdle?: () => Promise<void>;
      /** One process owns the inbox (SQLite): its own records are all there is to run. */
      singleProcess?: boolean;
      /**
       * The processor confirms a `TurnOrder` (core/processor.ts does, in the contact upsert), so
       * that several processes (PostgreSQL) run the rows each recorded from memory too, without
       * reading them back: a row another process recorded earlier, or already ran, is found out
       * in the statement the turn reads with anyway.
       */
      confirmsOrder?: boolean;
      /** Events refused as unstorable (counted on /metrics). */
      onRefused?: (channel: string, n: number) => void;
      acceptTimeoutMs?: number;
    },
  ) {}

  /**
   * Records the events that were not seen before and schedules their turns. Resolves once they
   * are durable, which is when the webhook may be acknowledged; the turns run afterwards.
   */
  async accept(events: InboundEvent[]): Promise<InboundEvent[]> {
    if (this.closed) throw new Error('inbox is closed');
    // One unstorable event is cleaned or refused on its own, never failing its neighbours.
    const cleaned = cleanEvents(events);
    if (cleaned.refused > 0)
      this.deps.onRefused?.(events[0]?.channel ?? 'unknown', cleaned.refused);
    if (cleaned.events.length === 0 && events.length > 0)
      throw new InvalidInputError('The events name a user id that is not valid UTF-16 text.');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        // After the loop was busy past the deadline (a module loading, a long collection),
        // timers run before the I/O that finished meanwhile is seen: look once more first.
        setImmediate(() =>
          reject(new ServiceUnavailableError('Storage is not answering; retry shortly.', 5)),
        );
      }, this.deps.acceptTimeoutMs ?? ACCEPT_TIMEOUT_MS);
    });
    // After a timeout the work goes on: if the events get recorded late, the platform's retry
    // (it was told 503) is dropped as a duplicate and the turn runs once; if not, it is let in.
    const work = this.acceptNow(cleaned.events);
    work.catch(() => undefined);
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The inbox's unique key on (channel, event id) is the dedupe: a platform's retry, or the same
   * event twice in one group commit, gets no row and so no turn. A retry that arrives while the
   * first delivery is still being recorded waits for that record (PostgreSQL holds the second
   * insert on the key until the first commits; SQLite's commits run one after the other) and is
   * recorded itself should the first fail, where a claim taken beforehand would have dropped it.
   */
  private async acceptNow(events: InboundEvent[]): Promise<InboundEvent[]> {
    if (events.length === 0) return [];
    await this.deps.coord.ready().catch(() => {
      throw new ServiceUnavailableError('Coordination is not answering; retry shortly.', 5);
    });
    const rows = await this.record(events);
    if (this.fromMemory)
      for (const row of rows) {
        const list = this.recorded.get(row.conversation);
        if (list) list.push(row);
        else this.recorded.set(row.conversation, [row]);
      }
    for (const conversation of new Set(rows.map((r) => r.conversation)))
      this.schedule(conversation);
    return rows.map((r) => r.event);
  }

  /**
   * Group commit: events of every request that arrives while the previous commit is running go
   * into one transaction; each caller resumes when the commit holding its events is on disk.
   */
  private record(events: InboundEvent[]): Promise<InboxRow[]> {
    return new Promise((done, fail) => {
      this.batch.push({ events, done, fail });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const items = this.batch.splice(0);
    try {
      const rows = await this.insert(items.flatMap((i) => i.events));
      // An event sent twice in one commit has one row: it goes to the first request that sent it.
      const taken = new Set<number>();
      for (const item of items) item.done(mine(rows, item.events, taken));
    } catch (error) {
      if (items.length === 1) items[0]!.fail(error);
      else {
        // One request's events broke the shared commit: each request commits on its own, so
        // only the bad one fails.
        for (const item of items) {
          try {
            item.done(mine(await this.insert(item.events), item.events, new Set()));
          } catch (own) {
            item.fail(own);
          }
        }
      }
    } finally {
      if (this.batch.length > 0) setImmediate(() => void this.flush());
      else this.flushScheduled = false;
    }
  }

  private insert(events: InboundEvent[]): Promise<InboxRow[]> {
    return this.deps.repo.insertNew(events, this.deps.clock.now());
  }

  /** Like `accept`, then waits until the turns of these events have run (simulator, tests). */
  async acceptAndWait(events: InboundEvent[]): Promise<InboundEvent[]> {
    const waits = events.map((e) => this.waitFor(e));
    const accepted = await this.accept(events);
    const acceptedIds = new Set(accepted.map((e) => `${e.channel}:${e.eventId}`));
    await Promise.all(
      events.flatMap((e, i) =>
        acceptedIds.has(`${e.channel}:${e.eventId}`) && waits[i] ? [waits[i]] : [],
      ),
    );
    for (const e of events)
      if (!acceptedIds.has(`${e.channel}:${e.eventId}`))
        this.waiters.delete(`${e.channel}:${e.eventId}`);
    return accepted;
  }

  /** Picks up every pending event (after a restart, or events another process left behind). */
  async recover(): Promise<number> {
    const conversations = await this.deps.repo.pendingConversations();
    for (const c of conversations) {
      this.unsure.add(c);
      this.schedule(c);
    }
    return conversations.length;
  }

  /**
   * Resolves when no turn is running or queued in this process and the messages they queued
   * were tried once (retries waiting for their backoff do not count).
   */
  async idle(): Promise<void> {
    do {
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      await this.deps.deliveriesIdle?.();
    } while (this.inFlight.size > 0);
  }

  /** Stops taking events and waits for the turns in flight. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private waitFor(event: InboundEvent): Promise<void> {
    const key = `${event.channel}:${event.eventId}`;
    return new Promise((resolve) => {
      const list = this.waiters.get(key) ?? [];
      list.push(resolve);
      this.waiters.set(key, list);
    });
  }

  private settle(event: InboundEvent): void {
    const key = `${event.channel}:${event.eventId}`;
    const list = this.waiters.get(key);
    if (!list) return;
    this.waiters.delete(key);
    for (const resolve of list) resolve();
  }

  private schedule(conversation: string): void {
    if (this.queued.has(conversation)) return;
    this.queued.add(conversation);
    const run = this.deps.coord
      .withLock(this.deps.keys.conversationLock(conversation), async () => {
        this.queued.delete(conversation);
        await this.drain(conversation);
      })
      .catch((error: unknown) => {
        this.queued.delete(conversation);
        // Its rows stay pending in the database; the next drain reads them from there.
        this.unsure.add(conversation);
        this.deps.log.error(
          { err: error, conversation: redactConversation(conversation) },
          'inbox drain failed; events stay pending',
        );
      })
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  /** Whether recorded rows are kept in memory for their drain. */
  private get fromMemory(): boolean {
    return Boolean(this.deps.singleProcess || this.deps.confirmsOrder);
  }

  /**
   * The conversation's next pending rows, oldest first, from memory when they may all be there;
   * `confirm` when each is to be confirmed as the next by its turn (several processes).
   */
  private async pendingRows(conversation: string): Promise<{ rows: InboxRow[]; confirm: boolean }> {
    const held = this.recorded.get(conversation);
    if (!this.unsure.has(conversation) && held) {
      const confirm = !this.deps.singleProcess;
      this.recorded.delete(conversation);
      if (held.length <= DRAIN_BATCH) return { rows: held, confirm };
      this.recorded.set(conversation, held.slice(DRAIN_BATCH));
      return { rows: held.slice(0, DRAIN_BATCH), confirm };
    }
    if (!this.fromMemory)
      return { rows: await this.deps.repo.pending(conversation, DRAIN_BATCH), confirm: false };
    // Read back from the database: it holds every pending row, those in memory too.
    this.unsure.delete(conversation);
    const rows = await this.deps.repo.pending(conversation, DRAIN_BATCH);
    const last = rows.at(-1)?.id ?? 0;
    const rest = (this.recorded.get(conversation) ?? []).filter((r) => r.id > last);
    if (rest.length > 0) this.recorded.set(conversation, rest);
    else this.recorded.delete(conversation);
    if (rows.length === DRAIN_BATCH) this.unsure.add(conversation);
    return { rows, confirm: false };
  }

  /** Runs every pending event of a conversation in order, holding its lock. */
  private async drain(conversation: string): Promise<void> {
    for (;;) {
      const { rows, confirm } = await this.pendingRows(conversation);
      if (rows.length === 0) return;
      let reread = false;
      for (const [i, row] of rows.entries()) {
        let status: 'done' | 'failed' = 'done';
        const outcome = new TurnOutcome();
        try {
          // Sends and dialog state are collected, then committed with the inbox row.
          await this.deps.process(
            row.event,
            outcome,
            confirm ? { id: row.id, conversation } : undefined,
          );
        } catch (error) {
          if (error instanceof OutOfTurnError) {
            if (error.firstPending === null || error.firstPending > row.id) {
              // Another process ran it already (it read this conversation from the database).
              this.settle(row.event);
              continue;
            }
            // Another process recorded an older row: this and the rest wait behind it.
            this.unsure.add(conversation);
            this.recorded.set(conversation, [
              ...rows.slice(i),
              ...(this.recorded.get(conversation) ?? []),
            ]);
            reread = true;
            break;
          }
          // A failed turn is recorded as failed with whatever it said (an apology, usually).
          status = 'failed';
          this.deps.log.error(
            {
              err: error,
              channel: row.event.channel,
              eventId: row.event.eventId,
              kind: row.event.kind,
            },
            'turn failed',
          );
        }
        // If this throws, the row stays pending and nothing was sent: the drain fails, and the
        // recovery sweep runs the turn again.
        if (this.deps.commit) await this.deps.commit(row, status, outcome);
        else await this.deps.repo.finish(row.id, status, this.deps.clock.now());
        const key = `${row.event.channel}:${row.event.eventId}`;
        if (this.waiters.has(key) && this.deps.deliver) await this.deps.deliver(conversation);
        this.settle(row.event);
      }
      if (reread) continue;
      // A short read saw every pending event: one recorded after it scheduled a drain of its own
      // (`schedule` runs after the record's commit, and this drain left the queue before reading).
      if (rows.length < DRAIN_BATCH) return;
    }
  }
}

/** The rows recorded for one request's events that no earlier request of the commit took. */
function mine(rows: InboxRow[], events: InboundEvent[], taken: Set<number>): InboxRow[] {
  const keys = new Set(events.map((e) => `${e.channel}:${e.eventId}`));
  return rows.filter((r) => {
    if (taken.has(r.id) || !keys.has(`${r.event.channel}:${r.event.eventId}`)) return false;
    taken.add(r.id);
    return true;
  });
}

/** Log-safe form of a conversation key: the channel and a short hash-like tail, never the whole id. */
function redactConversation(conversation: string): string {
  const [channel, user = ''] = conversation.split(':');
  return `${channel}:…${user.slice(-4)}`;
}
