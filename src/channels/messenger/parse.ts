import { createHash } from 'node:crypto';
import type { InboundEvent } from '../../core/events.js';
import type { WireEnvelope, WireMessagingItem } from './wire.js';

/** Payload of the Get Started button (set by `npm run setup:messenger`); its tap is a follow. */
export const GET_STARTED = 'GET_STARTED';

/** What a request carried: the events to run, and the kinds of items skipped (for logs). */
export interface ParseResult {
  events: InboundEvent[];
  /** One kind per skipped item ("echo", "standby", "reaction"...): never its content. */
  ignored: string[];
  /** Meta acting on the Page or app (an operator must look): warned about and counted. */
  warnings: PlatformWarning[];
}

/** `messaging_policy_enforcement`: Meta warns, blocks or unblocks the app on the Page. */
export interface PlatformWarning {
  kind: 'policy-enforcement';
  /** `warning`, `block` or `unblock` (anything else is reported as `other`). */
  action: 'warning' | 'block' | 'unblock' | 'other';
}

/** A body that is JSON but not a webhook envelope. */
export type ParseOutcome = { ok: true; result: ParseResult } | { ok: false; problem: string };

type Base = { channel: 'messenger'; userId: string; timestamp: number };

/** What parsing needs to know about our side. */
export interface ParseOptions {
  /** Our Meta app id (MESSENGER_APP_ID), when configured. */
  appId?: string | undefined;
}

/** The app id Meta puts on echoes of messages typed in the Page inbox (Meta Business Suite). */
export const PAGE_INBOX_APP_ID = '263902037430900';

/**
 * Whether an echo is a person answering from the Page (inbox, Business Suite, another tool)
 * rather than one of our sends. Our sends' echoes carry our app id; Page inbox messages carry
 * none or PAGE_INBOX_APP_ID. Without MESSENGER_APP_ID any other app id is taken as ours.
 * https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/message-echoes
 */
function isHumanEcho(appId: unknown, options: ParseOptions): boolean {
  if (typeof appId !== 'string' && typeof appId !== 'number') return true;
  const id = String(appId);
  if (id === '') return true;
  if (id === PAGE_INBOX_APP_ID) return true;
  return options.appId !== undefined && id !== options.appId;
}

function policyAction(policy: unknown): PlatformWarning['action'] {
  const action = isObject(policy) ? (policy as { action?: unknown }).action : undefined;
  return action === 'warning' || action === 'block' || action === 'unblock' ? action : 'other';
}

/** A skipped item's kind: its first field name when it looks like one, else "unknown". */
function kindOf(item: object): string {
  const key = Object.keys(item).find((k) => !['sender', 'recipient', 'timestamp'].includes(k));
  return key && /^[a-z_]{1,32}$/.test(key) ? key : 'unknown';
}

/** A stable event id for items Meta sends without a `mid` (same item, same id on a retry). */
function syntheticId(kind: string, ...parts: Array<string | number>): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);
  return `${kind}:${digest}`;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One `messaging[]` item to at most one event; undefined (with the reason) when skipped. */
