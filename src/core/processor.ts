import type { TurnContext } from 'botbuilder-core';
import type { ContactsRepo } from '../store/contacts-repo.js';
import { CONTACT, STORED_STATE } from './activities.js';
import type { ChatAdapter } from './adapter.js';
import type { Clock } from './clock.js';
import type { InboundEvent, ReceiptEvent } from './events.js';
import { OutOfTurnError, type EventProcessor } from './inbox.js';
import { conversationStateKey } from './turn-outcome.js';

/** Something that wants platform receipts (delivery records of broadcasts). */
export type ReceiptListener = (event: ReceiptEvent) => Promise<void>;

/** Events that count as the user interacting (they open the platforms' messaging windows). */
const INTERACTIONS = new Set<InboundEvent['kind']>([
  'message',
  'postback',
  'follow',
  'referral',
  'unsupported',
  'form_submit',
]);

/**
 * What happens to each recorded event: contact bookkeeping (windows, follow state, language),
 * receipts to their listeners, and a bot turn for everything a user did.
 */
export function createProcessor(deps: {
  contacts: ContactsRepo;
  clock: Clock;
  adapter: ChatAdapter;
  turn: (context: TurnContext) => Promise<void>;
  receiptListeners: ReceiptListener[];
  /** How long the bot keeps quiet after a human agent answered (ms). */
  agentPauseMs: number;
  /** The id of a conversation's oldest pending inbox row (to confirm a receipt's `TurnOrder`). */
  firstPending: (conversation: string) => Promise<number | null>;
}): EventProcessor {
  return async (event, outcome, order) => {
    const now = deps.clock.now();
    if (event.kind === 'receipt') {
      if (order) {
        const first = await deps.firstPending(order.conversation);
        if (first !== order.id) throw new OutOfTurnError(first);
      }
      for (const listener of deps.receiptListeners) await listener(event);
      return;
    }
    const interaction = INTERACTIONS.has(event.kind);
    const stateKey = conversationStateKey(event.channel, event.userId);
    // The upsert is the same whether or not this is still the row's turn (it keeps the latest
    // interaction time, whatever the order): confirming the order afterwards changes nothing.
    const { contact, stateDoc, firstPending } = await deps.contacts.touchWithState(
      event.channel,
      event.userId,
      now,
      {
        ...(interaction ? { inboundAt: event.timestamp || now } : {}),
        ...(event.kind === 'follow' ? { followed: true } : {}),
        ...(event.locale ? { locale: event.locale } : {}),
      },
      stateKey,
      order?.conversation,
    );
    if (order && firstPending !== order.id) throw new OutOfTurnError(firstPending ?? null);
    if (event.kind === 'unfollow') {
      await deps.contacts.setFollowed(event.channel, event.userId, false);
      return;
    }
    if (event.kind === 'agent_reply') {
      await deps.contacts.setAgentPause(event.channel, event.userId, now + deps.agentPauseMs);
      return;
    }
    // A human agent is answering this person: the bot stays out of the conversation for a while.
    if (contact.agentPausedUntil !== null && contact.agentPausedUntil > now) return;
    await deps.adapter.processEvent(event, outcome, (context) => {
      context.turnState.set(CONTACT, contact);
      context.turnState.set(STORED_STATE, { key: stateKey, doc: stateDoc });
      return deps.turn(context);
    });
  };
}
