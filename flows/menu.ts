import type { Content } from '../src/content/load.js';
import type { Locale, OutboundMessage } from '../src/core/events.js';
import type { Translate } from '../src/i18n.js';
import type { Feature, MenuItem } from './feature.js';
import { numberedText, type Turn } from './turn.js';
import { weekSentence } from './week-status.js';

/** Payload of the main menu. */
export const MENU = 'MENU';

/** The main menu's entries, from every feature that has one, in feature order. */
export function menuItems(features: readonly Feature[]): MenuItem[] {
  return features.flatMap((f) => f.menu ?? []);
}

/** The main menu as a message: numbered text plus buttons, so it works on every platform. */
export function menuMessage(
  t: Translate,
  locale: Locale,
  features: readonly Feature[],
  intro?: string,
): OutboundMessage {
  const choices = menuItems(features).map((item) => ({
    title: t(locale, item.titleKey),
    payload: item.payload,
  }));
  const prompt = t(locale, 'common:menu.prompt');
  return {
    text: numberedText(intro ? `${intro}\n${prompt}` : prompt, choices),
    choices,
    numbered: true,
  };
}

/** The greeting that opens a conversation, with the edition presented on `today` in its tense. */
export function greetingText(
  t: Translate,
  content: Content,
  locale: Locale,
  today: string,
): string {
  return `${t(locale, 'common:greeting')} ${weekSentence(t, locale, content, today, 'greeting')}`;
}

/** The first message a new user gets on `today` (a local date): greeting and menu. */
export function welcomeMessage(
  t: Translate,
  content: Content,
  locale: Locale,
  features: readonly Feature[],
  today: string,
): OutboundMessage {
  return menuMessage(t, locale, features, greetingText(t, content, locale, today));
}

/** Sends the main menu in the turn's language. */
export async function sendMenu(
  turn: Turn,
  features: readonly Feature[],
  intro?: string,
): Promise<void> {
  const message = menuMessage(turn.services.t, turn.locale, features, intro);
  await turn.sayMessage(message);
}
