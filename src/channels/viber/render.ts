import type { ViberConfig } from '../../config.js';
import type { Choice, OutboundMessage } from '../../core/events.js';
import { codePointCount, splitText, truncateWords } from '../../core/text.js';
import {
  MAX_TRACKING_CHARS,
  TRACKING_PREFIX,
  type ViberButton,
  type ViberKeyboard,
  type ViberSender,
  type ViberTextMessage,
} from './wire.js';

/** Viber shows at most 24 buttons per keyboard. */
export const MAX_BUTTONS = 24;
/** Longest text of one Viber text message. */
export const MAX_TEXT_CHARS = 7000;
/** Longest button caption we send (Viber's limit is 250). */
const MAX_BUTTON_TEXT = 250;
/** Captions up to this many characters fit half a phone-wide keyboard row. */
const SHORT_TITLE = 14;
/** Longest sender name Viber accepts. */
const MAX_SENDER_NAME = 28;
/**
 * Our keyboards use only level-1 button parameters (Columns, Rows, ActionType, ActionBody, Text,
 * Silent), so every client can show them; stated explicitly, as in Viber's keyboard example, so
 * adding a newer parameter (InputFieldState is level 4) means raising this on purpose.
 */
export const KEYBOARD_MIN_API_VERSION = 1;

/** The sender shown on every message: the configured bot name (<= 28 chars) and avatar. */
export function senderFrom(config: Pick<ViberConfig, 'botName' | 'botAvatar'>): ViberSender {
  return {
    name:
      codePointCount(config.botName) <= MAX_SENDER_NAME
        ? config.botName
        : [...config.botName].slice(0, MAX_SENDER_NAME).join(''),
    ...(config.botAvatar ? { avatar: config.botAvatar } : {}),
  };
}

/**
 * A custom keyboard for the choices: one button per row, or two per row (3 of 6 columns) when
 * every caption is short; an odd last button then takes the whole row. Reply buttons are silent
 * so the raw payload ("ABOUT:THEME") never shows up as the user's message in the chat.
 */
export function renderKeyboard(choices: readonly Choice[]): ViberKeyboard | undefined {
  const shown = choices.slice(0, MAX_BUTTONS);
  if (shown.length === 0) return undefined;
  const twoPerRow = shown.length > 1 && shown.every((c) => codePointCount(c.title) <= SHORT_TITLE);
  const buttons = shown.map((choice, i): ViberButton => {
    const last = i === shown.length - 1;
    const columns = twoPerRow && !(last && shown.length % 2 === 1) ? 3 : 6;
    const text = truncateWords(choice.title, MAX_BUTTON_TEXT);
    return choice.url
      ? { Columns: columns, Rows: 1, ActionType: 'open-url', ActionBody: choice.url, Text: text }
      : {
          Columns: columns,
          Rows: 1,
          ActionType: 'reply',
          ActionBody: choice.payload,
          Text: text,
          Silent: true,
        };
  });
  return { Type: 'keyboard', Buttons: buttons };
}

/** The tracking data that lets parse.ts tell a tap on this keyboard from typed text. */
export function trackingFor(keyboard: ViberKeyboard): string | undefined {
  const payloads = keyboard.Buttons.filter((b) => b.ActionType === 'reply').map(
    (b) => b.ActionBody,
  );
  if (payloads.length === 0) return undefined;
  const data = TRACKING_PREFIX + JSON.stringify(payloads);
  // Too long to echo: taps are then recognised by the shape of the payload alone.
  return data.length <= MAX_TRACKING_CHARS ? data : undefined;
}

/**
 * Renders an outbound message as Viber text messages without a receiver: long text is split at
 * paragraph or word breaks, and the keyboard rides on the last part.
 */
export function renderMessages(message: OutboundMessage, sender: ViberSender): ViberTextMessage[] {
  const keyboard = renderKeyboard(message.choices ?? []);
  const parts = message.text.trim() === '' ? [] : splitText(message.text, MAX_TEXT_CHARS);
  // Viber refuses an empty text; a keyboard alone still needs a caption.
  if (parts.length === 0 && keyboard) parts.push('…');
  return parts.map((text, i): ViberTextMessage => {
    const withKeyboard = keyboard !== undefined && i === parts.length - 1;
    const tracking = withKeyboard ? trackingFor(keyboard) : undefined;
    return {
      type: 'text',
      text,
      sender,
      ...(withKeyboard
        ? {
            keyboard,
            min_api_version: KEYBOARD_MIN_API_VERSION,
            ...(tracking ? { tracking_data: tracking } : {}),
          }
        : {}),
    };
  });
}

/**
 * The body of the answer to `conversation_started`: exactly one message (Viber shows only the
 * response body, and sends nothing else to a user who has not subscribed).
 */
export function renderWelcome(message: OutboundMessage, sender: ViberSender): ViberTextMessage {
  const single = { ...message, text: truncateWords(message.text, MAX_TEXT_CHARS) };
  const [first] = renderMessages(single, sender);
  return first ?? { type: 'text', text: '…', sender };
}
