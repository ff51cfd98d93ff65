import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a callback's signature was refused. */
export type SignatureProblem = 'missing' | 'malformed' | 'mismatch';

/** The outcome of a signature check. */
export type SignatureCheck = { ok: true } | { ok: false; problem: SignatureProblem };

// Viber signs with lowercase hex and no prefix. Checking the format first matters: Node's
// Buffer.from(hex) silently drops a trailing odd character or junk, which would let it through.
const SIGNATURE = /^[0-9a-f]{64}$/;

/**
 * Checks a Viber callback: `X-Viber-Content-Signature` is the hex HMAC-SHA256 of the raw body
 * keyed with the auth token (https://developers.viber.com/docs/api/rest-bot-api/#callbacks).
 * Viber also appends `?sig=<hex>`; it is used only when the header is absent. Several tokens
 * may be given (rotation); the comparison is constant-time.
 */
export function verifyViberSignature(
  rawBody: Buffer,
  header: string | string[] | undefined,
  sigQuery: string | string[] | undefined,
  tokens: readonly string[],
): SignatureCheck {
  const given = header ?? sigQuery;
  if (given === undefined) return { ok: false, problem: 'missing' };
  if (typeof given !== 'string' || !SIGNATURE.test(given)) {
    return { ok: false, problem: 'malformed' };
  }
  const expected = Buffer.from(given, 'hex');
  for (const token of tokens) {
    const actual = createHmac('sha256', token).update(rawBody).digest();
    if (timingSafeEqual(actual, expected)) return { ok: true };
  }
  return { ok: false, problem: 'mismatch' };
}

/** The signature Viber would send for a body (tests, tools). */
export function signViberBody(rawBody: Buffer | string, token: string): string {
  return createHmac('sha256', token).update(rawBody).digest('hex');
}
