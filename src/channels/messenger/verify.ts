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

/** What a verified `signed_request` (the app deauthorisation callback) says. */
export interface SignedRequest {
  userId?: string;
  issuedAt?: number;
}

/**
 * Checks a `signed_request` (`<base64url HMAC-SHA256 signature>.<base64url JSON payload>`, signed
 * with the app secret; any of `secrets` may match) as Meta posts it to the Deauthorize Callback URL.
 * Returns the payload, or undefined when it is malformed or not signed by us.
 * https://developers.facebook.com/docs/facebook-login/guides/advanced/oidc-token/#deauth-callback
 */
export function verifySignedRequest(
  signedRequest: unknown,
  secrets: readonly string[],
): SignedRequest | undefined {
  if (typeof signedRequest !== 'string' || signedRequest.length > 4096) return undefined;
  const match = /^([A-Za-z0-9_-]{43})={0,2}\.([A-Za-z0-9_-]{1,4000}={0,2})$/.exec(signedRequest);
  if (!match) return undefined;
  const given = Buffer.from(match[1]!, 'base64url');
  const encoded = match[2]!.replace(/=+$/, '');
  let ok = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(encoded).digest();
    if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
  }
  if (!ok) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as {
      algorithm?: unknown;
      user_id?: unknown;
      issued_at?: unknown;
    };
    if (typeof payload !== 'object' || payload === null) return undefined;
    if (String(payload.algorithm).toUpperCase() !== 'HMAC-SHA256') return undefined;
    return {
      ...(typeof payload.user_id === 'string' ? { userId: payload.user_id } : {}),
      ...(typeof payload.issued_at === 'number' ? { issuedAt: payload.issued_at } : {}),
    };
  } catch {
    return undefined;
  }
}
