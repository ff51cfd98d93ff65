import type { Logger } from 'pino';
import type { BroadcastConfig } from '../config.js';
import type { Channel } from '../core/channel.js';
import type { Clock } from '../core/clock.js';
import type { ChannelId, Locale, OutboundMessage } from '../core/events.js';
import type { Coordinator } from '../coord/coordinator.js';
import type { Keys } from '../coord/keys.js';
import type { BroadcastsRepo } from '../store/broadcasts-repo.js';
import type { ContactsRepo } from '../store/contacts-repo.js';
import type { ClaimedDelivery, DeliveriesRepo, DeliveryOutcome } from '../store/deliveries-repo.js';
import type { Dialect } from '../store/migration-helpers.js';
import { materialise, type RegistrationFilter } from './audience.js';
import type { Broadcast } from './model.js';
import {
  DEFAULT_RETRY,
  markUnreachable,
  outcomeOf,
  retryDeadline,
  type RetryPolicy,
} from '../core/delivery-policy.js';
import { judge } from './planner.js';
import { isQuiet } from './quiet-hours.js';
import type { RateLimiter } from './limiter.js';
import { renderFor } from './render.js';

/** Tuning of the engine; the defaults suit production, tests shorten them. */
export interface EngineOptions {
  /** How often the worker looks for due broadcasts and recipients. */
  pollMs: number;
  /** Most recipients claimed at once for one-by-one sends (also the in-flight bound per channel). */
  batchSize: number;
  /** Recipients per platform batch call (Viber `broadcast_message` takes up to 300). */
  platformBatch: number;
  /** Claim-send-record rounds a channel may have in flight at once. */
  roundsInFlight: number;
  /** Shortest wait between rounds when the rate limit is the bottleneck (ms). */
  minRoundMs: number;
  /** On PostgreSQL, a row `sending` longer than this belongs to a dead process: it becomes unknown. */
  leaseMs: number;
  retry: RetryPolicy;
}

/** Defaults of the engine. */
export const DEFAULT_ENGINE: EngineOptions = {
  pollMs: 1000,
  batchSize: 100,
  platformBatch: 300,
  roundsInFlight: 4,
  minRoundMs: 50,
  leaseMs: 5 * 60_000,
  retry: DEFAULT_RETRY,
};

/** What the engine works with. */
export interface EngineDeps {
  broadcasts: BroadcastsRepo;
  deliveries: DeliveriesRepo;
  contacts: ContactsRepo;
  channels: ReadonlyMap<ChannelId, Channel>;
  limiter: RateLimiter;
  coord: Coordinator;
  keys: Keys;
  clock: Clock;
  log: Logger;
  config: BroadcastConfig;
  timezone: string;
  dialect: Dialect;
  registrations: () => RegistrationFilter | undefined;
}

