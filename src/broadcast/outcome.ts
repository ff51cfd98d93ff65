import {
  OutsideWindowError,
  PlatformError,
  RateLimitedError,
  RecipientUnreachableError,
  TokenInvalidError,
  TransportError,
} from '../core/errors.js';

/** Retry policy of the engine. */
export interface RetryPolicy {
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/** The default: 8 attempts, 2 s doubling up to 15 min (about 4 minutes of retries in all). */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 8,
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

/** Classifies a send error (core/errors.ts) into a retry, a failure or a skip. */
export function outcomeOf(
  error: unknown,
  attempts: number,
  id: number,
  now: number,
  policy: RetryPolicy,
): FailureOutcome {
  const retry = (reason: string, atLeastMs = 0, pauseMs?: number): FailureOutcome => {
    const pause = pauseMs === undefined ? {} : { pauseUntil: now + pauseMs };
    if (attempts >= policy.maxAttempts) return { status: 'failed', reason, ...pause };
    const wait = Math.max(atLeastMs, backoffMs(attempts, id, policy));
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