function parseItem(
  item: WireMessagingItem,
  fallbackTime: number,
  options: ParseOptions,
): InboundEvent | { skip: string } {
  const userId = item.sender?.id;
  if (typeof userId !== 'string' || userId === '') return { skip: 'invalid' };
  const timestamp = typeof item.timestamp === 'number' ? item.timestamp : fallbackTime;
  const base: Base = { channel: 'messenger', userId, timestamp };

  const { message, postback, referral, delivery, read } = item;
  if (isObject(message)) {
    // Echoes (sender = the page, recipient = the user) are never a turn. Ours are skipped; a
    // person answering from the Page keeps the bot quiet in that conversation for a while.
    if (message.is_echo === true) {
      if (!isHumanEcho(message.app_id, options)) return { skip: 'echo' };
      const recipient = item.recipient?.id;
      if (typeof recipient !== 'string' || recipient === '') return { skip: 'invalid' };
      const eventId =
        typeof message.mid === 'string' && message.mid !== ''
          ? message.mid
          : syntheticId('agent', recipient, timestamp);
      return { channel: 'messenger', kind: 'agent_reply', userId: recipient, eventId, timestamp };
    }
    const eventId =
      typeof message.mid === 'string' && message.mid !== ''
        ? message.mid
        : syntheticId('message', userId, timestamp, String(message.text ?? ''));
    const payload = message.quick_reply?.payload;
    if (typeof payload === 'string' && payload !== '') {
      return {
        ...base,
        eventId,
        kind: 'postback',
        payload,
        ...(typeof message.text === 'string' ? { title: message.text } : {}),
      };
    }
    if (typeof message.text === 'string')
      return { ...base, eventId, kind: 'message', text: message.text };
    const first = Array.isArray(message.attachments) ? message.attachments[0] : undefined;
    const mediaType = typeof first?.type === 'string' ? first.type : 'unknown';
    return { ...base, eventId, kind: 'unsupported', mediaType };
  }

  if (isObject(postback)) {
    const payload = typeof postback.payload === 'string' ? postback.payload : '';
    const ref = postback.referral?.ref;
    const eventId =
      typeof postback.mid === 'string' && postback.mid !== ''
        ? postback.mid
        : syntheticId('postback', userId, timestamp, payload);
    // Get Started (a referral only ever comes with it): greet, and open the link's flow if any.
    // https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messaging_postbacks
    if (payload === GET_STARTED || isObject(postback.referral)) {
      return {
        ...base,
        eventId,
        kind: 'follow',
        ...(typeof ref === 'string' && ref !== '' ? { ref } : {}),
      };
    }
    if (payload === '') return { skip: 'invalid' };
    return {
      ...base,
      eventId,
      kind: 'postback',
      payload,
      ...(typeof postback.title === 'string' ? { title: postback.title } : {}),
    };
  }

  if (isObject(referral)) {
    // m.me link opened in an existing thread. Without `ref` (ads, plugins) it only opens the chat.
    const ref = typeof referral.ref === 'string' ? referral.ref : '';
    const eventId = syntheticId('referral', userId, timestamp, ref);
    return ref === ''
      ? { ...base, eventId, kind: 'follow' }
      : { ...base, eventId, kind: 'referral', ref };
  }

  if (isObject(delivery)) {
    if (typeof delivery.watermark !== 'number') return { skip: 'invalid' };
    const messageIds = Array.isArray(delivery.mids)
      ? delivery.mids.filter((m): m is string => typeof m === 'string')
      : [];
    return {
      ...base,
      timestamp: typeof item.timestamp === 'number' ? item.timestamp : delivery.watermark,
      eventId: syntheticId('delivery', userId, delivery.watermark, 'delivered'),
      kind: 'receipt',
      status: 'delivered',
      messageIds,
      watermark: delivery.watermark,
    };
  }

  if (isObject(read)) {
    if (typeof read.watermark !== 'number') return { skip: 'invalid' };
    return {
      ...base,
      timestamp: typeof item.timestamp === 'number' ? item.timestamp : read.watermark,
      eventId: syntheticId('read', userId, read.watermark, 'read'),
      kind: 'receipt',
      status: 'read',
      messageIds: [],
      watermark: read.watermark,
    };
  }

  return { skip: kindOf(item) };
}

/**
 * A webhook body to normalised events: every entry, every `messaging` item, in order.
 * Echoes of our own sends, standby (handover) items and kinds the bot does not use are skipped
 * and named; an echo of a person answering from the Page becomes `agent_reply`.
 * https://developers.facebook.com/docs/messenger-platform/webhooks#event-notifications
 */
export function parseEnvelope(body: unknown, options: ParseOptions = {}): ParseOutcome {
  if (!isObject(body)) return { ok: false, problem: 'The body is not a JSON object.' };
  const envelope = body as WireEnvelope;
  const result: ParseResult = { events: [], ignored: [], warnings: [] };
  // Other objects (instagram, permissions...) are not ours to answer; acknowledge and skip.
  if (envelope.object !== 'page') {
    result.ignored.push('object');
    return { ok: true, result };
  }
  if (envelope.entry === undefined) return { ok: true, result };
  if (!Array.isArray(envelope.entry)) return { ok: false, problem: '"entry" is not an array.' };
  for (const entry of envelope.entry) {
    if (!isObject(entry)) {
      result.ignored.push('invalid');
      continue;
    }
    const time = typeof entry.time === 'number' ? entry.time : 0;
    if (Array.isArray(entry.standby)) for (const _ of entry.standby) result.ignored.push('standby');
    if (!Array.isArray(entry.messaging)) continue;
    for (const item of entry.messaging) {
      if (!isObject(item)) {
        result.ignored.push('invalid');
        continue;
      }
      // No sender on these (the recipient is the Page); the docs spell it both ways over time.
      const policy =
        (item as Record<string, unknown>)['policy_enforcement'] ??
        (item as Record<string, unknown>)['policy-enforcement'];
      if (policy !== undefined) {
        result.warnings.push({ kind: 'policy-enforcement', action: policyAction(policy) });
        continue;
      }
      const parsed = parseItem(item, time, options);
      if ('skip' in parsed) result.ignored.push(parsed.skip);
      else result.events.push(parsed);
    }
  }
  return { ok: true, result };
}