interface Ready {
  row: ClaimedDelivery;
  locale: Locale;
  billed: boolean;
  message: OutboundMessage;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends broadcasts: starts due ones (materialising their recipients), then per channel claims
 * due recipients within the rate limit, marks them `sending`, calls the platform and records the
 * outcome. Any number of processes may run it on PostgreSQL; one on SQLite.
 *
 * It calls `channel.send(userId, message, {mode: 'proactive'})` directly rather than
 * `adapter.continueConversation`: an announcement is not a turn (no dialog state to load or
 * save, no conversation lock to contend with the person's own turns), the typed errors and every
 * platform message id come back as they are, and 100,000 recipients cost no botbuilder turns.
 */
export class BroadcastEngine {
  private readonly options: EngineOptions;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private recovered = false;
  private stopping = false;
  /** Channels whose batch call failed for good (e.g. Viber broadcasting not enabled). */
  private readonly batchOff = new Set<ChannelId>();
  private readonly cache = new Map<number, Broadcast>();

  constructor(
    private readonly deps: EngineDeps,
    options: Partial<EngineOptions> = {},
  ) {
    this.options = { ...DEFAULT_ENGINE, ...options };
  }

  /** Runs the worker loop every `pollMs` until `close()`. */
  start(): void {
    this.stopping = false;
    const loop = () => {
      this.timer = setTimeout(() => {
        this.tick()
          .catch((error: unknown) => this.deps.log.error({ err: error }, 'broadcast tick failed'))
          .finally(() => {
            if (!this.stopping) loop();
          });
      }, this.options.pollMs);
      // The HTTP server keeps the process alive; this timer alone should not.
      this.timer.unref();
    };
    loop();
  }

  /** Stops the loop and waits for sends in flight to be recorded. */
  async close(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking?.catch(() => undefined);
  }

  /** One round: recover, start due broadcasts, send what is due on every channel, finish. */
  tick(): Promise<void> {
    this.ticking ??= this.round().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async round(): Promise<void> {
    const { deliveries, broadcasts, clock, dialect } = this.deps;
    const now = clock.now();
    if (!this.recovered || dialect === 'postgres') {
      // SQLite has one process: at start-up every `sending` row is from a process that died.
      // PostgreSQL may have live peers: only rows claimed longer ago than the lease.
      const interrupted = await deliveries.markInterrupted(
        now,
        dialect === 'postgres' ? now - this.options.leaseMs : undefined,
      );
      if (interrupted > 0)
        this.deps.log.warn({ interrupted }, 'deliveries in flight at a crash are now unknown');
      this.recovered = true;
    }
    if (!this.quiet(now)) {
      await this.startDue(now);
      await Promise.all([...this.deps.channels.keys()].map((id) => this.pump(id)));
    }
    for (const id of await broadcasts.finishCompleted(clock.now())) {
      this.cache.delete(id);
      this.deps.log.info({ broadcast: id }, 'broadcast done');
    }
  }

  private quiet(now: number): boolean {
    return isQuiet(now, this.deps.config.quietHours, this.deps.timezone);
  }

  /** Materialises the recipients of scheduled broadcasts whose time has come, then starts them. */
  private async startDue(now: number): Promise<void> {
    const { broadcasts, deliveries, coord, keys } = this.deps;
    for (const broadcast of await broadcasts.due(now)) {
      if (this.stopping) return;
      const lock = keys.lock(`broadcast-prepare:${broadcast.id}`);
      if (!(await coord.claim(lock, 10 * 60_000))) continue;
      try {
        const plan = await materialise(
          deliveries,
          broadcast.id,
          broadcast.segment,
          now,
          new Set(this.deps.channels.keys()),
          this.deps.registrations(),
        );
        const started = this.deps.clock.now();
        if (
          await broadcasts.transition(broadcast.id, ['scheduled'], 'sending', started, { plan })
        ) {
          this.deps.log.info(
            { broadcast: broadcast.id, eligible: plan.eligible, billed: plan.billed },
            'broadcast started',
          );
        } else if ((await broadcasts.get(broadcast.id))?.status === 'cancelled') {
          // Cancelled while its recipients were being written: skip what was written.
          await deliveries.skipPending(broadcast.id, 'cancelled', now);
        }
        // Otherwise another process read it as due too and started it first (it held the
        // prepare lock, then let it go): its recipients are being sent and must stay pending.
      } catch (error) {
        this.deps.log.error({ err: error, broadcast: broadcast.id }, 'broadcast could not start');
      } finally {
        await coord.release(lock);
      }
    }
  }

  /**
   * Sends due recipients of one channel until none is due, the rate limit pauses it, or quiet
   * hours start. Rounds (claim ▸ send ▸ record) overlap, up to `roundsInFlight`, so platform
   * latency does not eat into the rate.
   */
  private async pump(channelId: ChannelId): Promise<void> {
    const channel = this.deps.channels.get(channelId);
    if (!channel || !(await this.deps.deliveries.hasDue(channelId, this.deps.clock.now()))) return;
    const inFlight = new Set<Promise<void>>();
    try {
      for (;;) {
        const now = this.deps.clock.now();
        if (this.stopping || this.quiet(now)) return;
        if (inFlight.size >= this.options.roundsInFlight) {
          await Promise.race(inFlight);
          continue;
        }
        const batch = channel.sendBatch !== undefined && !this.batchOff.has(channelId);
        const grant = await this.deps.limiter.take(
          channelId,
          batch ? 1 : this.options.batchSize,
          now,
        );
        if (grant.granted === 0) {
          // A paused channel (429, bad token) waits for a later tick; the app clock may be a
          // test's, so this process does not sleep through it.
          if (grant.paused) return;
          // Waiting a little longer than one permit lets a round carry several recipients.
          await sleep(Math.max(grant.waitMs, this.options.minRoundMs));
          continue;
        }
        // Claim only what the permits cover: a claimed row waits in `sending`, and a crash
        // while it waits would make it unknown although nothing was sent.
        const rows = await this.deps.deliveries.claim(
          channelId,
          batch ? this.options.platformBatch : grant.granted,
          now,
        );
        if (rows.length === 0) {
          // Rounds in flight may put recipients back (a refused batch): look again after them.
          if (inFlight.size === 0) return;
          await Promise.race(inFlight);
          continue;
        }
        const round: Promise<void> = this.send(channel, rows, batch)
          .catch((error: unknown) =>
            this.deps.log.error({ err: error, channel: channelId }, 'broadcast round failed'),
          )
          .finally(() => inFlight.delete(round));
        inFlight.add(round);
      }
    } finally {
      await Promise.all(inFlight);
    }
  }

  private async send(channel: Channel, rows: ClaimedDelivery[], batch: boolean): Promise<void> {
    const now = this.deps.clock.now();
    const channelsOn = new Set(this.deps.channels.keys());
    const outcomes: DeliveryOutcome[] = [];
    const ready: Ready[] = [];
    for (const row of rows) {
      const broadcast = await this.broadcast(row.broadcastId);
      // Consent and windows are checked again now: people opt out and windows close meanwhile.
      const verdict = judge(row.contact, now, channelsOn);
      if (!broadcast || !verdict.send) {
        outcomes.push({
          id: row.id,
          status: 'skipped',
          reason: verdict.send ? 'broadcast-missing' : verdict.reason,
        });
        continue;
      }
      const { locale, message } = renderFor(broadcast, row.contact.locale);
      ready.push({ row, locale, billed: verdict.billed, message });
    }
    const unreachable: ClaimedDelivery[] = [];
    if (batch) await this.sendBatches(channel, ready, outcomes, unreachable);
    else
      await Promise.all(
        ready.map(async (r) => {
          try {
            const result = await channel.send(r.row.contact.userId, r.message, {
              mode: 'proactive',
            });
            outcomes.push(this.sent(r, result.messageIds[0]));
          } catch (error) {
            const failure = outcomeOf(
              error,
              r.row.attempts,
              r.row.id,
              this.deps.clock.now(),
              this.options.retry,
              retryDeadline(channel.id, r.row.contact.lastInboundAt, this.deps.clock.now()),
            );
            if (failure.pauseUntil) await this.deps.limiter.pause(channel.id, failure.pauseUntil);
            if (failure.markUnreachable) unreachable.push(r.row);
            outcomes.push({ id: r.row.id, locale: r.locale, ...failure });
          }
        }),
      );
    await this.deps.deliveries.finish(outcomes, this.deps.clock.now());
    for (const row of unreachable)
      await markUnreachable(
        this.deps.contacts,
        row.contact.channel,
        row.contact.userId,
        this.deps.log,
      );
  }

  /** One platform call per (broadcast, language) group of up to `platformBatch` people. */
  private async sendBatches(
    channel: Channel,
    ready: Ready[],
    outcomes: DeliveryOutcome[],
    unreachable: ClaimedDelivery[],
  ): Promise<void> {
    const groups = new Map<string, Ready[]>();
    for (const r of ready) {
      const key = `${r.row.broadcastId}:${r.locale}`;
      const group = groups.get(key);
      if (group) group.push(r);
      else groups.set(key, [r]);
    }
    let first = true;
    for (const group of groups.values()) {
      if (!first) await this.permit(channel.id);
      first = false;
      try {
        const { failed, messageIds } = await channel.sendBatch!(
          group.map((r) => r.row.contact.userId),
          group[0]!.message,
        );
        const reasons = new Map(failed.map((f) => [f.userId, f.reason]));
        for (const f of failed) {
          const r = f.unreachable
            ? group.find((g) => g.row.contact.userId === f.userId)
            : undefined;
          if (r) unreachable.push(r.row);
        }
        for (const r of group) {
          const reason = reasons.get(r.row.contact.userId);
          outcomes.push(
            reason === undefined
              ? this.sent(r, messageIds?.get(r.row.contact.userId))
              : {
                  id: r.row.id,
                  status: 'failed',
                  reason: `batch: ${reason.slice(0, 200)}`,
                  locale: r.locale,
                },
          );
        }
      } catch (error) {
        const now = this.deps.clock.now();
        const sample = outcomeOf(
          error,
          group[0]!.row.attempts,
          group[0]!.row.id,
          now,
          this.options.retry,
        );
        if (sample.status === 'pending' || sample.pauseUntil) {
          if (sample.pauseUntil) await this.deps.limiter.pause(channel.id, sample.pauseUntil);
          for (const r of group)
            outcomes.push({
              id: r.row.id,
              ...outcomeOf(error, r.row.attempts, r.row.id, now, this.options.retry),
            });
        } else {
          // The account cannot broadcast (Viber enables it on request): send one by one from now on.
          this.batchOff.add(channel.id);
          this.deps.log.warn(
            { channel: channel.id, err: error },
            'batch send refused; sending one by one',
          );
          for (const r of group)
            outcomes.push({
              id: r.row.id,
              status: 'pending',
              reason: 'batch-refused',
              nextAttemptAt: now,
            });
        }
      }
    }
  }

  private sent(r: Ready, messageId: string | undefined): DeliveryOutcome {
    return {
      id: r.row.id,
      status: 'sent',
      locale: r.locale,
      billed: r.billed,
      ...(messageId ? { messageId } : {}),
    };
  }

  private async permit(channel: ChannelId): Promise<void> {
    for (;;) {
      const grant = await this.deps.limiter.take(channel, 1, this.deps.clock.now());
      if (grant.granted > 0) return;
      await sleep(Math.min(grant.waitMs, 1000));
    }
  }

  private async broadcast(id: number): Promise<Broadcast | undefined> {
    let broadcast = this.cache.get(id);
    if (!broadcast) {
      broadcast = await this.deps.broadcasts.get(id);
      if (broadcast) this.cache.set(id, broadcast);
    }
    return broadcast;
  }
}
