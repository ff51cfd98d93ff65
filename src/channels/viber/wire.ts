// Raw Viber REST Bot API shapes (https://developers.viber.com/docs/api/rest-bot-api/).
// Numbers that can exceed 2^53 (`message_token`, and `timestamp` in Viber's own signature test
// vector) are read with a bigint-safe parser, so they arrive here as `bigint` when large.

/** A JSON integer as our bigint-safe parser returns it. */
export type WireInt = number | bigint;

/** The user object of `conversation_started`, `subscribed` and `message.sender`. */
export interface ViberUser {
  id: string;
  name?: string;
  avatar?: string;
  /** ISO 639-1 language, sometimes with a region ("vi", "en-US"). */
  language?: string;
  country?: string;
  api_version?: number;
}

/** Fields every callback carries. */
export interface ViberCallbackBase {
  event: string;
  timestamp: WireInt;
  message_token?: WireInt;
  chat_hostname?: string;
}

/** `message`: a user wrote, or tapped a keyboard `reply` button (text = its ActionBody). */
export interface ViberMessageCallback extends ViberCallbackBase {
  event: 'message';
  sender: ViberUser;
  message: {
    type: string;
    text?: string;
    media?: string;
    tracking_data?: string;
  };
}

/** `conversation_started`: the user opened the chat; answer with the welcome in the response body. */
export interface ViberConversationStartedCallback extends ViberCallbackBase {
  event: 'conversation_started';
  type?: string;
  context?: string;
  user: ViberUser;
  subscribed?: boolean;
}

/** `subscribed`: the user subscribed; the bot may message them. */
export interface ViberSubscribedCallback extends ViberCallbackBase {
  event: 'subscribed';
  user: ViberUser;
}

/** `unsubscribed`, `delivered`, `seen`, `failed`: events about a user id. */
export interface ViberUserIdCallback extends ViberCallbackBase {
  event: 'unsubscribed' | 'delivered' | 'seen' | 'failed';
  user_id: string;
  /** `failed` only: why the message could not be shown. */
  desc?: string;
}

/** Event types `set_webhook` subscribes to (`message` and `webhook` are always sent). */
export const VIBER_EVENT_TYPES = [
  'delivered',
  'seen',
  'failed',
  'subscribed',
  'unsubscribed',
  'conversation_started',
] as const;

/** One keyboard button (PascalCase keys, as Viber wants them). */
export interface ViberButton {
  Columns: number;
  Rows: number;
  ActionType: 'reply' | 'open-url';
  ActionBody: string;
  Text: string;
  Silent?: boolean;
}

/** A custom keyboard shown instead of the device's keyboard. */
export interface ViberKeyboard {
  Type: 'keyboard';
  DefaultHeight?: boolean;
  Buttons: ViberButton[];
}

/** Who the message is from, as shown to the user. */
export interface ViberSender {
  /** At most 28 characters. */
  name: string;
  avatar?: string;
}

/** A text message without a receiver: the welcome response body, and the base of every send. */
export interface ViberTextMessage {
  type: 'text';
  text: string;
  sender: ViberSender;
  /** Echoed back in `message.tracking_data` of the user's next message (<= 4000 chars). */
  tracking_data?: string;
  keyboard?: ViberKeyboard;
  min_api_version?: number;
}

/** `send_message` request. */
export interface ViberSendMessageRequest extends ViberTextMessage {
  receiver: string;
}

/** `broadcast_message` request (<= 300 receivers). */
export interface ViberBroadcastRequest extends ViberTextMessage {
  broadcast_list: string[];
}

/** `set_webhook` request. */
export interface ViberSetWebhookRequest {
  url: string;
  event_types?: string[];
  send_name?: boolean;
  send_photo?: boolean;
}

/** Every API answer: `status` 0 is success, anything else an error (usually with HTTP 200). */
export interface ViberResponseBase {
  status: number;
  status_message?: string;
  chat_hostname?: string;
}

/** One receiver a broadcast failed for. */
export interface ViberFailedReceiver {
  receiver: string;
  status: number;
  status_message?: string;
}

/**
 * Prefix of the `tracking_data` we attach to messages with a keyboard: a JSON list of the reply
 * payloads it offers. Viber echoes it with the user's next message, which tells a button tap from
 * typed text (render.ts writes it, parse.ts reads it).
 */
export const TRACKING_PREFIX = 'llw1:';

/** Viber's `tracking_data` limit. */
export const MAX_TRACKING_CHARS = 4000;
