import type { Choice, OutboundMessage } from '../../core/events.js';
import { codePointCount, splitText, truncateWords } from '../../core/text.js';
import type { SendMessage, WireButton } from './wire.js';

// Send API limits. https://developers.facebook.com/docs/messenger-platform/send-messages/quick-replies
// and https://developers.facebook.com/docs/messenger-platform/send-messages/template/button
/** Longest text of one message. */
export const MAX_TEXT = 2000;
/** Most quick replies on one message. */
export const MAX_QUICK_REPLIES = 13;
/** Longest quick-reply / button title. */
export const MAX_TITLE = 20;
/** Longest quick-reply / postback payload. */
export const MAX_PAYLOAD = 1000;
/** Most buttons of a button template. */
export const MAX_BUTTONS = 3;
/** Longest text of a button template. */
export const MAX_TEMPLATE_TEXT = 640;

/** Text parts of at most MAX_TEXT characters (never an empty message). */
function textParts(text: string): string[] {
  const parts = splitText(text, MAX_TEXT).filter((p) => p.trim() !== '');
  return parts.length > 0 ? parts : ['…'];
}

function title(choice: Choice): string {
  return truncateWords(choice.title.trim() || choice.payload, MAX_TITLE);
}

/** Choices as numbered lines (people type the number); link choices show their address. */
function numberedFallback(message: OutboundMessage, choices: Choice[]): string {
  const lines = message.numbered
    ? // The text already lists "1. title": only the addresses are missing.
      choices.filter((c) => c.url).map((c) => `${c.title}: ${c.url}`)
    : choices.map((c, i) => `${i + 1}. ${c.title}${c.url ? `: ${c.url}` : ''}`);
  return [message.text, ...lines].join('\n');
}

/**
 * Renders one outbound message as the Send API `message` objects to send in order:
 * text split at 2,000 characters, choices as quick replies (on the last part), link choices as a
 * button template, and numbered text when there are more choices than the platform allows.
 */
export function renderMessage(message: OutboundMessage): SendMessage[] {
  const choices = message.choices ?? [];
  if (choices.length === 0) return textParts(message.text).map((text) => ({ text }));

  const hasLinks = choices.some((c) => c.url);
  const payloadsFit = choices.every((c) => c.url || codePointCount(c.payload) <= MAX_PAYLOAD);

  if (hasLinks) {
    // Quick replies cannot open a link: a button template can, with up to 3 buttons.
    const text = message.text.normalize('NFC');
    if (
      choices.length <= MAX_BUTTONS &&
      payloadsFit &&
      text.trim() !== '' &&
      codePointCount(text) <= MAX_TEMPLATE_TEXT
    ) {
      const buttons: WireButton[] = choices.map((c) =>
        c.url
          ? { type: 'web_url', title: title(c), url: c.url }
          : { type: 'postback', title: title(c), payload: c.payload },
      );
      return [
        { attachment: { type: 'template', payload: { template_type: 'button', text, buttons } } },
      ];
    }
    return textParts(numberedFallback(message, choices)).map((t) => ({ text: t }));
  }

  if (choices.length > MAX_QUICK_REPLIES || !payloadsFit) {
    return textParts(numberedFallback(message, choices)).map((t) => ({ text: t }));
  }
  const parts = textParts(message.text);
  const quickReplies = choices.map((c) => ({
    content_type: 'text' as const,
    title: title(c),
    payload: c.payload,
  }));
  return parts.map((text, i) =>
    i === parts.length - 1 ? { text, quick_replies: quickReplies } : { text },
  );
}
