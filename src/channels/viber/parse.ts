import { isInteger, isSafeNumber, parse as parseLossless } from 'lossless-json';
import { normaliseLocale, type InboundEvent, type Locale } from '../../core/events.js';
import { TRACKING_PREFIX } from './wire.js';

/** A signed body that is not a Viber callback we can read (answered 400). */
export class ViberParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ViberParseError';
  }
}

/** What one Viber callback asks of the webhook route. */
export type ViberCallback =
  /** Events for the inbox (message, postback, unsupported, follow, unfollow, receipt). */
  | { kind: 'events'; events: InboundEvent[] }
  /** `conversation_started`: answer with the welcome message in the HTTP response body. */
  | {
      kind: 'conversation_started';
      userId: string;
      locale?: Locale;
      subscribed: boolean;
      /** The deep link's `context` (`viber://pa?chatURI=...&context=...`), when there was one. */
      context?: string;
    }
  /** `webhook`: Viber checks the URL while `set_webhook` runs; a 200 is all it needs. */
  | { kind: 'webhook' }
  /** A callback we do not use (`client_status`, `action`...): acknowledged and dropped. */
  | { kind: 'ignored'; event: string };

// Our button payloads: an uppercase token, optionally with ":"-separated parts
// (ABOUT, ABOUT:THEME, LANG:TOGGLE, LANG:vi, MENU). Used only when the tap carries no tracking data.
const PAYLOAD = /^[A-Z][A-Z0-9_]*(?::[A-Za-z0-9_.-]+)*$/;
const MAX_PAYLOAD_CHARS = 1000;

/** Numbers stay numbers, except integers beyond 2^53, which become exact bigints. */
function parseNumber(value: string): number | bigint {
  return !isSafeNumber(value) && isInteger(value) ? BigInt(value) : Number(value);
}

/**
 * Parses JSON keeping integers above 2^53 exact (as bigint): Viber's 64-bit `message_token`
 * is silently rounded by `JSON.parse`.
 */
export function parseViberJson(raw: Buffer | string): unknown {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  try {
    return parseLossless(text, null, parseNumber);
  } catch {
    throw new ViberParseError('The request body is not valid JSON.');
  }
}

/** A wire integer as an exact decimal string ("4912661846655238145"). */
export function intToString(value: unknown): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  return undefined;
}

/** Reads the payloads our keyboard offered from the echoed `tracking_data` (see render.ts). */
export function offeredPayloads(trackingData: unknown): string[] | undefined {
  if (typeof trackingData !== 'string' || !trackingData.startsWith(TRACKING_PREFIX))
    return undefined;
  try {
    const list: unknown = JSON.parse(trackingData.slice(TRACKING_PREFIX.length));
    return Array.isArray(list) && list.every((p) => typeof p === 'string') ? list : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a text message is a keyboard tap: Viber delivers a `reply` button as a plain message
 * whose text is the ActionBody. The payloads the last keyboard offered come back in
 * `tracking_data`; without them, anything shaped like our payloads counts as a tap.
 */
export function isPayload(text: string, trackingData: unknown): boolean {
  if (text.length === 0 || text.length > MAX_PAYLOAD_CHARS) return false;
  const offered = offeredPayloads(trackingData);
  return offered ? offered.includes(text) : PAYLOAD.test(text);
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ViberParseError(`${field} must be an object.`);
  return value as Record<string, unknown>;
}

function id(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 256)
    throw new ViberParseError(`${field} must be a non-empty string.`);
  return value;
}

function toMillis(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  return 0;
}

/** Parses one verified Viber callback body into what the route must do with it. */
export function parseViberCallback(raw: Buffer | string): ViberCallback {
  return readViberCallback(parseViberJson(raw));
}

/** Reads a decoded callback (see `parseViberJson`); throws ViberParseError naming the problem. */
export function readViberCallback(decoded: unknown): ViberCallback {
  const body = record(decoded, 'The body');
  const event = body.event;
  if (typeof event !== 'string') throw new ViberParseError('event must be a string.');
  const timestamp = toMillis(body.timestamp);
  const token = intToString(body.message_token);

  switch (event) {
    case 'webhook':
      return { kind: 'webhook' };
    case 'conversation_started': {
      const user = record(body.user, 'user');
      const locale = normaliseLocale(typeof user.language === 'string' ? user.language : undefined);
      return {
        kind: 'conversation_started',
        userId: id(user.id, 'user.id'),
        ...(locale ? { locale } : {}),
        subscribed: body.subscribed === true,
        ...(typeof body.context === 'string' && body.context !== ''
          ? { context: body.context.slice(0, 200) }
          : {}),
      };
    }
    case 'message': {
      const sender = record(body.sender, 'sender');
      const message = record(body.message, 'message');
      const userId = id(sender.id, 'sender.id');
      const type = message.type;
      if (typeof type !== 'string') throw new ViberParseError('message.type must be a string.');
      const locale = normaliseLocale(
        typeof sender.language === 'string' ? sender.language : undefined,
      );
      const base = {
        channel: 'viber' as const,
        userId,
        eventId: token ?? `message:${userId}:${timestamp}`,
        timestamp,
        ...(locale ? { locale } : {}),
      };
      if (type !== 'text')
        return { kind: 'events', events: [{ ...base, kind: 'unsupported', mediaType: type }] };
      const text = typeof message.text === 'string' ? message.text : '';
      const inbound: InboundEvent = isPayload(text, message.tracking_data)
        ? { ...base, kind: 'postback', payload: text }
        : { ...base, kind: 'message', text };
      return { kind: 'events', events: [inbound] };
    }
    case 'subscribed': {
      const user = record(body.user, 'user');
      const userId = id(user.id, 'user.id');
      const locale = normaliseLocale(typeof user.language === 'string' ? user.language : undefined);
      return {
        kind: 'events',
        events: [
          {
            channel: 'viber',
            kind: 'follow',
            userId,
            eventId: `subscribed:${token ?? `${userId}:${timestamp}`}`,
            timestamp,
            ...(locale ? { locale } : {}),
          },
        ],
      };
    }
    case 'unsubscribed': {
      const userId = id(body.user_id, 'user_id');
      return {
        kind: 'events',
        events: [
          {
            channel: 'viber',
            kind: 'unfollow',
            userId,
            eventId: `unsubscribed:${token ?? `${userId}:${timestamp}`}`,
            timestamp,
          },
        ],
      };
    }
    case 'delivered':
    case 'seen':
    case 'failed': {
      const userId = id(body.user_id, 'user_id');
      // Receipts name the token of OUR message, shared by its delivered, seen and failed
      // callbacks: the event id is prefixed so the inbox does not drop "seen" as a retry of
      // "delivered".
      return {
        kind: 'events',
        events: [
          {
            channel: 'viber',
            kind: 'receipt',
            status: event === 'seen' ? 'read' : event,
            userId,
            eventId: `${event}:${token ?? `${userId}:${timestamp}`}`,
            timestamp,
            messageIds: token ? [token] : [],
            ...(event === 'failed' && typeof body.desc === 'string'
              ? { reason: body.desc.slice(0, 500) }
              : {}),
          },
        ],
      };
    }
    default:
      return { kind: 'ignored', event: event.slice(0, 64) };
  }
}
