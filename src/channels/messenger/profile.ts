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
const MAX_MENU_ITEMS = 20;

/** Messenger locales per bot language: `default` (anyone else) gets Vietnamese. */
const PROFILE_LOCALES: Array<{ fb: string; locale: Locale }> = [
  { fb: 'default', locale: 'vi' },
  { fb: 'en_US', locale: 'en' },
  { fb: 'en_GB', locale: 'en' },
];

/**
 * The main menu's entries in the persistent menu, in the main menu's order (titles are the
 * features' own locale keys; a test checks each payload against the bot's main menu).
 */
const ENTRIES: Array<{ titleKey: string; payload: string }> = [
  { titleKey: 'common:menu.about', payload: 'ABOUT' },
  { titleKey: 'registration:menu.register', payload: 'REGISTER' },
  { titleKey: 'registration:menu.mine', payload: 'MY_REGISTRATIONS' },
  { titleKey: 'subscriptions:menu', payload: 'SUBSCRIBE' },
  { titleKey: 'quiz:menu.quiz', payload: 'QUIZ' },
  { titleKey: 'nominations:menu', payload: 'NOMINATE' },
  { titleKey: 'places:menu', payload: 'PLACES' },
  { titleKey: 'faq:menu', payload: 'FAQ' },
  { titleKey: 'events:menu', payload: 'EVENTS' },
];

/**
 * The persistent menu in one language: the main menu's entries, the other language and the
 * main menu itself (11 items; Messenger allows 20 at the top level, titles up to 30 characters).
 * The language item names its target (`LANG:en` / `LANG:vi`), not a toggle: Messenger picks
 * the menu by the person's Facebook locale, which need not match the language they chose.
 */
function menu(t: Translate, locale: Locale): WireMenuItem[] {
  const item = (titleKey: string, payload: string): WireMenuItem => ({
    type: 'postback',
    title: truncateWords(t(locale, titleKey), MAX_MENU_TITLE),
    payload,
  });
  return [
    ...ENTRIES.map((e) => item(e.titleKey, e.payload)),
    item('common:menu.language', locale === 'vi' ? 'LANG:en' : 'LANG:vi'),
    item('messenger:profile.menu', 'MENU'),
  ].slice(0, MAX_MENU_ITEMS);
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
