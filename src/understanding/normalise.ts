import { fold } from '../core/text.js';
import { expandAbbreviations } from './abbreviations.js';
import { bridged } from './bridge.js';
import { standardAccented } from './regional.js';
import { PARTICLES, WEAK } from './stopwords.js';
import { canonical } from './synonyms.js';
import { VIETNAMESE_LETTERS } from './language.js';
import { decodeTelex, decodeVni } from './telex.js';
import { isSyllable, segment } from './segment.js';

/**
 * Prefix of a word written with diacritics that the index only knows with other diacritics
 * ("giá" when the questions only have "gia" of "tham gia"): such a word means something else, so
 * it becomes a token that matches nothing (no English or Vietnamese word starts with "zq").
 */
export const FOREIGN = 'zq';

/** Openers that only say "may I ask" ("cho mình hỏi", "em muốn hỏi"), after folding. */
const ASKING =
  /(^| )((cho|xin)( (minh|toi|em|e|chau|con|t))? hoi( (chut|xiu|ti|voi))?|(minh|toi|em|e) (muon|can) hoi)(?= |$)/g;

/**
 * Fillers recognised by their diacritics before folding erases the difference: "thì" (then) would
 * otherwise read as "thi" (contest), "mà" as "ma".
 */
const FILLER_WORDS = 'thì|mà|nhé|nhỉ|ạ|ơi|à|hả|nè|ấy|đấy|chứ';
const ACCENTED_FILLERS = new RegExp(`(?<=^|[\\s,.!?])(${FILLER_WORDS})(?=$|[\\s,.!?])`, 'gu');
const IS_FILLER = new RegExp(`^(${FILLER_WORDS})$`, 'u');

/**
 * A light English stemmer (plural, -ing, -ed, -er; -ize spelt -ise) so that "organizing",
 * "organised" and "organisers" meet. It leaves Vietnamese alone: no folded Vietnamese syllable
 * ends in s, d, r or "ing", and words of four letters or fewer keep their final y.
 */
export function stem(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  let w = word.replace(/iz(e|es|ed|ing|er|ers|ation|ations)$/, 'is$1');
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies')) w = `${w.slice(0, -3)}i`;
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  const ending = /^(.{3,}?)(ing|ed|er)$/.exec(w);
  if (ending && /[aeiouy]/.test(ending[1]!)) {
    w = ending[1]!;
    if (/(at|bl|is)$/.test(w)) w += 'e';
    else if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
  }
  if (w.length > 4 && w.endsWith('y')) w = `${w.slice(0, -1)}i`;
  return w;
}

/**
 * Folds text and splits it into words: diacritics, case, punctuation and emoji removed,
 * abbreviations expanded, "may I ask" openers and particles dropped. No vocabulary needed.
 */
export function baseWords(text: string): string[] {
  const folded = fold(
    standardAccented(text.normalize('NFC').toLowerCase()).replace(ACCENTED_FILLERS, ' '),
  );
  if (!folded) return [];
  const expanded = expandAbbreviations(folded.split(' ')).join(' ');
  return expanded
    .replace(ASKING, ' ')
    .split(' ')
    .filter((w) => w.length > 0 && !PARTICLES.has(w) && !(w.length === 1 && /[a-z]/.test(w)));
}

/**
 * The Week's own name ("[tuần lễ] học tập suốt đời", "lifelong learning [week]") is in almost
 * every question, so it tells the entries apart no better than "the": it is dropped when the
 * question says something else too ("học tập suốt đời là gì" keeps it, having nothing else).
 * "Tuần lễ" / "week" stay: "tuần lễ diễn ra khi nào" asks about the Week, not the opening.
 */
const EVENT_NAME =
  /(^| )((huong ung )?hoc tap suot doi|lifelong learn(?:ing)?|huong ung(?= tuan le))(?= |$)/g;

/** "Tuần lễ" / "week": with nothing else beside the name, the question is about the Week itself. */
const WEEK = new Set(['tuan', 'le', 'week', 'nay', 'this']);

function withoutEventName(words: string[]): string[] {
  const joined = words.join(' ');
  const rest = joined.replace(EVENT_NAME, ' ').split(' ').filter(Boolean);
  return rest.some((w) => !WEAK.has(w) && !WEEK.has(w)) ? rest : words;
}

/**
 * A word typed with a letter held down ("vayy", "kettthuc", "nhaaa"): three or more of a letter
 * become two, and a doubled last letter one, since no folded Vietnamese syllable ends in a double
 * letter. Only tried on words the index does not know, so English "class" or "free" stay.
 */
function shortened(word: string): string {
  return word.replace(/([a-z])\1{2,}/g, '$1$1').replace(/([a-z])\1$/, '$1');
}

/** A word that only carries tone or syntax ("vậy", "nha"), which a repair may land on. */
function isFiller(word: string): boolean {
  return PARTICLES.has(word) || WEAK.has(word);
}

