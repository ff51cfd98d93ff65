import type { Content } from '../src/content/load.js';
import type { Locale } from '../src/core/events.js';
import { QuestionIndex } from '../src/understanding/question-index.js';
import { EVENT_INTENTS } from './event-questions.js';
import type { Turn } from './turn.js';

const indexes = new WeakMap<Content, QuestionIndex>();

/** The question index over the FAQ entries and the events queries of this content (built once). */
export function questionIndexFor(content: Content): QuestionIndex {
  let index = indexes.get(content);
  if (!index) {
    index = new QuestionIndex([
      ...content.faq.map((entry) => ({
        id: entry.id,
        questions: entry.questions,
        context: [entry.answer.vi, entry.answer.en, entry.title.vi, entry.title.en],
      })),
      ...EVENT_INTENTS,
    ]);
    indexes.set(content, index);
  }
  return index;
}

/**
 * The language to answer in: the user's, unless the message is clearly in the other language
 * (a Vietnamese user who asks "what is the theme" gets English, and the other way round).
 */
export function answerLocale(turn: Turn, clear: Locale | undefined): Locale {
  return clear ?? turn.locale;
}

/** Forgets the index of this content: the next question builds it again (after an FAQ change). */
export function forgetQuestionIndex(content: Content): void {
  indexes.delete(content);
}
