// The dialog side of a turn: botbuilder's adapter, the bot and its features. Its modules (the Bot
// Framework SDK and its dependencies, about half of the start-up and 60-80 MB) are loaded after
// the server listens (see `createServices`), so webhooks are accepted and recorded meanwhile;
// their turns run once it is built.
import type { Logger } from 'pino';
import { LearningWeekBot } from '../flows/bot.js';
import type { Feature } from '../flows/feature.js';
import { allFeatures } from '../flows/features.js';
import type { FlowServices } from '../flows/turn.js';
import { ChatAdapter } from './core/adapter.js';
import { TurnConversationState } from './core/conversation-state.js';
import type { ChannelId, Locale } from './core/events.js';
import type { EventProcessor } from './core/inbox.js';
import { createProcessor, type ReceiptListener } from './core/processor.js';
import type { TurnOutcome } from './core/turn-outcome.js';
import type { SqlBotStorage } from './store/bot-state-storage.js';

/** What a turn needs beyond the inbox: the adapter, the bot, its features and the processor. */
export interface TurnEngine {
  adapter: ChatAdapter;
  bot: LearningWeekBot;
  features: readonly Feature[];
  /** Contact bookkeeping, receipts and the bot's turn for one recorded event. */
  process: EventProcessor;
}

export interface TurnEngineDeps {
  flows: FlowServices;
  storage: SqlBotStorage;
  channels: ReadonlySet<ChannelId>;
  log: Logger;
  /** Commits a bot-initiated turn (no inbox row) and sends its messages. */
  commitProactive: (outcome: TurnOutcome) => Promise<void>;
  receiptListeners: ReceiptListener[];
  agentPauseMs: number;
  /** The id of a conversation's oldest pending inbox row. */
  firstPending: (conversation: string) => Promise<number | null>;
}

export function buildTurnEngine(deps: TurnEngineDeps): TurnEngine {
  const { flows, log } = deps;
  const features = allFeatures(flows);
  const bot = new LearningWeekBot(flows, new TurnConversationState(deps.storage), features);
  const adapter = new ChatAdapter(new Set(deps.channels), deps.commitProactive);
  adapter.onTurnError = async (context, error) => {
    const channel = context.activity.channelId as ChannelId;
    log.error({ err: error, channel }, 'turn error');
    const locale: Locale = context.activity.locale?.startsWith('en') ? 'en' : 'vi';
    // Collected like any reply, so it goes out through the outbox after the turn's commit.
    await context.sendActivity(flows.t(locale, 'common:error'));
  };
  const process = createProcessor({
    contacts: flows.contacts,
    clock: flows.clock,
    adapter,
    turn: (context) => bot.run(context),
    receiptListeners: deps.receiptListeners,
    agentPauseMs: deps.agentPauseMs,
    firstPending: deps.firstPending,
  });
  return { adapter, bot, features, process };
}
