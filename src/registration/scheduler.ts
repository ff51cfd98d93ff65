import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { RegistrationService } from './service.js';

/** What one tick did (numbers only: never who). */
export interface TickReport {
  promoted: number;
  remindersCreated: number;
  sent: number;
  purged: number;
}

const PURGE_EVERY_MS = 3600_000;

/**
 * Background work of the registration feature, on an interval: fills seats freed by a capacity
 * change, creates due reminders, sends pending notices (reminders and promotions) and purges
 * data whose retention ran out. Every step is idempotent, so overlapping processes are safe.
 */
export class RegistrationScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private lastPurge = -Infinity;

  constructor(
    private readonly deps: {
      service: RegistrationService;
      clock: Clock;
      log: Logger;
    },
  ) {}

  /** Runs one round now. */
  async tick(): Promise<TickReport> {
    const { service, clock } = this.deps;
    let promoted = 0;
    for (const sessionId of await service.repo.sessionsWithWaitlist()) {
      promoted += (
        await service.repo.fillSeats(sessionId, service.capacityOf(sessionId), clock.now())
      ).length;
    }
    const remindersCreated = await service.notices.createDueReminders();
    const sent = await service.notices.deliverPending();
    let purged = 0;
    if (clock.now() - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = clock.now();
      const result = await service.purgeExpired();
      purged = result.registrations + result.contacts;
    }
    return { promoted, remindersCreated, sent, purged };
  }

  /** Ticks now and then every `everyMs` (one tick at a time), until `stop()`. */
  start(everyMs = 60_000): void {
    const run = () => {
      if (this.running) return;
      this.running = this.tick()
        .then((report) => {
          if (report.sent + report.promoted + report.purged > 0)
            this.deps.log.info(report, 'registration scheduler tick');
        })
        .catch((error: unknown) =>
          this.deps.log.error({ err: error }, 'registration scheduler tick failed'),
        )
        .finally(() => {
          this.running = undefined;
        });
    };
    run();
    this.timer = setInterval(run, everyMs);
    this.timer.unref();
  }

  /** Stops the interval and waits for a tick in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
