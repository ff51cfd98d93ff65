import type { ChannelId, Locale } from '../core/events.js';
import { proactiveEligibility, type IneligibleReason } from '../core/windows.js';
import { fold } from '../core/text.js';
import type { Segment } from './model.js';
import { wantsTopics } from './topics.js';

/** What the planner needs to know about a contact. */
export interface Audience {
  id: number;
  channel: ChannelId;
  userId: string;
  locale: Locale | null;
  lastInboundAt: number | null;
  followed: boolean | null;
  optedIn: boolean;
  topics: string[];
  province: string | null;
  audience: string | null;
}

/** Why someone in the segment gets nothing. */
export type SkipReason = IneligibleReason | 'not-opted-in' | 'channel-off';

/** The decision for one contact of the segment. */
export type Verdict = { send: true; billed: boolean } | { send: false; reason: SkipReason };

/** Per channel: who can be sent to for free, who is billed, who cannot and why. */
export interface ChannelPlan {
  eligibleFree: number;
  eligibleBilled: number;
  notEligible: number;
  reasons: Partial<Record<SkipReason, number>>;
}

/** What a broadcast would do right now, per channel; nothing is sent to compute it. */
export interface Plan {
  at: string;
  /** Contacts in the segment (opted in or not). */
  total: number;
  eligible: number;
  billed: number;
  notEligible: number;
  byChannel: Partial<Record<ChannelId, ChannelPlan>>;
}

/** True when the contact matches the segment's channel, place, group, language and topics. */
export function inSegment(contact: Audience, segment: Segment): boolean {
  if (segment.channels && !segment.channels.includes(contact.channel)) return false;
  if (segment.languages && !segment.languages.includes(contact.locale ?? 'vi')) return false;
  if (segment.provinces && !matchesFolded(contact.province, segment.provinces)) return false;
  if (segment.audiences && !matchesFolded(contact.audience, segment.audiences)) return false;
  if (segment.topics && !wantsTopics(contact.topics, segment.topics)) return false;
  return true;
}

// "Hà Nội", "ha noi" and "HA NOI" are the same province.
function matchesFolded(value: string | null, wanted: readonly string[]): boolean {
  if (value === null) return false;
  const folded = fold(value);
  return wanted.some((w) => fold(w) === folded);
}

/**
 * Applies consent and each platform's rules to one contact of the segment at `now`. A platform
 * refusal that lasts (unfollowed, unsubscribed) is named before a missing opt-in, the more
 * useful reason for an organiser; windows come last because they change with time.
 */
export function judge(contact: Audience, now: number, channelsOn: ReadonlySet<ChannelId>): Verdict {
  if (!channelsOn.has(contact.channel)) return { send: false, reason: 'channel-off' };
  const eligibility = proactiveEligibility(contact, now);
  if (!eligibility.eligible && contact.followed === false)
    return { send: false, reason: eligibility.reason };
  if (!contact.optedIn) return { send: false, reason: 'not-opted-in' };
  if (!eligibility.eligible) return { send: false, reason: eligibility.reason };
  return { send: true, billed: eligibility.billed };
}

/** Adds verdicts up into a plan. */
export class PlanTally {
  private readonly byChannel: Partial<Record<ChannelId, ChannelPlan>> = {};
  private total = 0;

  add(channel: ChannelId, verdict: Verdict): void {
    this.total += 1;
    const plan = (this.byChannel[channel] ??= {
      eligibleFree: 0,
      eligibleBilled: 0,
      notEligible: 0,
      reasons: {},
    });
    if (verdict.send) {
      if (verdict.billed) plan.eligibleBilled += 1;
      else plan.eligibleFree += 1;
    } else {
      plan.notEligible += 1;
      plan.reasons[verdict.reason] = (plan.reasons[verdict.reason] ?? 0) + 1;
    }
  }

  result(now: number): Plan {
    const channels = Object.values(this.byChannel);
    const sum = (f: (p: ChannelPlan) => number) => channels.reduce((n, p) => n + f(p), 0);
    return {
      at: new Date(now).toISOString(),
      total: this.total,
      eligible: sum((p) => p.eligibleFree + p.eligibleBilled),
      billed: sum((p) => p.eligibleBilled),
      notEligible: sum((p) => p.notEligible),
      byChannel: this.byChannel,
    };
  }
}

/** Plans a broadcast over contacts (pure: the caller reads them from the store). */
export function planFor(
  contacts: Iterable<Audience>,
  segment: Segment,
  now: number,
  channelsOn: ReadonlySet<ChannelId>,
): Plan {
  const tally = new PlanTally();
  for (const c of contacts)
    if (inSegment(c, segment)) tally.add(c.channel, judge(c, now, channelsOn));
  return tally.result(now);
}
