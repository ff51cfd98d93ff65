/**
 * Zalo OA payloads as they travel on the wire (OA API v3, OAuth v4, webhook events).
 * Every id is a string; `timestamp` is a string of epoch milliseconds.
 * Docs: https://developers.zalo.me/docs/official-account/webhook/tong-quan
 */

/** `{id}` as Zalo names a sender, recipient or follower. */
export interface ZaloParty {
  id?: string;
  /** Present on `oa_send_*` echoes when a human agent wrote the message in the OA inbox. */
  admin_id?: string;
}

/** One attachment of a `user_send_*` / `oa_send_*` message. */
export interface ZaloAttachment {
  type?: string;
  payload?: Record<string, unknown>;
}

/** The `message` object of message events and receipts. */
export interface ZaloWireMessage {
  msg_id?: string;
  /** Receipts (`user_seen_message`, `user_received_message`) may list several ids. */
  msg_ids?: string[];
  text?: string;
  attachments?: ZaloAttachment[];
  delivery_time?: string;
  tracking_id?: string;
  /** `anonymous_send_*` (a person chatting without following the OA): their conversation. */
  conversation_id?: string;
}

/** One webhook request body (Zalo sends one event per request). */
export interface ZaloWebhookEvent {
  app_id?: string;
  oa_id?: string;
  user_id_by_app?: string;
  event_name?: string;
  timestamp?: string;
  sender?: ZaloParty;
  recipient?: ZaloParty;
  follower?: ZaloParty;
  source?: string;
  message?: ZaloWireMessage;
  /** `user_submit_info`: what the user typed into the OA's information request form. */
  info?: Record<string, unknown>;
}

/** A button of a CS message (`oa.query.*` send `payload` back as a user message). */
export type ZaloButton =
  | { title: string; type: 'oa.query.show' | 'oa.query.hide'; payload: string }
  | { title: string; type: 'oa.open.url'; payload: { url: string } };

/** Who a CS message goes to: a user, or an anonymous conversation (unverified shape, see README). */
export type ZaloRecipient = { user_id: string } | { anonymous_id: string; conversation_id: string };

/** Body of `POST /v3.0/oa/message/cs` (customer-service message). */
export interface ZaloCsRequest {
  recipient: ZaloRecipient;
  message: {
    text: string;
    attachment?: { type: 'template'; payload: { buttons: ZaloButton[] } };
  };
}

/** Every OA API answer: errors arrive with HTTP 200 and a negative `error`. */
export interface ZaloApiResponse<T> {
  error?: number;
  message?: string;
  data?: T;
}

/** `data` of a successful CS message. */
export interface ZaloCsResult {
  message_id?: string;
  user_id?: string;
  sent_time?: string;
  quota?: { quota_type?: string; remain?: string; total?: string };
}

/** Answer of `POST /v4/oa/access_token`: the token pair, or an error body. */
export interface ZaloTokenResponse {
  access_token?: string;
  refresh_token?: string;
  /** Seconds, as a string ("90000"). */
  expires_in?: string | number;
  error?: number;
  error_name?: string;
  error_description?: string;
  error_reason?: string;
}

/**
 * Our convention: a button's `oa.query.show` payload is `#` + the choice payload, so the user
 * message it comes back as can be told apart from typed text (Zalo's own examples use "#...").
 */
export const PAYLOAD_MARK = '#';

/**
 * Our user id for an anonymous chat: `anon:` + the anonymous sender id + `:` + the conversation id.
 * Both are needed to answer, and the prefix keeps these apart from OA follower ids.
 */
export const ANONYMOUS_PREFIX = 'anon:';

/** The user id the bot keys an anonymous conversation by. */
export function anonymousUserId(anonymousId: string, conversationId: string): string {
  return `${ANONYMOUS_PREFIX}${anonymousId}:${conversationId}`;
}

/** The recipient of a reply to `userId`: the anonymous conversation when it is one. */
export function recipientOf(userId: string): ZaloRecipient {
  if (!userId.startsWith(ANONYMOUS_PREFIX)) return { user_id: userId };
  const rest = userId.slice(ANONYMOUS_PREFIX.length);
  const cut = rest.indexOf(':');
  return { anonymous_id: rest.slice(0, cut), conversation_id: rest.slice(cut + 1) };
}
