import type { Choice, OutboundMessage } from '../../core/events.js';
import { splitText, truncateWords } from '../../core/text.js';
import { PAYLOAD_MARK, recipientOf, type ZaloButton, type ZaloCsRequest } from './wire.js';

/** Zalo: a CS text message holds at most 2,000 characters. */
export const MAX_TEXT = 2000;
/**
 * Buttons per message we send; with more choices (the main menu, the FAQ list) the menu goes out
 * as numbered text only. Not the first few as buttons plus "More": typed numbers already reach
 * every entry, a partial set of buttons hides the rest from people who tap, and a second page
 * would renumber the entries the text has just listed.
 */
export const MAX_BUTTONS = 5;
/** Zalo: button titles up to 100 characters, `oa.query.*` payloads up to 1,000. */
const MAX_TITLE = 100;
const MAX_PAYLOAD = 1000;

/**
 * Renders one outbound message as the CS message bodies to send, in order: text split at 2,000
 * characters, choices as `oa.query.show` buttons on the last part (`buttons: true`), or as
 * "1. Title" lines in the text (`buttons: false`, or more than five choices).
 *
 * Button shape (unverified on v3 CS messages, hence the switch): `message.attachment =
 * {type: "template", payload: {buttons: [{title, type: "oa.query.show", payload: "#PAYLOAD"}]}}`
 * next to `message.text`. Docs: https://developers.zalo.me/docs/official-account/tin-nhan/tin-tu-van
 */
export function renderZalo(
  userId: string,
  message: OutboundMessage,
  options: { buttons: boolean },
): ZaloCsRequest[] {
  const choices = message.choices ?? [];
  const asButtons = options.buttons && choices.length > 0 && choices.length <= MAX_BUTTONS;
  const text =
    choices.length > 0 && !asButtons && !message.numbered
      ? numbered(message.text, choices)
      : message.text;
  const parts = text.trim() === '' ? [] : splitText(text, MAX_TEXT);
  if (asButtons && parts.length === 0) parts.push(numbered('', choices));
  const bodies: ZaloCsRequest[] = parts.map((part) => ({
    recipient: recipientOf(userId),
    message: { text: part },
  }));
  const last = bodies[bodies.length - 1];
  if (asButtons && last) {
    last.message.attachment = { type: 'template', payload: { buttons: choices.map(button) } };
  }
  return bodies;
}

function button(choice: Choice): ZaloButton {
  const title = truncateWords(choice.title, MAX_TITLE);
  if (choice.url) return { title, type: 'oa.open.url', payload: { url: choice.url } };
  return {
    title,
    type: 'oa.query.show',
    payload: `${PAYLOAD_MARK}${choice.payload}`.slice(0, MAX_PAYLOAD),
  };
}

/** The numbered-text menu: "1. Title" per choice (links show their address). */
function numbered(text: string, choices: Choice[]): string {
  const lines = choices.map((c, i) => `${i + 1}. ${c.title}${c.url ? `: ${c.url}` : ''}`);
  return [text, ...lines].filter((line) => line !== '').join('\n');
}
