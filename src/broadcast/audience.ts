import type { ChannelId } from '../core/events.js';
import { InvalidInputError } from '../core/errors.js';
import type { DeliveriesRepo } from '../store/deliveries-repo.js';
import type { Segment } from './model.js';
import { inSegment, PlanTally, judge, type Audience, type Plan } from './planner.js';

/**
 * Contact ids registered for a course or session. The registrations feature provides it (table
 * `registrations`); without it a segment that asks for registrants is refused, never widened.
 */
export type RegistrationFilter = (filter: {
  course?: string;
  session?: string;
}) => Promise<ReadonlySet<number>>;

const PAGE = 2000;

/** Visits the segment's contacts page by page (memory stays flat whatever the audience size). */
export async function forEachInSegment(
  deliveries: DeliveriesRepo,
  segment: Segment,
  registrations: RegistrationFilter | undefined,
  visit: (page: Audience[]) => Promise<void>,
): Promise<void> {
  let registered: ReadonlySet<number> | undefined;
  if (segment.registered) {
    if (!registrations) {
      throw new InvalidInputError(
        'segment.registered: this server has no course registrations yet; leave "registered" out.',
      );
    }
    registered = await registrations(segment.registered);
  }
  let after = 0;
  for (;;) {
    const page = await deliveries.audiencePage(after, PAGE, segment.channels);
    if (page.length === 0) return;
    after = page[page.length - 1]!.id;
    await visit(
      page.filter(
        (c) => inSegment(c, segment) && (registered === undefined || registered.has(c.id)),
      ),
    );
    if (page.length < PAGE) return;
  }
}

/** Plans a broadcast over the stored contacts without writing anything. */
export async function planSegment(
  deliveries: DeliveriesRepo,
  segment: Segment,
  now: number,
  channelsOn: ReadonlySet<ChannelId>,
  registrations: RegistrationFilter | undefined,
): Promise<Plan> {
  const tally = new PlanTally();
  await forEachInSegment(deliveries, segment, registrations, async (page) => {
    for (const c of page) tally.add(c.channel, judge(c, now, channelsOn));
  });
  return tally.result(now);
}

/**
 * Writes one delivery row per opted-in contact of the segment: `pending` when the platform
 * allows a message now, `skipped` with the reason otherwise. Idempotent (rows already there stay),
 * so a crash half-way is finished by the next attempt. Returns the plan at this moment.
 */
export async function materialise(
  deliveries: DeliveriesRepo,
  broadcastId: number,
  segment: Segment,
  now: number,
  channelsOn: ReadonlySet<ChannelId>,
  registrations: RegistrationFilter | undefined,
): Promise<Plan> {
  const tally = new PlanTally();
  await forEachInSegment(deliveries, segment, registrations, async (page) => {
    const rows = [];
    for (const contact of page) {
      const verdict = judge(contact, now, channelsOn);
      tally.add(contact.channel, verdict);
      // Contacts who never opted in get no row: silence is not consent.
      if (!contact.optedIn) continue;
      rows.push(
        verdict.send
          ? {
              broadcastId,
              contact,
              status: 'pending' as const,
              reason: null,
              billed: verdict.billed,
            }
          : {
              broadcastId,
              contact,
              status: 'skipped' as const,
              reason: verdict.reason,
              billed: false,
            },
      );
    }
    await deliveries.insertMany(rows, now);
  });
  return tally.result(now);
}
