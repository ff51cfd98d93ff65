import { describe, expect, it } from 'vitest';
import {
  normaliseContact,
  normaliseNomineeName,
  normaliseStory,
  STORY_MAX,
} from '../../src/nominations/validate.js';

describe('nomination answers', () => {
  it.each([
    ['Nguyễn Thị Hoa', 'Nguyễn Thị Hoa'],
    ['  tran   van   binh ', 'tran van binh'],
    ["H'Hen Niê", "H'Hen Niê"],
    ['Y Moan Enuôl', 'Y Moan Enuôl'],
    ['Lê Khuê', 'Lê Khuê'],
  ])('accepts the name %j', (text, name) => {
    expect(normaliseNomineeName(text)).toEqual({ ok: true, name });
  });

  it.each([
    ['asdf qwer', 'nonsense'],
    ['xyzzy plugh', 'nonsense'],
    ['aaaa bbbb', 'nonsense'],
    ['Hoa', 'one-word'],
    ['12345', 'characters'],
    ['ab', 'short'],
  ])('asks again for %j (%s)', (text, problem) => {
    expect(normaliseNomineeName(text)).toEqual({ ok: false, problem });
  });

  it('keeps a 5,000-character story cut at a word boundary, and refuses a too short one', () => {
    const long = normaliseStory('Bà tự học tin học mỗi tối. '.repeat(190));
    expect(long.ok && long.cut).toBe(true);
    expect(long.ok && [...long.story].length).toBeLessThanOrEqual(STORY_MAX);
    expect(long.ok && long.story.endsWith('…')).toBe(true);
    expect(normaliseStory('ngắn')).toEqual({ ok: false });
  });

  it.each([
    ['0912 345 678', '+84912345678'],
    ['Hoa.Nguyen@Example.vn', 'hoa.nguyen@example.vn'],
    ['gọi tôi', undefined],
    ['12345', undefined],
  ])('reads the contact %j', (text, value) => {
    expect(normaliseContact(text)).toBe(value);
  });
});
