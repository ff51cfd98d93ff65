import type { Content } from '../../content/load.js';
import type { Locale } from '../../core/events.js';
import { truncateWords } from '../../core/text.js';
import type { Translate } from '../../i18n.js';
import { GET_STARTED } from './parse.js';
import type { WireMenuItem, WireProfile } from './wire.js';

// Messenger Profile API limits.
// https://developers.facebook.com/docs/messenger-platform/reference/messenger-profile-api
const MAX_GREETING = 160;
const MAX_MENU_TITLE = 30;

/** Messenger locales per bot language: `default` (anyone else) gets Vietnamese. */
const PROFILE_LOCALES: Array<{ fb: string; locale: Locale }> = [
  { fb: 'default', locale: 'vi' },
  { fb: 'en_US', locale: 'en' },
  { fb: 'en_GB', locale: 'en' },
];

/**
 * The persistent menu in one language: about, the other language, the main menu. The language
 * item names its target (`LANG:en` / `LANG:vi`), not a toggle: Messenger picks the menu by the
 * person's Facebook locale, which need not match the language they chose in the bot.
 */
function menu(t: Translate, locale: Locale): WireMenuItem[] {
  const item = (titleKey: string, payload: string): WireMenuItem => ({
    type: 'postback',
    title: truncateWords(t(locale, titleKey), MAX_MENU_TITLE),
    payload,
  });
  return [
    item('common:menu.about', 'ABOUT'),
    item('common:menu.language', locale === 'vi' ? 'LANG:en' : 'LANG:vi'),
    item('messenger:profile.menu', 'MENU'),
  ];
}

/** Get Started button, greeting text and persistent menu, with every text from locales/. */
export function buildProfile(t: Translate, content: Content): WireProfile {
  return {
    get_started: { payload: GET_STARTED },
    greeting: PROFILE_LOCALES.map(({ fb, locale }) => ({
      locale: fb,
      text: truncateWords(
        t(locale, 'messenger:profile.greeting', { name: content.edition.name[locale] }),
        MAX_GREETING,
      ),
    })),
    persistent_menu: PROFILE_LOCALES.map(({ fb, locale }) => ({
      locale: fb,
      composer_input_disabled: false,
      call_to_actions: menu(t, locale),
    })),
  };
}
