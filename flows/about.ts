import type { Choice } from '../src/core/events.js';
import type { Feature } from './feature.js';
import { MENU } from './menu.js';
import type { Turn } from './turn.js';
import {
  editionValues,
  nowIn,
  shownEdition,
  weekSentence,
  type SentenceKind,
} from './week-status.js';

const ABOUT = 'ABOUT';

function topics(turn: Turn): Choice[] {
  return [
    { title: turn.t('common:about.theme'), payload: `${ABOUT}:THEME` },
    { title: turn.t('common:about.dates'), payload: `${ABOUT}:DATES` },
    { title: turn.t('common:about.purpose'), payload: `${ABOUT}:PURPOSE` },
    { title: turn.t('common:about.activities'), payload: `${ABOUT}:ACTIVITIES` },
    { title: turn.t('common:about.backToMenu'), payload: MENU },
  ];
}

/**
 * Answers one "about the Week" topic for the edition presented today (editions/<year>.json), in
 * the tense the clock calls for.
 */
export async function sendAboutTopic(turn: Turn, topic: string): Promise<boolean> {
  const { content, t } = turn.services;
  const today = nowIn(turn.services).date;
  const { edition } = shownEdition(content, today);
  const sentence = (kind: SentenceKind) => weekSentence(t, turn.locale, content, today, kind);
  let text: string;
  switch (topic) {
    case '':
      text = sentence('about');
      break;
    case 'THEME':
      text = turn.t('common:about.themeAnswer', editionValues(edition, turn.locale));
      break;
    case 'DATES':
      text = sentence('dates');
      break;
    case 'PURPOSE':
      text = edition.purpose[turn.locale];
      break;
    case 'ACTIVITIES':
      text = [
        turn.t('common:about.activitiesIntro', { year: edition.year }),
        ...edition.activities.map(
          (a, i) => `${i + 1}) ${a.title[turn.locale]}: ${a.text[turn.locale]}`,
        ),
      ].join('\n');
      break;
    default:
      return false;
  }
  await turn.say(text);
  await turn.say(turn.t('common:about.more'), topics(turn), { numbered: true });
  return true;
}

/** "About the Week": theme, dates, purpose and activities of the edition. */
export const aboutFeature: Feature = {
  name: 'about',
  menu: [{ payload: ABOUT, titleKey: 'common:menu.about' }],
  async onPayload(turn, payload) {
    if (payload === ABOUT) return sendAboutTopic(turn, '');
    if (payload.startsWith(`${ABOUT}:`))
      return sendAboutTopic(turn, payload.slice(ABOUT.length + 1));
    return false;
  },
};
