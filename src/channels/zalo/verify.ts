import { createHash, timingSafeEqual } from 'node:crypto';

/** Why a webhook request was not accepted as coming from Zalo (stable, used as a metric label). */
export type ZaloVerifyFailure =
  | 'missing-signature'
  | 'bad-signature-format'
  | 'missing-timestamp'
  | 'bad-signature'
  | 'stale-timestamp';

/** The outcome of checking one webhook request. */
export type ZaloVerifyResult = { ok: true } | { ok: false; reason: ZaloVerifyFailure };

const HEADER = /^mac=([0-9a-f]{64})$/i;

/**
 * The mac Zalo puts in `X-ZEvent-Signature`: plain SHA-256 (not an HMAC) of
 * app_id + raw body + timestamp + OA secret key, as lowercase hex.
 * Docs: https://developers.zalo.me/docs/official-account/webhook/xac-thuc-webhook
 */
export function zaloMac(appId: string, rawBody: Buffer, timestamp: string, secret: string): string {
  return createHash('sha256')
    .update(appId, 'utf8')
    .update(rawBody)
    .update(timestamp, 'utf8')
    .update(secret, 'utf8')
    .digest('hex');
}

/**
 * Checks `X-ZEvent-Signature: mac=<hex>` against each accepted OA secret key (several during a
 * rotation). `timestamp` is the body's own `timestamp` field. Format first, then a constant-time
 * comparison of equal-length buffers.
 */
export function verifyZalo(
  rawBody: Buffer,
  header: string | string[] | undefined,
  timestamp: unknown,
  keys: {
    appId: string;
    secrets: readonly string[];
    /** Refuse a correctly signed event whose timestamp is further than this from `now` (ms). */
    freshness?: { now: number; maxAgeMs: number | null };
  },
): ZaloVerifyResult {
  if (header === undefined || header === '') return { ok: false, reason: 'missing-signature' };
  const match = typeof header === 'string' ? HEADER.exec(header.trim()) : null;
  if (!match) return { ok: false, reason: 'bad-signature-format' };
  const stamp = typeof timestamp === 'number' ? String(timestamp) : timestamp;
  if (typeof stamp !== 'string' || stamp === '') return { ok: false, reason: 'missing-timestamp' };
  const given = Buffer.from(match[1]!.toLowerCase(), 'hex');
  let ok = false;
  for (const secret of keys.secrets) {
    const expected = Buffer.from(zaloMac(keys.appId, rawBody, stamp, secret), 'hex');
    // No early exit: every secret is checked, so timing does not reveal which one matched.
    if (timingSafeEqual(given, expected)) ok = true;
  }
  if (!ok) return { ok: false, reason: 'bad-signature' };
  if (keys.freshness && !isFresh(stamp, keys.freshness.now, keys.freshness.maxAgeMs))
    return { ok: false, reason: 'stale-timestamp' };
  return { ok: true };
}

/**
 * A signed timestamp (epoch ms) within `maxAgeMs` of now, either way: a captured request replayed
 * once the 48-hour dedupe has forgotten it is refused. `null` turns the check off.
 */
export function isFresh(stamp: string, now: number, maxAgeMs: number | null): boolean {
  if (maxAgeMs === null) return true;
  if (!/^\d{1,16}$/.test(stamp)) return false;
  return Math.abs(now - Number(stamp)) <= maxAgeMs;
}
