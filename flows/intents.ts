import { detectCommand, type Command } from '../src/understanding/commands.js';
import type { Locale } from '../src/core/events.js';
import { codePointCount } from '../src/core/text.js';
import { LANG } from './language.js';
import { MENU } from './menu.js';

/** Longest text the bot tries to understand; the rest of a very long message is ignored. */
export const MAX_UNDERSTOOD_CHARS = 500;

const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]/g;

/** NFC, invisible characters (zero-width spaces, direction marks) dropped, cut to 500 characters. */
export function cleanInput(text: string): string {
  const clean = text.normalize('NFC').replace(INVISIBLE, '');
  return codePointCount(clean) > MAX_UNDERSTOOD_CHARS
    ? [...clean].slice(0, MAX_UNDERSTOOD_CHARS).join('')
    : clean;
}

/**
 * The command a turn carries: a language button or the menu button by payload, else what the
 * typed words ask for (a tapped button's own payload is left to the features).
 */
export function commandOf(
  payload: string | undefined,
  text: string,
  locale: Locale,
): Command | undefined {
  if (payload === `${LANG}:TOGGLE`)
    return { kind: 'language', locale: locale === 'vi' ? 'en' : 'vi' };
  if (payload === `${LANG}:vi` || payload === `${LANG}:en`)
    return { kind: 'language', locale: payload === `${LANG}:vi` ? 'vi' : 'en' };
  if (payload === MENU) return { kind: 'menu' };
  if (payload !== undefined) return undefined;
  return detectCommand(text);
}
