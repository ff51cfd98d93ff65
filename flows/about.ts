import { formatDate } from '../src/content/dates.js';
import type { Choice } from '../src/core/events.js';
import type { Feature } from './feature.js';
import { MENU } from './menu.js';
import type { Turn } from './turn.js';

const ABOUT = 'ABOUT';

function dates(turn: Turn) {
  const { edition } = turn.services.content;
  return {
    year: edition.year,
    name: edition.name[turn.locale],
    theme: edition.theme.vi,
    themeEn: edition.theme.en,
    start: formatDate(edition.startDate, turn.locale),
    end: formatDate(edition.endDate, turn.locale),
    opening: formatDate(edition.openingDate, turn.locale),
  };
}

function topics(turn: Turn): Choice[] {
  return [
    { title: turn.t('common:about.theme'), payload: `${ABOUT}:THEME` },
    { title: turn.t('common:about.dates'), payload: `${ABOUT}:DATES` },
    { title: turn.t('common:about.purpose'), payload: `${ABOUT}:PURPOSE` },
    { title: turn.t('common:about.activities'), payload: `${ABOUT}:ACTIVITIES` },
    { title: turn.t('common:about.backToMenu'), payload: MENU },
  ];
}

/** Answers one "about the Week" topic; every fact comes from content/edition.json. */
export async function sendAboutTopic(turn: Turn, topic: string): Promise<boolean> {
  const { edition } = turn.services.content;
  const vars = dates(turn);
  let text: string;
  switch (topic) {
    case '':
      text = turn.t('common:about.intro', { ...vars, theme: edition.theme[turn.locale] });
      break;
    case 'THEME':
      text = turn.t('common:about.themeAnswer', vars);
      break;
    case 'DATES':
      text = turn.t('common:about.datesAnswer', vars);
      break;
    case 'PURPOSE':
      text = edition.purpose[turn.locale];
      break;
    case 'ACTIVITIES':
      text = [
        turn.t('common:about.activitiesIntro'),
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
