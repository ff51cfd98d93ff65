import { fillAnswer, type FaqEntry } from '../src/content/faq.js';
import type { Choice, Locale } from '../src/core/events.js';
import { localDay } from '../src/registration/time.js';
import { bumpDaily } from '../src/store/daily-counts-repo.js';
import { QuestionsRepo } from '../src/store/questions-repo.js';
import type { Match } from '../src/understanding/question-index.js';
import { EVENT_INTENTS } from './event-questions.js';
import { eventsChoice } from './events.js';
import type { Feature } from './feature.js';
import { MENU } from './menu.js';
import { answerLocale, questionIndexFor } from './questions.js';
import type { Turn } from './turn.js';
import { editionValues, nowIn, weekSentence } from './week-status.js';

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

/** Sends an entry's answer, its follow-ups and actions as numbered buttons. */
export async function sendAnswer(turn: Turn, entry: FaqEntry, locale: Locale): Promise<void> {
  const { content, t } = turn.services;
  const status = weekSentence(t, locale, content.edition, nowIn(turn.services).date, 'status');
  let text = fillAnswer(entry.answer[locale], {
    ...editionValues(content.edition, locale),
    status,
  });
  if (locale !== turn.locale) text += `\n\n${tr(turn, locale, 'faq:languageNote')}`;
  const choices: Choice[] = [
    ...entry.followUps.flatMap((id) => suggestion(turn, id, locale)?.choice ?? []),
    ...entry.actions.map((a) => ({ title: a.title[locale], payload: a.payload })),
    backToMenu(turn, locale),
  ];
  await turn.say(`${text}\n\n${tr(turn, locale, 'faq:related')}`, choices, { numbered: true });
}

/** The "Questions" entry: an invitation to ask, and the popular questions as buttons. */
export async function sendFaqMenu(turn: Turn, intro?: string): Promise<void> {
  const popular = turn.services.content.faq
    .filter((e) => e.popular)
    .map((e) => ({ title: e.title[turn.locale], payload: `${FAQ}:${e.id}` }));
  const text = [intro, turn.t('faq:intro')].filter(Boolean).join('\n\n');
  await turn.say(text, [...popular, backToMenu(turn, turn.locale)], { numbered: true });
}

/** "Did you mean...?" with the questions in full and short buttons. */
async function sendSuggestions(turn: Turn, ids: string[], locale: Locale): Promise<void> {
  const found = ids.flatMap((id) => suggestion(turn, id, locale) ?? []);
  const choices = [...found.map((f) => f.choice), backToMenu(turn, locale)];
  const lines = [
    tr(turn, locale, 'faq:didYouMean'),
    ...found.map((f, i) => `${i + 1}. ${f.question}`),
    `${found.length + 1}. ${backToMenu(turn, locale).title}`,
  ];
  await turn.sayMessage({ text: lines.join('\n'), choices, numbered: true });
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
    const match = questionIndexFor(turn.services.content).match(turn.text);
    const locale = answerLocale(turn, match.lang);
    if (match.kind === 'answer') {
      const entry = turn.services.content.faq.find((e) => e.id === match.id);
      if (!entry) {
        await countQuestion(turn, 'faq:answered:events');
        return false; // an events query: the events feature answers it
      }
      await sendAnswer(turn, entry, locale);
      await countQuestion(turn, `faq:answered:${entry.id}`);
      return true;
    }
    await recordUnanswered(turn, match);
    if (match.kind === 'none') return false; // the bot's fallback shows the menu
    await sendSuggestions(turn, match.ids, locale);
    return true;
  },
};
