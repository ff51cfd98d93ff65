/**
 * Telex and VNI leftovers: what Vietnamese looks like when typed with the input method switched
 * off ("tuaanf" for "tuần", "chur ddeef" for "chủ đề", "tua6n2" for "tuần" in VNI).
 *
 * Folded Vietnamese never contains a doubled vowel like "aa"/"ee", a "dd", a "w", or one of the
 * tone keys s f r x j z after the vowel (no Vietnamese syllable ends in them), so those marks can
 * be undone mechanically. English words can look the same ("this", "class"), which is why callers
 * only keep a decoded word that is known to the index (see `Normaliser`).
 */

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);
const TONE_KEYS = new Set(['s', 'f', 'r', 'x', 'j', 'z']);

/** Undoes Telex keystrokes in one folded word; returns the word unchanged when none are found. */
export function decodeTelex(word: string): string {
  if (!/^[a-z]+$/.test(word)) return word;
  let out = '';
  let seenVowel = false;
  for (let i = 0; i < word.length; i += 1) {
    const ch = word[i]!;
    const prev = out[out.length - 1];
    if (ch === 'd' && prev === 'd' && out.length === 1) continue; // "dd" -> "đ" -> "d"
    if (VOWELS.has(ch)) {
      // "aa", "ee", "oo" -> "â", "ê", "ô" -> a, e, o
      if (prev === ch && (ch === 'a' || ch === 'e' || ch === 'o')) continue;
      seenVowel = true;
      out += ch;
      continue;
    }
    if (ch === 'w') {
      // "aw", "ow", "uw" (and "uow") mark ă, ơ, ư; a "w" on its own types "ư".
      if (prev === 'a' || prev === 'o' || prev === 'u' || seenVowel) continue;
      out += 'u';
      seenVowel = true;
      continue;
    }
    if (seenVowel && TONE_KEYS.has(ch)) continue;
    out += ch;
  }
  return out;
}

/** Undoes VNI keystrokes (tone and mark digits typed after letters: "tua6n2" -> "tuan"). */
export function decodeVni(word: string): string {
  if (!/^[a-z]+[0-9][a-z0-9]*$/.test(word)) return word;
  return word.replace(/[0-9]/g, '');
}
