import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ChannelId, InboundEvent, Locale, OutboundMessage } from './events.js';
import type { Webhook } from './webhook.js';

/** How a message is being sent: as the answer to a user's turn, or started by the bot. */
export interface SendOptions {
  mode: 'reply' | 'proactive';
}

/** What the platform said about a send. */
export interface SendResult {
  /** Platform message ids (one per platform message the outbound message became). */
  messageIds: string[];
}

/** Where a channel hands verified, parsed events: resolves once they are durably recorded. */
export interface InboxPort {
  accept(events: InboundEvent[]): Promise<InboundEvent[]>;
  /** Like `accept`, then waits until their turns have run (the simulator answers synchronously). */
  acceptAndWait(events: InboundEvent[]): Promise<InboundEvent[]>;
}

/** What a channel's webhook routes may use. */
export interface WebhookContext {
  inbox: InboxPort;
  log: FastifyBaseLogger;
  /** The welcome message (menu) in a language, for platforms that answer in the HTTP response. */
  welcome(locale: Locale): Promise<OutboundMessage>;
  /**
   * The welcome for a deep link's reference (Viber `context`): counts the arrival and returns the
   * message that opens the link's flow, or undefined for the plain welcome.
   */
  linkWelcome?(
    channel: ChannelId,
    userId: string,
    linkValue: string,
    locale: Locale,
  ): Promise<OutboundMessage | undefined>;
  /** Counts a rejected request (operators watch it on /metrics). */
  countRejected(channel: ChannelId, reason: string): void;
  /** Counts a platform warning an operator must see (Meta policy enforcement, deauthorisation). */
  countWarning?(channel: ChannelId, kind: string): void;
}

/**
 * One platform: its webhook (verify ▸ parse, run by core/webhook.ts) and its outbound sender
 * (render ▸ client). Nothing platform-specific leaves the channel's folder.
 */
export interface Channel {
  readonly id: ChannelId;
  /** The platform's webhook as data and pure functions; core/webhook.ts serves it. */
  readonly webhook?: Webhook;
  /** Registers other routes (handshakes, callbacks); called inside the channel's own scope. */
  registerRoutes?(app: FastifyInstance, context: WebhookContext): void | Promise<void>;
  /** Renders and sends one message; throws a ChannelError (see core/errors.ts) on failure. */
  send(userId: string, message: OutboundMessage, options: SendOptions): Promise<SendResult>;
  /**
   * Sends one message to many users in one platform call where the platform has one (Viber
   * `broadcast_message`, <= 300); returns the users it failed for and, where the platform gives
   * them, the message id by user (receipts name it). Absent: the caller sends one by one.
   */
  sendBatch?(
    userIds: string[],
    message: OutboundMessage,
  ): Promise<{
    /** `unreachable`: the platform refused this person for good (the caller marks the contact). */
    failed: Array<{ userId: string; reason: string; unreachable?: boolean }>;
    messageIds?: ReadonlyMap<string, string>;
  }>;
  /** Releases connections and timers. */
  close?(): Promise<void>;
}
