import { describe, expect, it } from 'vitest';
import { signViberBody, verifyViberSignature } from '../../../src/channels/viber/verify.js';
import { fixture, OFFICIAL_SIGNATURE, OFFICIAL_TOKEN } from './helpers.js';

const body = fixture('webhook-signed.json');
const good = signViberBody(body, OFFICIAL_TOKEN);
const oneByteChanged = `${good.slice(0, 10)}${good[10] === '0' ? '1' : '0'}${good.slice(11)}`;

describe('verifyViberSignature', () => {
  it("accepts Viber's official test vector (webhook-signed.json)", () => {
    expect(good).toBe(OFFICIAL_SIGNATURE);
    expect(verifyViberSignature(body, OFFICIAL_SIGNATURE, undefined, [OFFICIAL_TOKEN])).toEqual({
      ok: true,
    });
  });

  it.each<[string, string | string[] | undefined, string | string[] | undefined, string]>([
    ['missing header and query', undefined, undefined, 'missing'],
    ['wrong signature', signViberBody(body, 'another-token'), undefined, 'mismatch'],
    ['one hex digit changed', oneByteChanged, undefined, 'mismatch'],
    ['trailing junk', `${good}00`, undefined, 'malformed'],
    ['trailing odd character', `${good}z`, undefined, 'malformed'],
    ['uppercase hex (Viber sends lowercase)', good.toUpperCase(), undefined, 'malformed'],
    ['sha256= prefix (Messenger style)', `sha256=${good}`, undefined, 'malformed'],
    ['truncated', good.slice(0, 62), undefined, 'malformed'],
    ['empty header', '', undefined, 'malformed'],
    ['header sent twice', [good, good], undefined, 'malformed'],
    ['good header ignores a bad query', good, 'bad', 'ok'],
    ['bad header is not rescued by a good query', oneByteChanged, good, 'mismatch'],
    ['sig query when the header is absent', undefined, good, 'ok'],
    ['wrong sig query', undefined, oneByteChanged, 'mismatch'],
    ['sig query given twice', undefined, [good, good], 'malformed'],
  ])('%s', (_name, header, query, expected) => {
    const check = verifyViberSignature(body, header, query, [OFFICIAL_TOKEN]);
    expect(check.ok ? 'ok' : check.problem).toBe(expected);
  });

  it('refuses a body changed after signing', () => {
    const changed = Buffer.from(body.toString('utf8').replace('1478683725125', '1478683725126'));
    expect(verifyViberSignature(changed, good, undefined, [OFFICIAL_TOKEN])).toEqual({
      ok: false,
      problem: 'mismatch',
    });
  });

  it('accepts any of several tokens (rotation)', () => {
    const rotated = signViberBody(body, 'new-token');
    expect(verifyViberSignature(body, rotated, undefined, [OFFICIAL_TOKEN, 'new-token']).ok).toBe(
      true,
    );
    expect(verifyViberSignature(body, rotated, undefined, [OFFICIAL_TOKEN]).ok).toBe(false);
  });
});
