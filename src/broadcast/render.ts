import type { Locale, OutboundMessage } from '../core/events.js';
import type { Broadcast } from './model.js';

/** The announcement in the recipient's language (Vietnamese when there is no translation). */
export function renderFor(
  broadcast: Pick<Broadcast, 'message' | 'button'>,
  contactLocale: Locale | null,
): { locale: Locale; message: OutboundMessage } {
  const wanted = contactLocale ?? 'vi';
  const locale: Locale = broadcast.message[wanted] ? wanted : 'vi';
  const text = broadcast.message[locale] ?? broadcast.message.vi;
  const button = broadcast.button;
  if (!button) return { locale, message: { text } };
  const title = button.title[locale] ?? button.title.vi;
  return { locale, message: { text, choices: [{ title, payload: button.payload }] } };
}
