import type { Logger } from 'pino';
import type { BroadcastConfig } from '../config.js';
import type { Channel } from '../core/channel.js';
import type { Clock } from '../core/clock.js';
import { InvalidInputError } from '../core/errors.js';
import type { ChannelId, ReceiptEvent } from '../core/events.js';
import type { Coordinator } from '../coord/coordinator.js';
import type { Keys } from '../coord/keys.js';
import { RedisCoordinator } from '../coord/redis-coordinator.js';
import { BroadcastsRepo } from '../store/broadcasts-repo.js';
import type { ContactsRepo } from '../store/contacts-repo.js';
import type { Store } from '../store/db.js';
import { DeliveriesRepo } from '../store/deliveries-repo.js';
import { planSegment, type RegistrationFilter } from './audience.js';
import { BroadcastEngine, type EngineOptions } from './engine.js';
import type { BroadcastInput } from './input.js';
import { MemoryRateLimiter, RedisRateLimiter } from './limiter.js';
import type { Broadcast } from './model.js';
import type { Plan } from './planner.js';
import { quietEndsAt } from './quiet-hours.js';
import { buildReport, type BroadcastReport } from './report.js';

/** A broadcast cannot go where it was asked to (cancel a finished one, queue a sent one). */
export class BroadcastStateError extends Error {
  readonly statusCode = 409;
  constructor(message: string) {
    super(message);
    this.name = 'BroadcastStateError';
  }
}

/** How far back a schedule time may be (clock skew between the organiser and the server). */
const PAST_SLACK_MS = 5 * 60_000;
const MAX_AHEAD_MS = 366 * 24 * 3600_000;

/** Broadcasts end to end: plan, create, queue, cancel, report, and the sending engine. */
export class BroadcastService {
  readonly broadcasts: BroadcastsRepo;
  readonly deliveries: DeliveriesRepo;
  readonly engine: BroadcastEngine;
  /** Set by the registrations feature so segments can target people registered for a course. */
  registrations: RegistrationFilter | undefined;

  constructor(
    private readonly deps: {
      store: Store;
      contacts: ContactsRepo;
      channels: ReadonlyMap<ChannelId, Channel>;
      coord: Coordinator;
      keys: Keys;
      clock: Clock;
      log: Logger;
      config: BroadcastConfig;
      timezone: string;
    },
    engineOptions: Partial<EngineOptions> = {},
  ) {
    this.broadcasts = new BroadcastsRepo(deps.store.db);
    this.deliveries = new DeliveriesRepo(deps.store.db, deps.store.dialect);
    const limiter =
      deps.coord instanceof RedisCoordinator
        ? new RedisRateLimiter(deps.coord.client, deps.config.rates, deps.keys.rate)
        : new MemoryRateLimiter(deps.config.rates);
    this.engine = new BroadcastEngine(
      {
        ...deps,
        broadcasts: this.broadcasts,
        deliveries: this.deliveries,
        limiter,
        dialect: deps.store.dialect,
        log: deps.log.child({ component: 'broadcast' }),
        registrations: () => this.registrations,
      },
      engineOptions,
    );
  }

  /** What a broadcast to this segment would do now (writes nothing). */
  plan(segment: BroadcastInput['segment']): Promise<Plan> {
    return planSegment(
      this.deliveries,
      segment,
      this.deps.clock.now(),
      new Set(this.deps.channels.keys()),
      this.registrations,
    );
  }

  /**
   * Validates the schedule, plans, and stores the broadcast: a draft for a dry run (nothing is
   * sent; `queue` sends it later), otherwise scheduled. One insert: nothing is half-written.
   */
  async create(
    input: BroadcastInput,
  ): Promise<{ broadcast: Broadcast; plan: Plan; startsAt: number }> {
    const now = this.deps.clock.now();
    if (input.scheduleAt !== undefined && input.scheduleAt < now - PAST_SLACK_MS)
      throw new InvalidInputError('scheduleAt: is in the past; leave it out to send now.');
    if (input.scheduleAt !== undefined && input.scheduleAt > now + MAX_AHEAD_MS)
      throw new InvalidInputError('scheduleAt: is more than a year ahead.');
    const plan = await this.plan(input.segment);
    const scheduleAt = Math.max(input.scheduleAt ?? now, now);
    const broadcast = await this.broadcasts.insert(
      {
        status: input.dryRun ? 'draft' : 'scheduled',
        message: input.message,
        button: input.button ?? null,
        segment: input.segment,
        scheduleAt,
        plan,
      },
      now,
    );
    this.deps.log.info(
      { broadcast: broadcast.id, status: broadcast.status, eligible: plan.eligible },
      'broadcast created',
    );
    return { broadcast, plan, startsAt: this.startsAt(scheduleAt) };
  }

