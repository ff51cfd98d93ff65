/**
 * Splitting run-together words ("ngungnhantin", "tainguyengiaoducmo") into known words: people
 * who skip the space bar on a phone still mean the words they typed.
 */

/** A folded Vietnamese syllable: onset, vowel group, final consonant. */
const SYLLABLE =
  /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?(uye|uya|uyu|ieu|yeu|uoi|uou|oai|oay|oeo|uay|uai|uau|[aeiouy]{1,2})(ch|ng|nh|[cmnpt])?$/;

/** True when a folded word has the shape of one Vietnamese syllable. */
export function isSyllable(word: string): boolean {
  return SYLLABLE.test(word);
}

/** Longest piece tried; no known word is longer than this. */
const MAX_PIECE = 12;

/**
 * Splits a folded word into the fewest known pieces (each at least two letters and known to
 * `known`, three letters a piece on average), or returns undefined when no such split exists. Dynamic programming over prefixes.
 */
export function segment(
  word: string,
  known: (piece: string) => boolean,
  minLength = 6,
): string[] | undefined {
  if (word.length < minLength || !/^[a-z]+$/.test(word)) return undefined;
  const n = word.length;
  // best[i]: fewest pieces covering word[0, i); from[i]: where its last piece starts.
  const best: number[] = new Array<number>(n + 1).fill(Infinity);
  const from: number[] = new Array<number>(n + 1).fill(-1);
  best[0] = 0;
  for (let end = 1; end <= n; end += 1) {
    for (let start = Math.max(0, end - MAX_PIECE); start <= end - 2; start += 1) {
      if (best[start]! + 1 >= best[end]!) continue;
      if (known(word.slice(start, end))) {
        best[end] = best[start]! + 1;
        from[end] = start;
      }
    }
  }
  // English words also split into short syllable-shaped pieces ("delete" -> "de le te"): a real
  // run of Vietnamese syllables averages three letters or more a piece.
  if (!Number.isFinite(best[n]!) || best[n]! < 2 || n / best[n]! < 3) return undefined;
  const pieces: string[] = [];
  for (let end = n; end > 0; end = from[end]!) pieces.unshift(word.slice(from[end], end));
  return pieces;
}
