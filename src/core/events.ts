/** Channel ids; they match botbuilder's `channelId`. */
export type ChannelId = 'messenger' | 'viber' | 'zalo' | 'simulator';

/** The two languages the bot speaks; every platform locale is normalised to one of them. */
export type Locale = 'vi' | 'en';

interface EventBase {
  channel: ChannelId;
  /** The platform's user id (PSID, Viber id, Zalo user id), always a string. */
  userId: string;
  /** The platform's id for this event (mid, message_token, msg_id), used to drop retries. */
  eventId: string;
  /** Epoch milliseconds as sent by the platform. */
  timestamp: number;
  locale?: Locale;
}

/** A user typed text. */
export interface MessageEvent extends EventBase {
  kind: 'message';
  text: string;
}

/** A user tapped a button, quick reply, menu item or Get Started. */
export interface PostbackEvent extends EventBase {
  kind: 'postback';
  payload: string;
  title?: string;
}

/** A user sent something the bot does not read (picture, sticker, file...). */
export interface UnsupportedEvent extends EventBase {
  kind: 'unsupported';
  mediaType: string;
}

/** A user followed / subscribed / opened the conversation (optionally through a deep link `ref`). */
export interface FollowEvent extends EventBase {
  kind: 'follow';
  ref?: string;
}

/** A user unfollowed / unsubscribed: never message them again until they come back. */
export interface UnfollowEvent extends EventBase {
  kind: 'unfollow';
}

/** A user arrived through a link (m.me?ref=...) in an existing conversation. */
export interface ReferralEvent extends EventBase {
  kind: 'referral';
  ref: string;
}

/** A platform receipt for messages the bot sent. */
export interface ReceiptEvent extends EventBase {
  kind: 'receipt';
  status: 'delivered' | 'read' | 'failed';
  /** Platform message ids the receipt covers, when the platform names them. */
  messageIds: string[];
  /** Messenger: every message sent before this time is covered. */
  watermark?: number;
  reason?: string;
}

/** A human agent answered from the platform's inbox: the bot keeps quiet for a while. */
export interface AgentReplyEvent extends EventBase {
  kind: 'agent_reply';
}

/** A user submitted a platform form (Zalo `user_submit_info`). */
export interface FormSubmitEvent extends EventBase {
  kind: 'form_submit';
  fields: Record<string, string>;
}

/** Everything a channel can hand to the core, normalised. */
export type InboundEvent =
  | MessageEvent
  | PostbackEvent
  | UnsupportedEvent
  | FollowEvent
  | UnfollowEvent
  | ReferralEvent
  | ReceiptEvent
  | AgentReplyEvent
  | FormSubmitEvent;

/** A button offered to the user: tapping it sends `payload` back (or opens `url`). */
export interface Choice {
  title: string;
  payload: string;
  url?: string;
}

/** What the bot says, independent of the platform; channels render it natively. */
export interface OutboundMessage {
  text: string;
  choices?: Choice[];
  /** True when `text` already lists the choices as "1. ...": a text-only rendering adds nothing. */
  numbered?: boolean;
}

/** The conversation an event belongs to: one per user and channel. */
export function conversationKey(event: Pick<EventBase, 'channel' | 'userId'>): string {
  return `${event.channel}:${event.userId}`;
}

/** Normalises a platform locale ("vi", "vi_VN", "en-US", "en_GB") to the bot's two languages. */
export function normaliseLocale(raw: string | undefined | null): Locale | undefined {
  if (!raw) return undefined;
  const lang = raw.trim().toLowerCase().split(/[-_]/)[0];
  if (lang === 'vi') return 'vi';
  if (lang === 'en') return 'en';
  return undefined;
}
