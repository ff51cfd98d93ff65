import type { Contact } from '../store/contacts-repo.js';

const HOUR = 3600_000;

/** Platform messaging windows for messages the bot starts (documented in ../shared/platforms/README.md). */
export const WINDOWS = {
  /** Messenger: free-form messages only within 24 h of the user's last message or tap. */
  messengerMs: 24 * HOUR,
  /** Zalo: free within 48 h of the last interaction, billed up to 7 days, refused after. */
  zaloFreeMs: 48 * HOUR,
  zaloMaxMs: 7 * 24 * HOUR,
  /** Viber: inside a 24 h session the message is free; outside it is billed (subscribers only). */
  viberSessionMs: 24 * HOUR,
} as const;

/** Why a contact cannot be messaged by the bot right now. */
export type IneligibleReason =
  'outside-24h-window' | 'past-7-days' | 'unsubscribed' | 'unfollowed' | 'never-interacted';

/** Whether the bot may start a message to this contact now, and whether the platform bills it. */
export type Eligibility =
  { eligible: true; billed: boolean } | { eligible: false; reason: IneligibleReason };

/** Applies each platform's rules for bot-initiated messages to one contact at time `now`. */
export function proactiveEligibility(
  contact: Pick<Contact, 'channel' | 'lastInboundAt' | 'followed'>,
  now: number,
): Eligibility {
  const since = contact.lastInboundAt === null ? Infinity : now - contact.lastInboundAt;
  switch (contact.channel) {
    case 'messenger':
      if (contact.lastInboundAt === null) return { eligible: false, reason: 'never-interacted' };
      return since <= WINDOWS.messengerMs
        ? { eligible: true, billed: false }
        : { eligible: false, reason: 'outside-24h-window' };
    case 'zalo':
      if (contact.followed === false) return { eligible: false, reason: 'unfollowed' };
      if (contact.lastInboundAt === null) return { eligible: false, reason: 'never-interacted' };
      if (since <= WINDOWS.zaloFreeMs) return { eligible: true, billed: false };
      return since <= WINDOWS.zaloMaxMs
        ? { eligible: true, billed: true }
        : { eligible: false, reason: 'past-7-days' };
    case 'viber':
      if (contact.followed === false) return { eligible: false, reason: 'unsubscribed' };
      if (contact.lastInboundAt === null && contact.followed !== true)
        return { eligible: false, reason: 'never-interacted' };
      return { eligible: true, billed: since > WINDOWS.viberSessionMs };
    case 'simulator':
      return { eligible: true, billed: false };
  }
}
