import { describe, expect, it } from 'vitest';
import { verifyZalo, zaloMac } from '../../../src/channels/zalo/verify.js';
import { APP_ID, fixture, OA_SECRET } from './helpers.js';

// Computed outside the code under test:
// (printf %s 3349222483842580322; cat follow.real-capture.raw.json; printf %s 1725608725618;
//  printf %s oa-secret-for-tests) | sha256sum
const REAL_CAPTURE_MAC = '85835e8ea1c119908968266f619016de4c21f699f5dc4ce9e18ee0194bb6c7e4';
// Same with app id 360846524940903967 over user_send_text.official-docs.json and timestamp 154390853474.
const DOCS_TEXT_MAC = '2c066e149810dd8660edc26e1db4bc87b9d11025f83f616ddd2a3cb1c88aed5a';

const raw = fixture('follow.real-capture.raw.json');
const timestamp = '1725608725618';
const keys = { appId: APP_ID, secrets: [OA_SECRET] };

describe('Zalo webhook mac (X-ZEvent-Signature)', () => {
  it('reproduces the vectors: sha256(app_id + raw body + timestamp + OA secret key)', () => {
    expect(zaloMac(APP_ID, raw, timestamp, OA_SECRET)).toBe(REAL_CAPTURE_MAC);
    expect(
      zaloMac(
        '360846524940903967',
        fixture('user_send_text.official-docs.json'),
        '154390853474',
        OA_SECRET,
      ),
    ).toBe(DOCS_TEXT_MAC);
  });

  const oneByteChanged = Buffer.from(raw);
  oneByteChanged[oneByteChanged.length - 3] = 0x39; // "...618" -> "...698"

  it.each<[string, Buffer, string | string[] | undefined, unknown, typeof keys, string]>([
    ['valid', raw, `mac=${REAL_CAPTURE_MAC}`, timestamp, keys, 'ok'],
    ['valid, upper-case hex', raw, `mac=${REAL_CAPTURE_MAC.toUpperCase()}`, timestamp, keys, 'ok'],
    [
      'rotated secret (second of two)',
      raw,
      `mac=${REAL_CAPTURE_MAC}`,
      timestamp,
      { appId: APP_ID, secrets: ['new-secret', OA_SECRET] },
      'ok',
    ],
    [
      'wrong secret',
      raw,
      `mac=${REAL_CAPTURE_MAC}`,
      timestamp,
      { appId: APP_ID, secrets: ['another'] },
      'bad-signature',
    ],
    [
      'wrong app id',
      raw,
      `mac=${REAL_CAPTURE_MAC}`,
      timestamp,
      { appId: '1', secrets: [OA_SECRET] },
      'bad-signature',
    ],
    ['missing header', raw, undefined, timestamp, keys, 'missing-signature'],
    ['empty header', raw, '', timestamp, keys, 'missing-signature'],
    [
      'header sent twice',
      raw,
      [`mac=${REAL_CAPTURE_MAC}`, 'mac=00'],
      timestamp,
      keys,
      'bad-signature-format',
    ],
    ['wrong prefix', raw, `sha256=${REAL_CAPTURE_MAC}`, timestamp, keys, 'bad-signature-format'],
    ['no prefix', raw, REAL_CAPTURE_MAC, timestamp, keys, 'bad-signature-format'],
    ['trailing junk', raw, `mac=${REAL_CAPTURE_MAC}zz`, timestamp, keys, 'bad-signature-format'],
    [
      'one hex digit short',
      raw,
      `mac=${REAL_CAPTURE_MAC.slice(1)}`,
      timestamp,
      keys,
      'bad-signature-format',
    ],
    [
      'one body byte changed',
      oneByteChanged,
      `mac=${REAL_CAPTURE_MAC}`,
      timestamp,
      keys,
      'bad-signature',
    ],
    ['other timestamp', raw, `mac=${REAL_CAPTURE_MAC}`, '1725608725619', keys, 'bad-signature'],
    [
      'timestamp missing in body',
      raw,
      `mac=${REAL_CAPTURE_MAC}`,
      undefined,
      keys,
      'missing-timestamp',
    ],
    ['timestamp not a string', raw, `mac=${REAL_CAPTURE_MAC}`, { t: 1 }, keys, 'missing-timestamp'],
  ])('%s', (_name, body, header, stamp, k, expected) => {
    const result = verifyZalo(body, header, stamp, k);
    expect(result.ok ? 'ok' : result.reason).toBe(expected);
  });
});
