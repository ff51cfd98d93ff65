import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type CardAction,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder-core';
import type { ChannelId, Choice, InboundEvent, OutboundMessage } from './events.js';
import { INBOUND_EVENT, PROACTIVE, referenceFor } from './activities.js';
import { OUTCOME, outcomeOf, TurnOutcome } from './turn-outcome.js';

/** Turns a normalised inbound event into the botbuilder activity its turn runs on. */
export function toActivity(event: InboundEvent): Partial<Activity> {
  const base = {
    ...TurnContext.applyConversationReference(
      {},
      referenceFor(event.channel, event.userId, event.locale),
      true,
    ),
    id: event.eventId,
    timestamp: new Date(event.timestamp),
    from: { id: event.userId, name: '' },
    recipient: { id: event.channel, name: 'bot' },
    channelData: { event },
  };
  switch (event.kind) {
    case 'message':
      return { ...base, type: ActivityTypes.Message, text: event.text.normalize('NFC') };
    case 'postback':
      return {
        ...base,
        type: ActivityTypes.Message,
        text: event.payload,
        value: { payload: event.payload },
      };
    default:
      return { ...base, type: ActivityTypes.Event, name: event.kind, value: event };
  }
}

/** Reads botbuilder's suggested actions back into our platform-neutral choices. */
export function toOutbound(activity: Partial<Activity>): OutboundMessage | undefined {
  const text = activity.text ?? '';
  const actions: CardAction[] = activity.suggestedActions?.actions ?? [];
  const choices: Choice[] = actions.map((a) => {
    const value = typeof a.value === 'string' ? a.value : String(a.value ?? a.title);
    return a.type === 'openUrl'
      ? { title: a.title, payload: value, url: value }
      : { title: a.title, payload: value };
  });
  if (!text && choices.length === 0) return undefined;
  const numbered = (activity.channelData as { numbered?: boolean } | undefined)?.numbered === true;
  return choices.length > 0 ? { text, choices, ...(numbered ? { numbered } : {}) } : { text };
}

/**
 * The one BotAdapter for every channel: runs a turn for a normalised inbound event. What the bot
 * says is not sent during the turn: it is collected in the turn's outcome and committed to the
 * outbox with the turn (see inbox.ts and outbox.ts), which delivers it through the channel.
 */
export class ChatAdapter extends BotAdapter {
  constructor(
    private readonly channels: ReadonlySet<ChannelId>,
    /** Commits a bot-initiated turn's outcome (its state and messages). */
    private readonly commitProactive: (outcome: TurnOutcome) => Promise<void>,
  ) {
    super();
  }

  /** Runs one turn of `logic` for an inbound event; what it says is collected in `outcome`. */
  async processEvent(
    event: InboundEvent,
    outcome: TurnOutcome,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const context = new TurnContext(this, toActivity(event));
    context.turnState.set(INBOUND_EVENT, event);
    context.turnState.set(OUTCOME, outcome);
    await this.runMiddleware(context, logic);
  }

  override async sendActivities(
    context: TurnContext,
    activities: Partial<Activity>[],
  ): Promise<ResourceResponse[]> {
    const channel = context.activity.channelId as ChannelId;
    if (!this.channels.has(channel)) throw new Error(`no channel ${channel} is configured`);
    const outcome = outcomeOf(context);
    if (!outcome)
      throw new Error('messages are sent from inside a turn (processEvent, continueConversation)');
    const userId = context.activity.conversation.id;
    const mode = context.turnState.get(PROACTIVE) === true ? 'proactive' : 'reply';
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      // Typing delays make no sense once messages leave after the turn: they are dropped.
      const message = activity.type === ActivityTypes.Message ? toOutbound(activity) : undefined;
      if (message) outcome.messages.push({ channel, userId, message, mode });
      responses.push({ id: '' });
    }
    return responses;
  }

  override async updateActivity(): Promise<void> {
    throw new Error('updating a sent message is not supported on these channels');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('deleting a sent message is not supported on these channels');
  }

  /** Starts a bot-initiated turn in an existing conversation; its messages go to the outbox. */
  override async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: 'continueConversation' },
      reference,
      true,
    );
    const outcome = new TurnOutcome();
    const context = new TurnContext(this, activity);
    context.turnState.set(PROACTIVE, true);
    context.turnState.set(OUTCOME, outcome);
    await this.runMiddleware(context, logic);
    await this.commitProactive(outcome);
  }
}
