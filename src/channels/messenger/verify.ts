import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Meta signs webhook requests with (the legacy sha1 `X-Hub-Signature` is ignored). */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

/** Checked before any comparison: `Buffer.from(hex)` would silently drop trailing junk. */
const FORMAT = /^sha256=[0-9a-f]{64}$/;

/** Why a request was refused: no header, a header of the wrong shape, or no secret matches. */
export type VerifyFailure = 'missing' | 'malformed' | 'mismatch';

/** Outcome of a signature check. */
export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure };

/**
 * Checks `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw body bytes keyed with
 * the app secret; any of `secrets` may match (rotation).
 * https://developers.facebook.com/docs/messenger-platform/webhooks#validate-payloads
 */
export function verifySignature(
  rawBody: Buffer,
  header: string | string[] | undefined,
  secrets: readonly string[],
): VerifyResult {
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  if (typeof header !== 'string' || !FORMAT.test(header)) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    // Both are 32 bytes (format checked above), as timingSafeEqual requires.
    if (timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: 'mismatch' };
}

/** The header value Meta would send for `rawBody` signed with `secret` (tests, tools). */
export function signatureFor(rawBody: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}
