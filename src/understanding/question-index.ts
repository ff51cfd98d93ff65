import MiniSearch, { type SearchResult } from 'minisearch';
import type { Locale } from '../core/events.js';
import { ABBREVIATIONS } from './abbreviations.js';
import { hasBorrowedEnglish } from './bridge.js';
import { detectLanguage, ENGLISH_WORDS } from './language.js';
import {
  accentedVocabularyOf,
  FOREIGN,
  Normaliser,
  stem,
  vocabularyOf,
  type Terms,
} from './normalise.js';

/** Something people ask about, with the ways they ask it in each language. */
export interface Intent {
  id: string;
  questions: { vi: readonly string[]; en: readonly string[] };
  /** Other text of the intent (its answer): words the index should know, not search. */
  context?: readonly string[];
}

/** An intent and how well a message matched it. */
export interface Candidate {
  id: string;
  score: number;
  /** Share of the message's meaningful words the best question of the intent matched (0-1). */
  coverage: number;
  /**
   * Share of its own meaningful words the best-held question of the intent finds in the message
   * (0-1): high when a long message holds a whole way of asking inside a story.
   */
  held: number;
}

/**
 * What the index made of a message: a confident `answer`, a few `suggest`ions to offer as
 * buttons, or `none`. `lang` is the language the message is clearly written in, if any.
 */
export type Match = (
  { kind: 'answer'; id: string } | { kind: 'suggest'; ids: string[] } | { kind: 'none' }
) & {
  lang: Locale | undefined;
  /** How many meaningful words the message has (fillers and question syntax left out). */
  words: number;
  candidates: Candidate[];
};

/** When the index answers, suggests or gives up; calibrated on test/faq/citizen-dev.json. */
export interface Thresholds {
  /** Least coverage for a direct answer. */
  answerCoverage: number;
  /** The runner-up must score below this share of the best for a direct answer. */
  answerMargin: number;
  /** Least coverage for the best candidate to be suggested at all. */
  suggestCoverage: number;
  /** Other candidates are suggested while they score at least this share of the best. */
  suggestShare: number;
  /** At most this many suggestions. */
  maxSuggestions: number;
}

/** Default thresholds. */
export const DEFAULT_THRESHOLDS: Thresholds = {
  answerCoverage: 0.4,
  answerMargin: 0.72,
  suggestCoverage: 0.4,
  suggestShare: 0.45,
  maxSuggestions: 3,
};

interface QuestionDoc {
  id: number;
  intent: string;
  lang: Locale;
  text: string;
}

/**
 * Vietnamese-first retrieval over the question variants of every intent, in both languages:
 * folded, abbreviation-expanded, Telex-repaired words and word pairs, searched with MiniSearch
 * (BM25, fuzzy and prefix); the best variant of each intent stands for it.
 */
export class QuestionIndex {
  private readonly search: MiniSearch<QuestionDoc>;
  private readonly normaliser: Normaliser;
  private readonly vietnamese: Set<string>;
  private readonly english: Set<string>;
  private readonly thresholds: Thresholds;
  private readonly recent = new Map<string, Match>();
  /** The words of each intent's answer (and title), to break near ties between questions. */
  private readonly answerWords = new Map<string, Set<string>>();
  /** The meaningful words of each question variant, by document id. */
  private readonly docWords = new Map<number, Set<string>>();
  /** The meaningful words of all the question variants of each intent. */
  private readonly intentWords = new Map<string, Set<string>>();
  /** How telling a word is of one intent: ln(intents / intents whose questions use it). */
  private readonly specificity = new Map<string, number>();

  constructor(intents: readonly Intent[], thresholds: Partial<Thresholds> = {}) {
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...thresholds };
    const docs: QuestionDoc[] = [];
    for (const intent of intents)
      for (const lang of ['vi', 'en'] as const)
        for (const text of intent.questions[lang])
          docs.push({ id: docs.length, intent: intent.id, lang, text });

    this.vietnamese = vocabularyOf(docs.filter((d) => d.lang === 'vi').map((d) => d.text));
    this.english = vocabularyOf(docs.filter((d) => d.lang === 'en').map((d) => d.text));
    for (const word of ENGLISH_WORDS) this.english.add(stem(word));
    const vocabulary = new Set([...this.vietnamese, ...this.english]);
    for (const expansion of Object.values(ABBREVIATIONS))
      for (const word of expansion.split(' ')) vocabulary.add(word);
    const context = intents.flatMap((i) => i.context ?? []);
    for (const word of vocabularyOf(context)) vocabulary.add(word);
    const accented = accentedVocabularyOf([...docs.map((d) => d.text), ...context]);
    this.normaliser = new Normaliser(vocabulary, accented);

