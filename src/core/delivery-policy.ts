import {
  OutsideWindowError,
  PlatformError,
  RateLimitedError,
  RecipientUnreachableError,
  TokenInvalidError,
  TransportError,
} from './errors.js';
import type { ChannelId } from './events.js';
import { WINDOWS } from './windows.js';

/**
 * The one delivery policy of every outbound message (replies, notices, broadcasts): which
 * failures are retried, with what backoff, for how long, and which mark the contact.
 */
export interface RetryPolicy {
  /** Attempts after which a transient failure is reported (the window may end it earlier). */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/**
 * The default: 2 s doubling up to 15 min, 40 attempts (about 8 hours); the platform's window
 * (`retryDeadline`) usually ends the retries first.
 */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 40,
  backoffBaseMs: 2000,
  backoffMaxMs: 15 * 60_000,
};

/** What to do with a recipient after a failed send. */
export interface FailureOutcome {
  status: 'pending' | 'failed' | 'skipped';
  reason: string;
  nextAttemptAt?: number;
  /** Stop the whole channel until then (the platform asked us to slow down, or the token is bad). */
  pauseUntil?: number;
  /** The person blocked the bot or left: mark the contact unfollowed and opted out. */
  markUnreachable?: boolean;
}

/**
 * Exponential backoff after `attempts` tries, with a jitter derived from the delivery id (so
 * retries of one batch spread out, and a test can predict the range).
 */
export function backoffMs(attempts: number, id: number, policy: RetryPolicy): number {
  const base = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  const jitter = ((id * 7919) % 1000) / 5000; // 0 .. +20%
  return Math.round(base * (1 + jitter));
}

/**
 * Until when a message to someone may still be tried: Messenger 24 h after their last message,
 * Zalo 7 days (free for 48 h, billed after), Viber while subscribed (the platform refuses an
 * unsubscribed user for good, so a week bounds it), the simulator an hour.
 */
export function retryDeadline(
  channel: ChannelId,
  lastInboundAt: number | null,
  now: number,
): number {
  const since = lastInboundAt ?? now;
  switch (channel) {
    case 'messenger':
      return since + WINDOWS.messengerMs;
    case 'zalo':
      return since + WINDOWS.zaloMaxMs;
    case 'viber':
      return now + WINDOWS.zaloMaxMs;
    case 'simulator':
      return now + 3600_000;
  }
}

/**
 * Classifies a send error (core/errors.ts) into a retry, a failure or a skip. A retry that would
 * fall after `deadline` (the platform's window) is reported as failed instead.
 */
export function outcomeOf(
  error: unknown,
  attempts: number,
  id: number,
  now: number,
  policy: RetryPolicy,
  deadline = Infinity,
): FailureOutcome {
  const retry = (reason: string, atLeastMs = 0, pauseMs?: number): FailureOutcome => {
    const pause = pauseMs === undefined ? {} : { pauseUntil: now + pauseMs };
    if (attempts >= policy.maxAttempts) return { status: 'failed', reason, ...pause };
    const wait = Math.max(atLeastMs, backoffMs(attempts, id, policy));
    if (now + wait > deadline) return { status: 'failed', reason: `${reason}:window-closed` };
    return { status: 'pending', reason, nextAttemptAt: now + wait, ...pause };
  };
  if (error instanceof RateLimitedError)
    return retry('rate-limited', error.retryAfterMs, Math.max(error.retryAfterMs, 1000));
  if (error instanceof TransportError) return retry('transport');
  // A bad token stops the channel for everyone; the operator fixes it and the retries go through.
  if (error instanceof TokenInvalidError) return retry('token-invalid', 0, 60_000);
  if (error instanceof RecipientUnreachableError)
    return { status: 'failed', reason: 'unreachable', markUnreachable: true };
  if (error instanceof OutsideWindowError) return { status: 'skipped', reason: 'outside-window' };
  if (error instanceof PlatformError) {
    const code = error.platformCode === undefined ? '' : `:${error.platformCode}`;
    return error.permanent
      ? { status: 'failed', reason: `platform-error${code}` }
      : retry(`platform-error${code}`);
  }
  // A programming error: not retried, since whether the platform got the message is unknown.
  return { status: 'failed', reason: 'error' };
}

/** Marks a contact the platform will not deliver to (blocked, unsubscribed): one place for all sends. */
export async function markUnreachable(
  contacts: {
    setFollowed(channel: ChannelId, userId: string, followed: boolean): Promise<unknown>;
  },
  channel: ChannelId,
  userId: string,
  log: { error(obj: object, msg: string): void },
): Promise<void> {
  try {
    // Also turns announcements off until they write again.
    await contacts.setFollowed(channel, userId, false);
  } catch (error) {
    log.error({ err: error, channel }, 'could not mark an unreachable contact');
  }
}
