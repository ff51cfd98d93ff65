import { fillAnswer, type FaqEntry } from '../src/content/faq.js';
import type { Choice, Locale } from '../src/core/events.js';
import { localDay } from '../src/registration/time.js';
import { bumpDaily } from '../src/store/daily-counts-repo.js';
import { QuestionsRepo } from '../src/store/questions-repo.js';
import { dominantEntry, type Match } from '../src/understanding/question-index.js';
import { EVENT_INTENTS } from './event-questions.js';
import { eventsChoice, sendEvents } from './events.js';
import type { Feature } from './feature.js';
import { MENU } from './menu.js';
import { courseList } from './courses-answer.js';
import { answerLocale, questionIndexFor } from './questions.js';
import { asksSomething, questionParts } from '../src/understanding/sentences.js';
import type { Turn } from './turn.js';
import { answerValues } from './answer-values.js';
import { nowIn, shownEdition } from './week-status.js';

/** Payload of the "Questions" menu entry; `FAQ:<id>` answers one entry. */
export const FAQ = 'FAQ';

function tr(turn: Turn, locale: Locale, key: string, vars?: Record<string, unknown>): string {
  return turn.services.t(locale, key, vars);
}

function backToMenu(turn: Turn, locale: Locale): Choice {
  return { title: tr(turn, locale, 'faq:backToMenu'), payload: MENU };
}

/** The button for an intent (an FAQ entry or an events query), with the question it stands for. */
function suggestion(
  turn: Turn,
  id: string,
  locale: Locale,
): { choice: Choice; question: string } | undefined {
  const intent = EVENT_INTENTS.find((i) => i.id === id);
  if (intent)
    return {
      choice: eventsChoice(turn, intent.query, locale),
      question: intent.questions[locale][0]!,
    };
  const entry = turn.services.content.faq.find((e) => e.id === id);
  if (!entry) return undefined;
  return {
    choice: { title: entry.title[locale], payload: `${FAQ}:${entry.id}` },
    question: entry.questions[locale][0]!,
  };
}

/** Most buttons under an answer: related questions, follow-ups and actions, then the menu. */
const MAX_ANSWER_BUTTONS = 5;

/**
 * Sends an entry's answer with buttons: the questions that ranked next ("related", when the
 * answer came from a typed question), the entry's follow-ups and actions, and the menu.
 */
export async function sendAnswer(
  turn: Turn,
  entry: FaqEntry,
  locale: Locale,
  related: readonly string[] = [],
): Promise<void> {
  let text = fillAnswer(entry.answer[locale], {
    ...answerValues(turn.services, locale),
    courses: courseList(turn, locale),
  });
  if (locale !== turn.locale) text += `\n\n${tr(turn, locale, 'faq:languageNote')}`;
  const ids = [...new Set([...related, ...entry.followUps])].filter((id) => id !== entry.id);
  const actions = entry.actions.map((a) => ({ title: a.title[locale], payload: a.payload }));
  const choices: Choice[] = [
    ...ids
      .flatMap((id) => suggestion(turn, id, locale)?.choice ?? [])
      .slice(0, MAX_ANSWER_BUTTONS - actions.length),
    ...actions,
    backToMenu(turn, locale),
  ];
  await turn.say(`${text}\n\n${tr(turn, locale, 'faq:related')}`, choices, { numbered: true });
}

/** Meaningful words from which a message is a story around its question. */
const LONG_WORDS = 10;

/** The "Questions" entry: an invitation to ask, and the popular questions as buttons. */
export async function sendFaqMenu(turn: Turn, intro?: string): Promise<void> {
  const popular = turn.services.content.faq
    .filter((e) => e.popular)
    .map((e) => ({ title: e.title[turn.locale], payload: `${FAQ}:${e.id}` }));
  const text = [intro, turn.t('faq:intro')].filter(Boolean).join('\n\n');
  await turn.say(text, [...popular, backToMenu(turn, turn.locale)], { numbered: true });
}

/** "Is this what you mean?" with the same labels in the numbered list and on the buttons. */
async function sendSuggestions(turn: Turn, ids: string[], locale: Locale): Promise<void> {
  const found = ids.flatMap((id) => suggestion(turn, id, locale) ?? []);
  const choices = [...found.map((f) => f.choice), backToMenu(turn, locale)];
  await turn.say(tr(turn, locale, 'faq:didYouMean'), choices, { numbered: true });
}

/**
 * The honest reply when the letter does not answer: say so, keep the question for organisers,
 * and offer the closest topics, the contact entry and the menu.
 */
async function sendNotInLetter(turn: Turn, match: Match, locale: Locale): Promise<void> {
  const ids = match.candidates
    .filter((c) => c.coverage >= 0.25)
    .slice(0, 2)
    .map((c) => c.id);
  if (!ids.includes('contact')) ids.push('contact');
  const found = ids.flatMap((id) => suggestion(turn, id, locale) ?? []);
  const year = String(shownEdition(turn.services.content, nowIn(turn.services).date).edition.year);
  await turn.say(
    tr(turn, locale, 'faq:notInLetter', { year }),
    [...found.map((f) => f.choice), backToMenu(turn, locale)],
    { numbered: true },
  );
}

