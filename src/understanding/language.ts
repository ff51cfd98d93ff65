import type { Locale } from '../core/events.js';

/** Letters only Vietnamese writes (tone marks, ă â ê ô ơ ư đ); NFC. */
export const VIETNAMESE_LETTERS =
  /[àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ]/i;

/** Common English words a question may be made of, on top of those of the English questions. */
export const ENGLISH_WORDS: readonly string[] = [
  'what',
  'when',
  'where',
  'who',
  'why',
  'how',
  'which',
  'is',
  'are',
  'was',
  'the',
  'does',
  'did',
  'can',
  'could',
  'will',
  'would',
  'should',
  'you',
  'your',
  'my',
  'me',
  'we',
  'there',
  'this',
  'that',
  'it',
  'of',
  'for',
  'to',
  'in',
  'on',
  'and',
  'or',
  'any',
  'about',
  'please',
  'tell',
  'know',
  'want',
  'need',
  'get',
  'have',
  'has',
  'with',
];

/**
 * The language a message is clearly written in, or undefined when it is not clear. Vietnamese
 * letters mean Vietnamese; otherwise the words are counted against the words each language's
 * questions use, and a language wins when the other has no word of its own in the message, or
 * four times fewer.
 */
export function detectLanguage(
  original: string,
  words: readonly string[],
  vietnamese: ReadonlySet<string>,
  english: ReadonlySet<string>,
): Locale | undefined {
  if (VIETNAMESE_LETTERS.test(original.normalize('NFC'))) return 'vi';
  let vi = 0;
  let en = 0;
  for (const word of words) {
    const inVi = vietnamese.has(word);
    const inEn = english.has(word);
    if (inVi && !inEn) vi += 1;
    else if (inEn && !inVi) en += 1;
  }
  if (en > 0 && vi === 0) return 'en';
  if (vi > 0 && en === 0) return 'vi';
  // A long message may hold a word the other language's questions also spell ("banner" stems
  // to "ban"): four times as many words of one language still say which it is.
  if (en >= 4 && en >= 4 * vi) return 'en';
  if (vi >= 4 && vi >= 4 * en) return 'vi';
  return undefined;
}
