import type { InboundEvent } from '../../core/events.js';
import { anonymousUserId, PAYLOAD_MARK, type ZaloWebhookEvent } from './wire.js';

/** A button payload that came back as a user message: `#` + at most 1,000 non-space characters. */
const PAYLOAD_TEXT = new RegExp(`^${PAYLOAD_MARK}(\\S{1,1000})$`);
/** Form fields kept from `user_submit_info` (bounded: the body is stored until processed). */
const MAX_FIELDS = 20;
const MAX_FIELD_CHARS = 500;
/** Epoch ms before 2001: the docs print truncated 12-digit timestamps; those are not real times. */
const EARLIEST_PLAUSIBLE = 1e12;

/**
 * Turns one Zalo webhook body (already verified) into normalised events; events the bot does not
 * act on (our own echoes, unknown event names, bodies without a user) give an empty list.
 *
 * - `user_send_text` -> `message`, or `postback` when it is a `#payload` our buttons sent back;
 *   the other `user_send_*` -> `unsupported` (the bot answers that it reads text only).
 * - `anonymous_send_*` (no follow needed) -> the same, for the user `anon:<sender>:<conversation>`,
 *   whose replies go to that anonymous conversation; `oa_send_anonymous_*` by an agent -> agent_reply.
 * - `user_send_group_*` / `oa_send_group_*` -> nothing: the bot stays silent in group chats.
 * - `follow` / `unfollow` -> `follow` / `unfollow` (`follower.id` is the user).
 * - `user_click_chatnow` -> `referral` without a ref: the user opened the chat; it records the
 *   interaction and the channel decides whether it earns a greeting.
 * - `user_submit_info` -> `form_submit` with flat fields (`user_` prefixes dropped).
 * - `user_received_message` / `user_seen_message` -> `receipt` (delivered / read) with the msg ids.
 * - `oa_send_*` -> skipped (echo of what the OA sent), except with `sender.admin_id`: a human agent
 *   answered in the OA inbox -> `agent_reply` for the recipient user.
 *
 * `eventId` is the message's `msg_id` when there is one (receipts prefix it with the event name:
 * they name messages we sent), else `event_name:user:timestamp`, which a retry repeats as is.
 */
