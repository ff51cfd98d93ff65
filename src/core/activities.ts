// Activities, references and turn-state keys the flows build and read, without loading the Bot
// Framework SDK (types only): menus and welcomes are built before the dialogs are (turn-engine.ts).
import type { Activity, ConversationReference } from 'botbuilder-core';
import type { ChannelId, Choice, Locale } from './events.js';

/** Turn-state key: true when the turn was started by the bot (broadcast, reminder). */
export const PROACTIVE = Symbol('proactive');
/** Turn-state key: the contact record, when the caller already read it. */
export const CONTACT = Symbol('contact');
/**
 * Turn-state key: the conversation's dialog state as stored, read with the contact in one
 * statement (`{ key, doc }`, doc null when there is none), so the turn needs no read of its own.
 */
export const STORED_STATE = Symbol('storedState');
/** Turn-state key: the normalised inbound event behind the turn. */
export const INBOUND_EVENT = Symbol('inboundEvent');

/** botbuilder locale names for our two languages. */
export const BOT_LOCALE: Record<Locale, string> = { vi: 'vi-vn', en: 'en-us' };

/** The conversation reference of a user on a channel (what proactive sends need). */
export function referenceFor(
  channel: ChannelId,
  userId: string,
  locale?: Locale,
): Partial<ConversationReference> {
  return {
    channelId: channel,
    serviceUrl: '',
    conversation: { id: userId, isGroup: false, conversationType: 'personal', name: '' },
    user: { id: userId, name: '' },
    bot: { id: channel, name: 'bot' },
    ...(locale ? { locale: BOT_LOCALE[locale] } : {}),
  };
}

/** Builds a message activity with buttons (suggested actions) that every channel renders natively. */
export function messageWithChoices(text: string, choices: Choice[] = []): Partial<Activity> {
  return {
    type: 'message',
    text,
    ...(choices.length > 0
      ? {
          suggestedActions: {
            to: [],
            actions: choices.map((c) =>
              c.url
                ? { type: 'openUrl', title: c.title, value: c.url }
                : { type: 'postBack', title: c.title, value: c.payload },
            ),
          },
        }
      : {}),
  };
}
