import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointCount, splitText, truncateWords } from '../../src/core/text.js';

/** Any UTF-16 text: lone surrogates, pairs in and out of order, Vietnamese, emoji, spaces. */
const anyText = fc.oneof(
  fc
    .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 60 })
    .map((units) => String.fromCharCode(...units)),
  fc
    .array(fc.constantFrom('a', ' ', '\n', 'ệ', 'ư', '😀', '\ud83d', '\ude00', 'Học', '\n\n'), {
      maxLength: 80,
    })
    .map((parts) => parts.join('')),
);

// The functions as they were before they counted without spreading: what they must still give.
function spreadTruncate(text: string, max: number, ellipsis = '…'): string {
  const nfc = text.normalize('NFC');
  const chars = [...nfc];
  if (chars.length <= max) return nfc;
  const room = max - [...ellipsis].length;
  const head = chars.slice(0, room + 1).join('');
  const cut = head.lastIndexOf(' ');
  const base = cut > room / 2 ? head.slice(0, cut) : chars.slice(0, room).join('');
  return base.replace(/[\s,.;:–-]+$/u, '') + ellipsis;
}

function spreadSplit(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text.normalize('NFC');
  while ([...rest].length > max) {
    const window = [...rest].slice(0, max).join('');
    let cut = window.lastIndexOf('\n\n');
    if (cut < max / 3) cut = window.lastIndexOf('\n');
    if (cut < max / 3) cut = window.lastIndexOf(' ');
    if (cut < max / 3) cut = window.length;
    parts.push(window.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

describe('counting characters as the platforms do', () => {
  it('counts code points, a lone surrogate as one, like spreading the string', () => {
    expect(codePointCount('')).toBe(0);
    expect(codePointCount('Học tập')).toBe(7);
    expect(codePointCount('😀a')).toBe(2);
    expect(codePointCount('\ud83d')).toBe(1);
    expect(codePointCount('\ude00\ud83d')).toBe(2);
    fc.assert(fc.property(anyText, (text) => codePointCount(text) === [...text].length));
  });

  it('cuts and splits texts exactly as before', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 2, max: 30 }), (text, max) => {
        expect(truncateWords(text, max)).toBe(spreadTruncate(text, max));
        expect(splitText(text, max)).toEqual(spreadSplit(text, max));
      }),
    );
  });
});
