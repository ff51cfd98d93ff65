import { fold, truncateWords } from '../core/text.js';
import { normaliseName, normalisePhone, type NameProblem } from '../registration/validate.js';

/** Longest story kept; a longer one is cut at a word boundary (and the person told). */
export const STORY_MAX = 1500;
/** Shortest story accepted. */
export const STORY_MIN = 20;

// A Vietnamese syllable without diacritics: onset, one to three vowels, coda.
const SYLLABLE =
  /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?$/;

/**
 * A nominee's full name: the registration rules (letters, 2+ words, 3-80 characters), and at
 * least half of the words must read as Vietnamese syllables, so "asdf qwer" is asked again while
 * names of ethnic minorities ("H'Hen Niê", "Y Moan Enuôl") pass.
 */
export function normaliseNomineeName(
  text: string,
): { ok: true; name: string } | { ok: false; problem: NameProblem | 'nonsense' } {
  const result = normaliseName(text);
  if (!result.ok) return result;
  const words = fold(result.name).split(' ').filter(Boolean);
  const syllables = words.filter((w) => SYLLABLE.test(w)).length;
  if (syllables * 2 < words.length || /(.)\1\1/.test(fold(result.name)))
    return { ok: false, problem: 'nonsense' };
  return result;
}

/** A commune or ward name: 2-100 characters with at least two letters. */
export function normaliseCommune(text: string): string | undefined {
  const value = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  if ([...value].length < 2 || [...value].length > 100) return undefined;
  if ((value.match(/\p{L}/gu) ?? []).length < 2) return undefined;
  return value;
}

/** The story, trimmed; `cut` when it was longer than STORY_MAX. */
export function normaliseStory(
  text: string,
): { ok: true; story: string; cut: boolean } | { ok: false } {
  const value = text.normalize('NFC').trim();
  if ([...value].length < STORY_MIN) return { ok: false };
  if ([...value].length <= STORY_MAX) return { ok: true, story: value, cut: false };
  return { ok: true, story: truncateWords(value, STORY_MAX), cut: true };
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[a-z]{2,24}$/i;

/** A mobile phone (stored as +84...) or an e-mail address (lower case). */
export function normaliseContact(text: string): string | undefined {
  const value = text.normalize('NFKC').trim();
  const phone = normalisePhone(value);
  if (phone.ok) return phone.phone;
  if (EMAIL.test(value)) return value.toLowerCase();
  return undefined;
}
