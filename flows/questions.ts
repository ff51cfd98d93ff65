import type { Content } from '../src/content/load.js';
import { QuestionIndex } from '../src/understanding/question-index.js';
import { EVENT_INTENTS } from './event-questions.js';

const indexes = new WeakMap<Content, QuestionIndex>();

/** The question index over the FAQ entries and the events queries of this content (built once). */
export function questionIndexFor(content: Content): QuestionIndex {
  let index = indexes.get(content);
  if (!index) {
    index = new QuestionIndex([
      ...content.faq.map((entry) => ({ id: entry.id, questions: entry.questions })),
      ...EVENT_INTENTS,
    ]);
    indexes.set(content, index);
  }
  return index;
}
