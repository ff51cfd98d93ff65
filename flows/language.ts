import type { Locale } from '../src/core/events.js';
import type { Feature } from './feature.js';
import type { Turn } from './turn.js';

/** Payload prefix of the language switch. */
export const LANG = 'LANG';

/** Switches the user's language and confirms in the new one. */
export async function switchLanguage(turn: Turn, locale: Locale): Promise<void> {
  await turn.setLocale(locale);
  await turn.showMenu(turn.t('common:language.switched'));
}

/** The language switch (vi/en), remembered per user. The menu entry offers the other language. */
export const languageFeature: Feature = {
  name: 'language',
  menu: [{ payload: `${LANG}:TOGGLE`, titleKey: 'common:menu.language' }],
  async onPayload(turn, payload) {
    if (payload === `${LANG}:TOGGLE`) {
      await switchLanguage(turn, turn.locale === 'vi' ? 'en' : 'vi');
      return true;
    }
    if (payload === `${LANG}:vi` || payload === `${LANG}:en`) {
      await switchLanguage(turn, payload.slice(LANG.length + 1) as Locale);
      return true;
    }
    return false;
  },
};