    this.search = new MiniSearch<QuestionDoc>({
      fields: ['text'],
      storeFields: ['intent', 'lang'],
      tokenize: (text) => this.normaliser.tokens(text),
      processTerm: (term) => term,
      searchOptions: {
        tokenize: (text) => text.split(' ').filter(Boolean),
        processTerm: (term) => term,
        // Only words the index does not know are typos or cut short: tolerance for known words
        // would only blur them into their neighbours ("kien" / "dien").
        fuzzy: (term) => this.fuzziness(term),
        prefix: (term) =>
          !term.includes('_') &&
          term.length >= 4 &&
          !term.startsWith(FOREIGN) &&
          !this.normaliser.knows(term),
        combineWith: 'OR',
      },
    });
    this.search.addAll(docs);
    for (const doc of docs) {
      const words = new Set(this.normaliser.terms(doc.text).unigrams);
      this.docWords.set(doc.id, words);
      let own = this.intentWords.get(doc.intent);
      if (!own) this.intentWords.set(doc.intent, (own = new Set()));
      for (const w of words) own.add(w);
    }
    const usedBy = new Map<string, number>();
    for (const words of this.intentWords.values())
      for (const w of words) usedBy.set(w, (usedBy.get(w) ?? 0) + 1);
    for (const [w, n] of usedBy) this.specificity.set(w, Math.log(this.intentWords.size / n));
    for (const intent of intents)
      this.answerWords.set(
        intent.id,
        new Set((intent.context ?? []).flatMap((text) => this.normaliser.terms(text).unigrams)),
      );
  }

  /**
   * Among candidates whose questions match about equally well, the one whose answer also holds
   * the message's words: "doanh nghiệp có được đồng hành không" between "who organises" and "the
   * province's role" goes to the answer that names businesses. Undefined when that settles
   * nothing.
   */
  private tieBreak(candidates: Candidate[], unigrams: ReadonlySet<string>): string | undefined {
    const best = candidates[0]!;
    const close = candidates.filter(
      (c) =>
        c.score >= best.score * this.thresholds.answerMargin && c.coverage >= best.coverage - 0.1,
    );
    if (close.length < 2) return undefined;
    const said = (id: string) => {
      const words = this.answerWords.get(id);
      let n = 0;
      for (const w of unigrams) if (words?.has(w)) n += 1;
      return n / unigrams.size;
    };
    const ranked = close
      .map((c) => ({ id: c.id, said: said(c.id) }))
      .sort((a, b) => b.said - a.said);
    const [first, next] = ranked;
    // Only one of the two leaders may win: a third entry picked for its answer's words is a guess.
    const leaders = candidates.slice(0, 2).map((c) => c.id);
    return first && next && first.said - next.said >= 0.2 && leaders.includes(first.id)
      ? first.id
      : undefined;
  }

  /**
   * Among candidates whose questions match about equally well, the one that alone holds a word
   * telling of it: in "dịch covid thì tuần lễ có tổ chức không" every entry matches "tuần lễ"
   * and "tổ chức", but only the entry on how the Week is held asks about COVID. Undefined when
   * no word of the message is that telling, or when two entries hold such words.
   */
  private telling(candidates: Candidate[], unigrams: ReadonlySet<string>): string | undefined {
    const best = candidates[0]!;
    const close = candidates.filter(
      (c) =>
        c.score >= best.score * this.thresholds.answerMargin && c.coverage > best.coverage - 0.21,
    );
    if (close.length < 2) return undefined;
    const weigh = (id: string) => {
      const own = this.intentWords.get(id);
      let sum = 0;
      for (const w of unigrams) if (own?.has(w)) sum = Math.max(sum, this.specificity.get(w) ?? 0);
      return sum;
    };
    const ranked = close.map((c) => ({ id: c.id, weight: weigh(c.id) }));
    ranked.sort((a, b) => b.weight - a.weight);
    const [first, next] = ranked;
    if (!first || !next) return undefined;
    // Telling: used by at most two entries' questions, and the runner-up holds nothing half as telling.
    const telling = Math.log(this.intentWords.size / 2);
    return first.weight >= telling && next.weight * 2 <= first.weight ? first.id : undefined;
  }

  /** Pairs are exact; an unknown word allows typos in proportion to its length. */
  private fuzziness(term: string): number | false {
    if (term.includes('_') || term.length < 4 || term.startsWith(FOREIGN)) return false;
    if (this.normaliser.knows(term)) return false;
    return term.length < 7 ? 1 : 2;
  }

  /** Matches a message against every intent. Pure; the last results are kept for repeats. */
  match(text: string): Match {
    const cached = this.recent.get(text);
    if (cached) return cached;
    const result = this.analyse(text);
    this.recent.set(text, result);
    // Several features may ask about the same message in one turn; a small memory is enough.
    if (this.recent.size > 64) this.recent.delete(this.recent.keys().next().value!);
    return result;
  }

  /**
   * The language of a message as `match` reads it, without matching it against the intents (a
   * command only needs its language, and only the repaired words: about 7 µs for "xin chào"
   * against 30 µs for a whole match).
   */
  language(text: string): Locale | undefined {
    const known = this.recent.get(text);
    if (known) return known.lang;
    return detectLanguage(text, this.normaliser.words(text), this.vietnamese, this.english);
  }

  /**
   * Matches a message against every intent, without the memory of recent messages. A Vietnamese
   * message that borrows English words ("deadline nộp report") is also read with them in
   * Vietnamese, and that reading stands when only it gives a direct answer.
   */
  analyse(text: string): Match {
    const plain = this.normaliser.terms(text);
    const lang = detectLanguage(text, plain.words, this.vietnamese, this.english);
    const match = this.analyseTerms(plain, lang);
    if (match.kind === 'answer' || lang !== 'vi' || !hasBorrowedEnglish(plain.words)) return match;
    const bridged = this.analyseTerms(this.normaliser.terms(text, { bridge: true }), lang);
    return bridged.kind === 'answer' ? bridged : match;
  }

  private analyseTerms(terms: Terms, lang: Locale | undefined): Match {
    const unigrams = new Set(terms.unigrams);
    const words = unigrams.size;
    if (words === 0) return { kind: 'none', lang, words, candidates: [] };

    const results = this.search.search([...terms.unigrams, ...terms.bigrams].join(' '));
    const candidates = this.rank(results, unigrams);
    const [best, second] = candidates;
    const t = this.thresholds;
    if (!best || best.coverage < t.suggestCoverage)
      return { kind: 'none', lang, words, candidates };
    if (
      best.coverage >= t.answerCoverage &&
      (!second || second.score < best.score * t.answerMargin)
    )
      return { kind: 'answer', id: best.id, lang, words, candidates };
    const settled =
      best.coverage >= t.answerCoverage
        ? (this.tieBreak(candidates, unigrams) ?? this.telling(candidates, unigrams))
        : undefined;
    if (settled) return { kind: 'answer', id: settled, lang, words, candidates };
    const ids = candidates
      .filter((c) => c.score >= best.score * t.suggestShare && c.coverage >= t.suggestCoverage)
      .slice(0, t.maxSuggestions)
      .map((c) => c.id);
    return { kind: 'suggest', ids, lang, words, candidates };
  }

  /** The best question of each intent, best intent first. */
  private rank(results: SearchResult[], unigrams: ReadonlySet<string>): Candidate[] {
    const byIntent = new Map<string, Candidate>();
    for (const result of results) {
      const id = result.intent as string;
      const own = this.docWords.get(result.id as number);
      let found = 0;
      if (own) for (const term of result.terms) if (own.has(term)) found += 1;
      const held = own && own.size >= 2 ? found / own.size : 0;
      const known = byIntent.get(id);
      if (known) {
        known.held = Math.max(known.held, held);
        continue; // results come best first
      }
      // A word found only through typo tolerance or as a prefix counts half.
      let matched = 0;
      for (const term of result.queryTerms)
        if (unigrams.has(term)) matched += result.terms.includes(term) ? 1 : 0.5;
      byIntent.set(id, { id, score: result.score, coverage: matched / unigrams.size, held });
    }
    return [...byIntent.values()];
  }
}

/** How far the best entry must lead the runner-up to answer a sentence taken from a story. */
const DOMINANCE = 2;
/** Share of a question variant's words a story must hold for that variant to speak for it. */
const HELD = 0.75;

/**
 * The entry a question sentence of a long message clearly asks about, though a long sentence
 * ("tôi cần biết hạn cuối gửi báo cáo là khi nào để còn sắp xếp công việc") covers few of its
 * words: at least two meaningful words matched and a lead of twice the runner-up's score
 * (a plain answer matched by under half of the sentence needs that lead too).
 */
export function dominantEntry(match: Match): string | undefined {
  const [best, second] = match.candidates;
  if (match.kind === 'answer' && best && best.coverage >= 0.5) return match.id;
  if (!best || best.coverage * match.words < 2) return undefined;
  // A whole way of asking found inside the story stands for it however long the story is.
  if (best.coverage < 0.2 && best.held < HELD) return undefined;
  return !second || second.score * DOMINANCE <= best.score ? best.id : undefined;
}
