// Raw Messenger Platform payloads, as far as the bot reads them.
// https://developers.facebook.com/docs/messenger-platform/reference/webhook-events

/** Sender or recipient: a PSID (users) or the page id. */
export interface WireParty {
  id?: string;
}

/** A deep-link / ad referral (m.me/page?ref=...). */
export interface WireReferral {
  ref?: string;
  source?: string;
  type?: string;
  ad_id?: string;
}

/** One attachment of a user message (image, audio, video, file, location, fallback...). */
export interface WireAttachment {
  type?: string;
  payload?: unknown;
}

/** `messaging[].message`: text, quick-reply tap, attachments, or an echo of our own send. */
export interface WireMessage {
  mid?: string;
  text?: string;
  is_echo?: boolean;
  app_id?: number | string;
  quick_reply?: { payload?: string };
  attachments?: WireAttachment[];
  reply_to?: { mid?: string };
  seq?: number;
}

/** `messaging[].postback`: a button, persistent-menu item or Get Started tap. */
export interface WirePostback {
  mid?: string;
  title?: string;
  payload?: string;
  /** Only on Get Started taps of a thread opened through an m.me link. */
  referral?: WireReferral;
}

/** One element of `entry[].messaging[]` (or `entry[].standby[]`). */
export interface WireMessagingItem {
  sender?: WireParty;
  recipient?: WireParty;
  timestamp?: number;
  message?: WireMessage;
  postback?: WirePostback;
  referral?: WireReferral;
  delivery?: { mids?: string[]; watermark?: number };
  read?: { watermark?: number };
  reaction?: unknown;
  optin?: unknown;
}

/** One page entry of a webhook request. */
export interface WireEntry {
  id?: string;
  time?: number;
  messaging?: WireMessagingItem[];
  /** Handover protocol: events while another app holds the thread. */
  standby?: WireMessagingItem[];
}

/** The webhook request body. */
export interface WireEnvelope {
  object?: string;
  entry?: WireEntry[];
}

/** One message object of the Send API (`message` in `POST /me/messages`). */
export type SendMessage =
  | { text: string; quick_replies?: WireQuickReply[] }
  | { attachment: { type: 'template'; payload: WireButtonTemplate } };

/** A text quick reply. */
export interface WireQuickReply {
  content_type: 'text';
  title: string;
  payload: string;
}

/** A button template payload. */
export interface WireButtonTemplate {
  template_type: 'button';
  text: string;
  buttons: WireButton[];
}

/** A template button: open a URL or send a postback. */
export type WireButton =
  | { type: 'web_url'; title: string; url: string }
  | { type: 'postback'; title: string; payload: string };

/** A Graph API error body: `{error: {...}}`. */
export interface WireGraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  fbtrace_id?: string;
}

/** A persistent-menu item that sends a postback. */
export interface WireMenuItem {
  type: 'postback';
  title: string;
  payload: string;
}

/** The Messenger profile the setup command writes (`POST /me/messenger_profile`). */
export interface WireProfile {
  get_started: { payload: string };
  greeting: Array<{ locale: string; text: string }>;
  persistent_menu: Array<{
    locale: string;
    composer_input_disabled: boolean;
    call_to_actions: WireMenuItem[];
  }>;
}
