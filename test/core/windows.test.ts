import { describe, expect, it } from 'vitest';
import type { ChannelId } from '../../src/core/events.js';
import { proactiveEligibility } from '../../src/core/windows.js';

const H = 3600_000;
const now = Date.UTC(2026, 9, 1, 12);
const contact = (channel: ChannelId, hoursAgo: number | null, followed: boolean | null = null) => ({
  channel,
  lastInboundAt: hoursAgo === null ? null : now - hoursAgo * H,
  followed,
});

describe('proactive eligibility per platform', () => {
  it.each([
    ['messenger inside 24 h', contact('messenger', 23), { eligible: true, billed: false }],
    [
      'messenger outside 24 h',
      contact('messenger', 25),
      { eligible: false, reason: 'outside-24h-window' },
    ],
    [
      'messenger never wrote',
      contact('messenger', null),
      { eligible: false, reason: 'never-interacted' },
    ],
    ['zalo inside 48 h', contact('zalo', 47, true), { eligible: true, billed: false }],
    ['zalo 3 days: billed', contact('zalo', 72, true), { eligible: true, billed: true }],
    [
      'zalo past 7 days',
      contact('zalo', 7 * 24 + 1, true),
      { eligible: false, reason: 'past-7-days' },
    ],
    ['zalo unfollowed', contact('zalo', 1, false), { eligible: false, reason: 'unfollowed' }],
    ['viber in session', contact('viber', 2, true), { eligible: true, billed: false }],
    ['viber outside session: billed', contact('viber', 30, true), { eligible: true, billed: true }],
    ['viber unsubscribed', contact('viber', 1, false), { eligible: false, reason: 'unsubscribed' }],
  ])('%s', (_name, c, expected) => {
    expect(proactiveEligibility(c, now)).toEqual(expected);
  });
});
