import type { TurnContext } from 'botbuilder-core';
import type { ChannelId, OutboundMessage } from './events.js';

/** One message a turn produced, waiting for the turn's commit. */
export interface PendingMessage {
  channel: ChannelId;
  userId: string;
  message: OutboundMessage;
  mode: 'reply' | 'proactive';
}

/**
 * What a turn produced, kept in memory until the turn commits it in one transaction: the dialog
 * state it wrote (null = deleted) and the messages it said.
 */
export class TurnOutcome {
  readonly messages: PendingMessage[] = [];
  readonly state = new Map<string, unknown>();
}

/** Turn-state key: the outcome that collects the turn's messages and state writes. */
export const OUTCOME = Symbol('outcome');

/** The outcome of the turn a context belongs to, if it is collected. */
export function outcomeOf(context: TurnContext): TurnOutcome | undefined {
  return context.turnState.get<TurnOutcome | undefined>(OUTCOME);
}

/** Where a conversation's dialog state is stored (the key botbuilder's ConversationState uses). */
export function conversationStateKey(channel: string, conversationId: string): string {
  return `${channel}/conversations/${conversationId}/`;
}