export function parseZalo(body: ZaloWebhookEvent, options: { receivedAt: number }): InboundEvent[] {
  const name = typeof body.event_name === 'string' ? body.event_name : '';
  const stamp = typeof body.timestamp === 'string' ? body.timestamp : String(body.timestamp ?? '');
  const timestamp = plausibleTime(stamp) ?? options.receivedAt;
  const msgId = nonEmpty(body.message?.msg_id);

  // Group chats (GMF): the bot stays silent there. Answering would need the group API, and its
  // dialogs (registration asks for a name and a phone) do not belong in front of a group.
  if (name.startsWith('user_send_group_') || name.startsWith('oa_send_group_')) return [];

  // A person chatting without following the OA: answered in the same anonymous conversation.
  const conversation = nonEmpty(body.message?.conversation_id);
  if (name.startsWith('anonymous_send_') || name.startsWith('oa_send_anonymous_')) {
    const fromUser = name.startsWith('anonymous_send_');
    const party = nonEmpty(fromUser ? body.sender?.id : body.recipient?.id);
    if (!party || !conversation) return [];
    const userId = anonymousUserId(party, conversation);
    const eventId = msgId ?? `${name}:${userId}:${stamp}`;
    const base = { channel: 'zalo' as const, userId, eventId, timestamp };
    if (!fromUser) return nonEmpty(body.sender?.admin_id) ? [{ ...base, kind: 'agent_reply' }] : [];
    if (name !== 'anonymous_send_text')
      return [{ ...base, kind: 'unsupported', mediaType: name.slice('anonymous_send_'.length) }];
    return textOrTap(base, body.message?.text);
  }

  if (name.startsWith('oa_send_')) {
    const userId = nonEmpty(body.recipient?.id);
    if (!nonEmpty(body.sender?.admin_id) || !userId) return [];
    const eventId = msgId ?? `${name}:${userId}:${stamp}`;
    return [{ channel: 'zalo', kind: 'agent_reply', userId, eventId, timestamp }];
  }

  if (name === 'user_received_message' || name === 'user_seen_message') {
    const userId = receiptUser(body);
    if (!userId) return [];
    const ids = Array.isArray(body.message?.msg_ids)
      ? body.message.msg_ids.filter((id): id is string => typeof id === 'string' && id !== '')
      : msgId
        ? [msgId]
        : [];
    const eventId = msgId ? `${name}:${msgId}` : `${name}:${userId}:${stamp}`;
    const status = name === 'user_seen_message' ? 'read' : 'delivered';
    return [
      { channel: 'zalo', kind: 'receipt', userId, eventId, timestamp, status, messageIds: ids },
    ];
  }

  const userId =
    name === 'follow' || name === 'unfollow'
      ? nonEmpty(body.follower?.id)
      : nonEmpty(body.sender?.id);
  if (!userId) return [];
  const base = {
    channel: 'zalo' as const,
    userId,
    eventId: `${name}:${userId}:${stamp}`,
    timestamp,
  };

  if (name.startsWith('user_send_')) {
    const eventId = msgId ?? base.eventId;
    if (name !== 'user_send_text') {
      return [
        { ...base, eventId, kind: 'unsupported', mediaType: name.slice('user_send_'.length) },
      ];
    }
    return textOrTap({ ...base, eventId }, body.message?.text);
  }

  switch (name) {
    case 'follow':
      return [{ ...base, kind: 'follow' }];
    case 'unfollow':
      return [{ ...base, kind: 'unfollow' }];
    case 'user_click_chatnow':
      return [{ ...base, kind: 'referral', ref: '' }];
    case 'user_submit_info':
      return [{ ...base, kind: 'form_submit', fields: formFields(body.info) }];
    default:
      return [];
  }
}

/** A text message, or a button tap when it is a `#payload` our buttons sent back. */
function textOrTap(
  base: { channel: 'zalo'; userId: string; eventId: string; timestamp: number },
  raw: unknown,
): InboundEvent[] {
  const text = typeof raw === 'string' ? raw : '';
  const tapped = PAYLOAD_TEXT.exec(text.trim());
  return tapped
    ? [{ ...base, kind: 'postback', payload: tapped[1]! }]
    : [{ ...base, kind: 'message', text }];
}

/** Receipts name the user as recipient (the OA sent the message); never the OA itself. */
function receiptUser(body: ZaloWebhookEvent): string | undefined {
  const recipient = nonEmpty(body.recipient?.id);
  const sender = nonEmpty(body.sender?.id);
  if (recipient && recipient !== body.oa_id) return recipient;
  return sender !== body.oa_id ? sender : undefined;
}

/** Flattens the submitted form (one nested level, e.g. `full_address`) into string fields. */
function formFields(info: Record<string, unknown> | undefined): Record<string, string> {
  const fields: Record<string, string> = {};
  const add = (key: string, value: unknown) => {
    if (Object.keys(fields).length >= MAX_FIELDS) return;
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const name = key.replace(/^user_/, '');
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(name)) return;
    fields[name] = String(value).normalize('NFC').slice(0, MAX_FIELD_CHARS);
  };
  if (!info || typeof info !== 'object') return fields;
  for (const [key, value] of Object.entries(info)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, v] of Object.entries(value as Record<string, unknown>)) add(inner, v);
    } else add(key, value);
  }
  return fields;
}

function plausibleTime(stamp: string): number | undefined {
  if (!/^\d{1,16}$/.test(stamp)) return undefined;
  const value = Number(stamp);
  return value >= EARLIEST_PLAUSIBLE ? value : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