/** What a text means to the search index: words to look up one by one, and adjacent pairs. */
export interface Terms {
  /** Every word after repair (weak words included), for language detection. */
  words: string[];
  /** Meaningful words searched on their own. */
  unigrams: string[];
  /** Adjacent word pairs ("hoc_tap", "khi_nao") that keep some of Vietnamese word order. */
  bigrams: string[];
}

/**
 * Turns text into search terms. With a vocabulary (every word the index knows), a word it does
 * not know is tried as a Telex or VNI leftover ("tuaanf" -> "tuan") and kept repaired only when
 * the repaired word is known: English words that merely look like Telex ("class") stay intact.
 */
export class Normaliser {
  /**
   * @param vocabulary every folded word the index knows (repair and typo tolerance use it)
   * @param accented every word the index knows as written, with its diacritics (NFC, lower case)
   */
  constructor(
    private readonly vocabulary: ReadonlySet<string> = new Set(),
    private readonly accented: ReadonlySet<string> = new Set(),
  ) {}

  /**
   * Keeps what diacritics say before folding erases it: a word typed with diacritics that the
   * index only knows with different ones ("giá" / "gia", "vàng" / "văng") becomes a FOREIGN token.
   */
  private markForeign(text: string): string {
    if (this.accented.size === 0) return text;
    return text
      .normalize('NFC')
      .toLowerCase()
      .replace(/[\p{L}\p{M}]+/gu, (word) => {
        if (!VIETNAMESE_LETTERS.test(word) || IS_FILLER.test(word) || this.accented.has(word))
          return word;
        const folded = fold(word);
        if (!this.vocabulary.has(folded) || WEAK.has(folded) || PARTICLES.has(folded)) return word;
        return `${FOREIGN}${folded}`;
      });
  }

  /** One word, stemmed and repaired against the vocabulary. */
  repair(word: string): string {
    if (WEAK.has(word) || word.startsWith(FOREIGN)) return word;
    const stemmed = stem(word);
    if (this.vocabulary.size === 0 || this.vocabulary.has(stemmed) || word.length < 3)
      return stemmed;
    for (const candidate of [decodeTelex(word), decodeVni(word), shortened(word)]) {
      if (candidate !== word && (this.vocabulary.has(candidate) || isFiller(candidate)))
        return candidate;
    }
    return stemmed;
  }

  /**
   * One word as search words: repaired (`repair`), or, when it stays unknown, split into known
   * syllables if it is several run together ("tainguyengiaoducmo" -> "tai nguyen giao duc mo").
   */
  repairAll(word: string): string[] {
    const repaired = this.repair(word);
    if (repaired !== word && PARTICLES.has(repaired)) return [];
    if (this.vocabulary.size === 0 || this.vocabulary.has(repaired) || repaired.startsWith(FOREIGN))
      return [repaired];
    const known = (p: string) => isSyllable(p) && this.vocabulary.has(p);
    return segment(repaired, known) ?? segment(shortened(repaired), known) ?? [repaired];
  }

  /** True when the word is one the index knows (so it needs no typo tolerance). */
  knows(word: string): boolean {
    return this.vocabulary.has(word);
  }

  /** The words of a text after repair (`Terms.words`), without the search terms built on them. */
  words(text: string, options: { bridge?: boolean } = {}): string[] {
    const repaired = baseWords(this.markForeign(text)).flatMap((w) => this.repairAll(w));
    return options.bridge ? bridged(repaired) : repaired;
  }

  /**
   * Search terms of a text; `bridge` reads the English words a Vietnamese sentence borrows
   * ("report", "deadline") as the Vietnamese ones.
   */
  terms(text: string, options: { bridge?: boolean } = {}): Terms {
    const words = this.words(text, options);
    const meaning = withoutEventName(canonical(words));
    const unigrams = meaning.filter((w) => !WEAK.has(w));
    const bigrams: string[] = [];
    for (let i = 0; i + 1 < meaning.length; i += 1) {
      const a = meaning[i]!;
      const b = meaning[i + 1]!;
      // Pairs of filler words say nothing; question expressions are single tokens already.
      if (WEAK.has(a) || WEAK.has(b)) continue;
      bigrams.push(`${a}_${b}`);
    }
    return { words, unigrams, bigrams };
  }

  /** Unigrams then bigrams, as the search library wants them. */
  tokens(text: string): string[] {
    const { unigrams, bigrams } = this.terms(text);
    return [...unigrams, ...bigrams];
  }
}

/**
 * Every word (stemmed) of the given texts, and the tokens of their question expressions: the
 * vocabulary a `Normaliser` repairs against.
 */
export function vocabularyOf(texts: Iterable<string>): Set<string> {
  const vocabulary = new Set<string>();
  for (const text of texts) {
    const words = baseWords(text).map(stem);
    for (const word of [...words, ...canonical(words)]) vocabulary.add(word);
  }
  return vocabulary;
}

/** Every word of the given texts as written (NFC, lower case), diacritics kept. */
export function accentedVocabularyOf(texts: Iterable<string>): Set<string> {
  const vocabulary = new Set<string>();
  for (const text of texts)
    for (const word of text
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{M}]+/gu) ?? [])
      vocabulary.add(word);
  return vocabulary;
}
