import { describe, expect, it } from 'vitest';
import { signatureFor, verifySignature } from '../../../src/channels/messenger/verify.js';
import { readFixture } from '../../helpers/messenger.js';

// test/fixtures/messenger/SOURCES.md: text-signed.json signed with app secret "Bar".
const BODY = Buffer.from(readFixture('text-signed.json'), 'utf8');
const VALID = 'sha256=bcc5bd9f45ededb77ddccb00da4b5f17db1469378185692ca58b6240c6efa167';

/** The valid signature with its last hex digit changed. */
const oneByteChanged = VALID.slice(0, -1) + (VALID.endsWith('7') ? '8' : '7');

describe('verifySignature (X-Hub-Signature-256)', () => {
  it.each([
    ['the published vector', VALID, ['Bar'], { ok: true }],
    ['a rotated secret (old one second)', VALID, ['NewSecret', 'Bar'], { ok: true }],
    ['a rotated secret (old one first)', VALID, ['Bar', 'NewSecret'], { ok: true }],
    ['the wrong secret', VALID, ['Foo'], { ok: false, reason: 'mismatch' }],
    ['a missing header', undefined, ['Bar'], { ok: false, reason: 'missing' }],
    ['an empty header', '', ['Bar'], { ok: false, reason: 'missing' }],
    [
      'the sha1 header value only',
      'sha1=74432bfe572675092cc81b5ac903ff3f971b04e5',
      ['Bar'],
      { ok: false, reason: 'malformed' },
    ],
    [
      'a wrong prefix',
      VALID.replace('sha256=', 'sha512='),
      ['Bar'],
      { ok: false, reason: 'malformed' },
    ],
    ['no prefix', VALID.slice('sha256='.length), ['Bar'], { ok: false, reason: 'malformed' }],
    ['trailing junk', `${VALID}zz`, ['Bar'], { ok: false, reason: 'malformed' }],
    ['trailing hex', `${VALID}00`, ['Bar'], { ok: false, reason: 'malformed' }],
    [
      'upper-case hex',
      VALID.toUpperCase().replace('SHA256=', 'sha256='),
      ['Bar'],
      { ok: false, reason: 'malformed' },
    ],
    ['one byte changed', oneByteChanged, ['Bar'], { ok: false, reason: 'mismatch' }],
    ['a repeated header', [VALID, VALID], ['Bar'], { ok: false, reason: 'malformed' }],
    ['no secret configured', VALID, [], { ok: false, reason: 'mismatch' }],
  ] as const)('%s', (_name, header, secrets, expected) => {
    expect(
      verifySignature(BODY, header as string | string[] | undefined, secrets as readonly string[]),
    ).toEqual(expected);
  });

  it('fails when the body changes by one byte', () => {
    const changed = Buffer.from(BODY);
    changed[changed.length - 3] = changed[changed.length - 3]! ^ 1;
    expect(verifySignature(changed, VALID, ['Bar'])).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('signatureFor reproduces the published vector', () => {
    expect(signatureFor(BODY, 'Bar')).toBe(VALID);
  });
});