/** The next one to three entries of a direct answer, offered as related questions. */
function related(match: Match): string[] {
  const [best, ...rest] = match.candidates;
  if (!best) return [];
  return rest
    .filter((c) => c.coverage >= 0.3 && c.score >= best.score * 0.25)
    .slice(0, 3)
    .map((c) => c.id);
}

/**
 * Answers one or two entries: FAQ entries from the content, events queries from the calendar
 * (their answer depends on the clock), also when the query was one sentence of a longer message.
 */
async function sendAnswers(
  turn: Turn,
  ids: readonly string[],
  locale: Locale,
  relatedIds: readonly string[] = [],
): Promise<boolean> {
  let sent = 0;
  for (const id of ids) {
    const entry = turn.services.content.faq.find((e) => e.id === id);
    const intent = entry ? undefined : EVENT_INTENTS.find((i) => i.id === id);
    if (entry) {
      await sendAnswer(turn, entry, locale, ids.length === 1 ? relatedIds : []);
      await countQuestion(turn, `faq:answered:${entry.id}`);
    } else if (intent) {
      await sendEvents(turn, intent.query, locale);
      await countQuestion(turn, 'faq:answered:events');
    } else continue;
    sent += 1;
  }
  return sent > 0;
}

/**
 * Counts a question for the results report: an anonymous counter per local day and FAQ topic
 * (`faq:answered:<id>`, `faq:shown:<id>` for a tapped button, `faq:unanswered:<outcome>`); no text.
 */
async function countQuestion(turn: Turn, key: string): Promise<void> {
  const { store, clock, timezone } = turn.services;
  await bumpDaily(store.db, localDay(clock.now(), timezone), { [key]: 1 });
}

/** Keeps a question the bot could not answer (masked, with the contact id only). */
async function recordUnanswered(turn: Turn, match: Match): Promise<void> {
  // One word ("ok", "vâng") is small talk rather than a question worth an organiser's time.
  if (match.words < 2) return;
  await new QuestionsRepo(turn.services.store.db).recordUnanswered({
    text: turn.text,
    channel: turn.contact.channel,
    contactId: turn.contact.id,
    outcome: match.kind === 'suggest' ? 'suggested' : 'none',
    at: turn.services.clock.now(),
  });
  await countQuestion(turn, `faq:unanswered:${match.kind === 'suggest' ? 'suggested' : 'none'}`);
}

/** Questions and answers: typed questions, "Did you mean...?" buttons, the popular list. */
export const faqFeature: Feature = {
  name: 'faq',
  menu: [{ payload: FAQ, titleKey: 'faq:menu' }],
  async onPayload(turn, payload) {
    if (payload === FAQ) {
      await sendFaqMenu(turn);
      return true;
    }
    if (!payload.startsWith(`${FAQ}:`)) return false;
    const entry = turn.services.content.faq.find((e) => e.id === payload.slice(FAQ.length + 1));
    if (entry) {
      await sendAnswer(turn, entry, turn.locale);
      await countQuestion(turn, `faq:shown:${entry.id}`);
    } else await sendFaqMenu(turn, turn.t('faq:gone'));
    return true;
  },
  async onText(turn) {
    const index = questionIndexFor(turn.services.content);
    const match = index.match(turn.text);
    const locale = answerLocale(turn, match.lang);
    // Several questions in one message, or a long message around one question: its pieces.
    const pieces = questionParts(turn.text).map((p) => index.match(p));
    // The story as a whole comes last: a question variant held whole inside it speaks for it.
    if (match.kind !== 'answer' && match.words >= LONG_WORDS) pieces.push(match);
    // A question sentence inside a story answers when one entry clearly leads (few of its words
    // are the question's own); in a short message each piece must be a plain answer.
    const story = match.kind !== 'answer' && match.words >= LONG_WORDS;
    const answered = [
      ...new Set(
        pieces.flatMap((p) =>
          story ? (dominantEntry(p) ?? []) : p.kind === 'answer' ? [p.id] : [],
        ),
      ),
    ].slice(0, 2);
    if (answered.length >= 2 || (answered.length === 1 && match.kind !== 'answer')) {
      return sendAnswers(turn, answered, locale);
    }
    if (match.kind === 'answer') return sendAnswers(turn, [match.id], locale, related(match));
    await recordUnanswered(turn, match);
    if (match.kind === 'suggest') {
      await sendSuggestions(turn, match.ids, locale);
      return true;
    }
    // Small talk, a stray word or keyboard noise: the bot's fallback menu.
    if (match.words < 2 || !asksSomething(turn.text)) return false;
    await sendNotInLetter(turn, match, locale);
    return true;
  },
};