  /** Queues a draft (a dry run the organiser confirmed), planning again at this moment. */
  async queue(id: number): Promise<{ broadcast: Broadcast; plan: Plan; startsAt: number }> {
    const broadcast = await this.require(id);
    const now = this.deps.clock.now();
    const plan = await this.plan(broadcast.segment);
    const scheduleAt = Math.max(broadcast.scheduleAt, now);
    if (!(await this.broadcasts.transition(id, ['draft'], 'scheduled', now, { plan, scheduleAt })))
      throw new BroadcastStateError(
        `broadcast ${id} is ${broadcast.status}, not a draft: only a dry run can be queued.`,
      );
    return {
      broadcast: (await this.broadcasts.get(id))!,
      plan,
      startsAt: this.startsAt(scheduleAt),
    };
  }

  /** Cancels a broadcast at any time before it is done: recipients not sent yet are skipped. */
  async cancel(id: number): Promise<Broadcast> {
    const broadcast = await this.require(id);
    const now = this.deps.clock.now();
    const moved = await this.broadcasts.transition(
      id,
      ['draft', 'scheduled', 'sending'],
      'cancelled',
      now,
    );
    if (!moved) {
      const current = (await this.broadcasts.get(id))!;
      if (current.status !== 'cancelled')
        throw new BroadcastStateError(
          `broadcast ${id} is already ${current.status}; there is nothing to cancel.`,
        );
      return current;
    }
    const skipped = await this.deliveries.skipPending(id, 'cancelled', now);
    this.deps.log.info({ broadcast: id, was: broadcast.status, skipped }, 'broadcast cancelled');
    return (await this.broadcasts.get(id))!;
  }

  /**
   * Sends again to the recipients whose send failed (the others are never sent twice): they go
   * back to the queue and a finished broadcast resumes sending.
   */
  async retryFailed(id: number): Promise<number> {
    const broadcast = await this.require(id);
    if (broadcast.status !== 'done' && broadcast.status !== 'sending')
      throw new BroadcastStateError(
        `broadcast ${id} is ${broadcast.status}: only a sending or finished one can be retried.`,
      );
    const now = this.deps.clock.now();
    const requeued = await this.deliveries.requeueFailed(id, now);
    if (requeued === 0)
      throw new BroadcastStateError(`broadcast ${id} has no failed recipients to retry.`);
    // Also when it was `sending`: the engine may have finished it a moment ago.
    await this.broadcasts.transition(id, ['done'], 'sending', now);
    this.deps.log.info({ broadcast: id, requeued }, 'broadcast retry');
    return requeued;
  }

  /** Status, counts and per-channel counts of a broadcast. */
  async report(id: number): Promise<BroadcastReport | undefined> {
    const broadcast = await this.broadcasts.get(id);
    if (!broadcast) return undefined;
    const [counts, plan] = await Promise.all([
      this.deliveries.counts(id),
      this.broadcasts.plan(id),
    ]);
    return buildReport(broadcast, counts, plan);
  }

  /** The newest broadcasts with their counts. */
  async list(limit = 50): Promise<BroadcastReport[]> {
    const reports: BroadcastReport[] = [];
    for (const b of await this.broadcasts.list(limit))
      reports.push(buildReport(b, await this.deliveries.counts(b.id), undefined));
    return reports;
  }

  /** Platform receipts update the deliveries they name. */
  readonly onReceipt = async (event: ReceiptEvent): Promise<void> => {
    await this.deliveries.applyReceipt(event, this.deps.clock.now());
  };

  start(): void {
    this.engine.start();
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  /** When a broadcast scheduled at `at` will really start (after quiet hours). */
  private startsAt(at: number): number {
    return quietEndsAt(at, this.deps.config.quietHours, this.deps.timezone);
  }

  private async require(id: number): Promise<Broadcast> {
    const broadcast = await this.broadcasts.get(id);
    if (!broadcast) throw new NotFoundError(`No broadcast ${id}.`);
    return broadcast;
  }
}

/** No such broadcast. */
export class NotFoundError extends Error {
  readonly statusCode = 404;
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}
