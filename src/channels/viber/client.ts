import {
  PlatformError,
  RateLimitedError,
  RecipientUnreachableError,
  TokenInvalidError,
  TransportError,
  type ChannelError,
} from '../../core/errors.js';
import { HttpFailure, KeepAliveClient, type HttpAnswer } from '../../core/http-client.js';
import { parseViberJson, ViberParseError } from './parse.js';
import type {
  ViberBroadcastRequest,
  ViberFailedReceiver,
  ViberSendMessageRequest,
  ViberSetWebhookRequest,
} from './wire.js';

/** A JSON answer with every bigint turned into its exact decimal string. */
export type ViberAnswer = { status: number; status_message?: string } & Record<string, unknown>;

/** What `get_account_info` returns (the fields we read; the rest is kept). */
export interface ViberAccountInfo extends ViberAnswer {
  id?: string;
  name?: string;
  uri?: string;
  webhook?: string;
  event_types?: string[];
  subscribers_count?: number;
}

/** What `get_user_details` returns. */
export interface ViberUserDetails extends ViberAnswer {
  user?: { id: string; language?: string; country?: string; api_version?: number };
}

// Viber status codes (https://developers.viber.com/docs/api/rest-bot-api/#error-codes).
const STATUS_NAMES: Record<number, string> = {
  1: 'invalidUrl',
  2: 'invalidAuthToken',
  3: 'badData',
  4: 'missingData',
  5: 'receiverNotRegistered',
  6: 'receiverNotSubscribed',
  7: 'publicAccountBlocked',
  8: 'publicAccountNotFound',
  9: 'publicAccountSuspended',
  10: 'webhookNotSet',
  11: 'receiverNoSuitableDevice',
  12: 'tooManyRequests',
  13: 'apiVersionNotSupported',
  14: 'incompatibleWithVersion',
};
/** Refusals a retry of the same request cannot fix. */
const PERMANENT = new Set([1, 3, 4, 7, 8, 9, 11, 13, 14]);
/** Viber gives no Retry-After with status 12; its broadcast limit is 500 requests per 10 s. */
const RATE_LIMIT_BACKOFF_MS = 10_000;

/** The typed error for a non-zero Viber `status` (Viber answers most errors with HTTP 200). */
export function statusError(method: string, status: number, statusMessage?: string): ChannelError {
  const name = STATUS_NAMES[status] ?? 'unknown';
  const text = `Viber ${method}: status ${status} (${name})${statusMessage ? `: ${statusMessage.slice(0, 200)}` : ''}`;
  switch (status) {
    case 2:
      return new TokenInvalidError(`${text}; check VIBER_AUTH_TOKEN`, status);
    case 5:
    case 6:
      return new RecipientUnreachableError(text, status);
    case 12:
      return new RateLimitedError(text, RATE_LIMIT_BACKOFF_MS, status);
    default:
      return new PlatformError(text, { permanent: PERMANENT.has(status), platformCode: status });
  }
}

/** Turns the bigints of a parsed answer into exact strings (64-bit message tokens). */
function withoutBigInts(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(withoutBigInts);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutBigInts(v)]));
  }
  return value;
}

/**
 * Our small typed client for the Viber REST Bot API: `POST {apiUrl}/pa/<method>` with the token
 * in `X-Viber-Auth-Token`, over one keep-alive connection pool. The token never appears in an
 * error message or log line.
 */
export class ViberClient {
  private readonly base: string;
  private readonly http: KeepAliveClient;

  constructor(private readonly options: { apiUrl: string; authToken: string; timeoutMs?: number }) {
    this.base = options.apiUrl.replace(/\/+$/, '');
    this.http = new KeepAliveClient({ timeoutMs: options.timeoutMs ?? 10_000 });
  }

  /** Sets (or, with url "", removes) the webhook; Viber calls it with a `webhook` event first. */
  async setWebhook(body: ViberSetWebhookRequest): Promise<ViberAnswer> {
    return this.call('set_webhook', body);
  }

  /** Sends one message; resolves with Viber's message token (exact, as a string). */
  async sendMessage(body: ViberSendMessageRequest): Promise<{ messageToken: string }> {
    const answer = await this.call('send_message', body);
    const token = answer.message_token;
    return {
      messageToken: typeof token === 'string' || typeof token === 'number' ? String(token) : '',
    };
  }

  /**
   * Sends one message to up to 300 users; resolves with the receivers it failed for and the
   * message token (one for the whole call: the receipts of every receiver name it).
   */
  async broadcastMessage(
    body: ViberBroadcastRequest,
  ): Promise<{ failed: ViberFailedReceiver[]; messageToken: string }> {
    if (body.broadcast_list.length > 300)
      throw new RangeError('broadcast_message takes at most 300 receivers');
    const answer = await this.call('broadcast_message', body);
    const list = Array.isArray(answer.failed_list) ? (answer.failed_list as unknown[]) : [];
    const failed = list.flatMap((item): ViberFailedReceiver[] => {
      const f = item as Partial<ViberFailedReceiver> | null;
      if (!f || typeof f.receiver !== 'string') return [];
      return [
        {
          receiver: f.receiver,
          status: typeof f.status === 'number' ? f.status : -1,
          ...(typeof f.status_message === 'string' ? { status_message: f.status_message } : {}),
        },
      ];
    });
    const token = answer.message_token;
    return {
      failed,
      messageToken: typeof token === 'string' || typeof token === 'number' ? String(token) : '',
    };
  }

  /** The bot account: name, webhook, event types, subscriber count. */
  async getAccountInfo(): Promise<ViberAccountInfo> {
    return this.call('get_account_info', {});
  }

  /** Details of one user (language, country, client API version); limited by Viber per user. */
  async getUserDetails(userId: string): Promise<ViberUserDetails> {
    return this.call('get_user_details', { id: userId });
  }

  /** Closes pooled connections. */
  close(): void {
    this.http.close();
  }

  private async call(method: string, body: unknown): Promise<ViberAnswer> {
    const { status: statusCode, headers, text } = await this.post(method, JSON.stringify(body));
    if (statusCode === 429) {
      const seconds = Number(headers['retry-after']);
      throw new RateLimitedError(
        `Viber ${method}: HTTP 429`,
        Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : RATE_LIMIT_BACKOFF_MS,
      );
    }
    if (statusCode >= 500) throw new TransportError(`Viber ${method}: HTTP ${statusCode}`);
    let answer: unknown;
    try {
      answer = withoutBigInts(parseViberJson(text));
    } catch (error) {
      if (!(error instanceof ViberParseError)) throw error;
      throw new PlatformError(`Viber ${method}: HTTP ${statusCode} with an unreadable body`);
    }
    const status = (answer as { status?: unknown } | null)?.status;
    if (typeof status !== 'number') {
      throw new PlatformError(`Viber ${method}: HTTP ${statusCode} without a status`);
    }
    if (status !== 0) {
      const message = (answer as { status_message?: unknown }).status_message;
      throw statusError(method, status, typeof message === 'string' ? message : undefined);
    }
    return answer as ViberAnswer;
  }

  private async post(method: string, payload: string): Promise<HttpAnswer> {
    try {
      return await this.http.post(
        `${this.base}/pa/${method}`,
        {
          'content-type': 'application/json; charset=utf-8',
          'x-viber-auth-token': this.options.authToken,
        },
        payload,
      );
    } catch (error) {
      if (!(error instanceof HttpFailure)) throw error;
      throw new TransportError(`Viber ${method}: ${error.reason}`, error.cause);
    }
  }
}
