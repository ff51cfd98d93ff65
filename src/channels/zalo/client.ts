import {
  type ChannelError,
  OutsideWindowError,
  PlatformError,
  RateLimitedError,
  RecipientUnreachableError,
  TokenInvalidError,
  TransportError,
} from '../../core/errors.js';
import { HttpFailure, KeepAliveClient, type HttpAnswer } from '../../core/http-client.js';
import type { ZaloApiResponse, ZaloCsRequest, ZaloCsResult, ZaloTokenResponse } from './wire.js';

/** Zalo allows 4,000 requests a minute per app; after -32 we wait the rest of that minute. */
const RATE_LIMIT_BACKOFF_MS = 60_000;
const TIMEOUT_MS = 10_000;

/** A fresh token pair from OAuth v4. */
export interface ZaloTokenPair {
  accessToken: string;
  refreshToken: string;
  /** Lifetime of the access token in milliseconds. */
  expiresInMs: number;
}

/** Where the client talks to (from config: tests and proxies point these elsewhere). */
export interface ZaloClientOptions {
  apiUrl: string;
  oauthUrl: string;
  appId: string;
  appSecret: string;
  timeoutMs?: number;
}

/**
 * Our small typed client for the two Zalo calls the bot makes: a CS message (OA API v3) and a
 * token refresh (OAuth v4), over pooled keep-alive connections. Tokens travel in headers and
 * bodies only; nothing here logs.
 */
export class ZaloClient {
  private readonly http: KeepAliveClient;

  constructor(private readonly options: ZaloClientOptions) {
    this.http = new KeepAliveClient({ timeoutMs: options.timeoutMs ?? TIMEOUT_MS });
  }

  /** Sends one CS message; returns Zalo's message id or throws a typed ChannelError. */
  async sendMessage(
    accessToken: string,
    body: ZaloCsRequest,
    path = '/v3.0/oa/message/cs',
  ): Promise<string> {
    const res = await this.post(`${this.options.apiUrl}${path}`, {
      headers: { 'content-type': 'application/json', access_token: accessToken },
      body: JSON.stringify(body),
    });
    const json = readJson<ZaloApiResponse<ZaloCsResult>>(res);
    // Zalo: errors come with HTTP 200 and a negative `error`; success is `error: 0`.
    const code = typeof json.error === 'number' ? json.error : Number(json.error ?? 0);
    if (code !== 0) throw zaloError(code, json.message);
    const id = json.data?.message_id;
    if (typeof id !== 'string' || id === '')
      throw new PlatformError('Zalo answered without a message id');
    return id;
  }

  /**
   * Trades a (single-use) refresh token for a new pair.
   * Docs: https://developers.zalo.me/docs/official-account/bat-dau/xac-thuc-va-uy-quyen-cho-ung-dung-new
   */
  async refreshTokens(refreshToken: string): Promise<ZaloTokenPair> {
    const form = new URLSearchParams({
      app_id: this.options.appId,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
    const res = await this.post(`${this.options.oauthUrl}/v4/oa/access_token`, {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        secret_key: this.options.appSecret,
      },
      body: form.toString(),
    });
    const json = readJson<ZaloTokenResponse>(res);
    const expiresIn = Number(json.expires_in);
    if (
      typeof json.access_token === 'string' &&
      json.access_token !== '' &&
      typeof json.refresh_token === 'string' &&
      json.refresh_token !== '' &&
      Number.isFinite(expiresIn) &&
      expiresIn > 0
    ) {
      return {
        accessToken: json.access_token,
        refreshToken: json.refresh_token,
        expiresInMs: expiresIn * 1000,
      };
    }
    if (json.error !== undefined && json.error !== 0) {
      throw new TokenInvalidError(
        `Zalo refused the token refresh (${json.error}${json.error_name ? ` ${json.error_name}` : ''}): authorise the OA again and set ZALO_ACCESS_TOKEN / ZALO_REFRESH_TOKEN to the new pair`,
        json.error,
      );
    }
    throw new PlatformError('Zalo answered the token refresh without a token pair');
  }

  /** Closes the pooled connections. */
  close(): void {
    this.http.close();
  }

  private async post(url: string, init: { headers: Record<string, string>; body: string }) {
    let res: HttpAnswer;
    try {
      res = await this.http.post(url, init.headers, init.body);
    } catch (error) {
      if (!(error instanceof HttpFailure)) throw error;
      throw new TransportError(`Zalo did not answer: ${error.reason}`, error.cause);
    }
    if (res.status === 429) {
      const seconds = Number(res.headers['retry-after']);
      throw new RateLimitedError(
        'Zalo answered HTTP 429',
        Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : RATE_LIMIT_BACKOFF_MS,
        429,
      );
    }
    if (res.status >= 500) throw new TransportError(`Zalo answered HTTP ${res.status}`);
    if (res.status >= 400) {
      throw new PlatformError(`Zalo answered HTTP ${res.status}`, {
        permanent: true,
        platformCode: res.status,
      });
    }
    return res;
  }
}

/** Maps Zalo's negative error codes to our typed errors (platforms/README.md, Zalo). */
export function zaloError(code: number, message: unknown): ChannelError {
  const detail = `Zalo error ${code}${typeof message === 'string' ? `: ${message.slice(0, 200)}` : ''}`;
  switch (code) {
    case -216:
    case -220:
      return new TokenInvalidError(detail, code);
    case -230:
    case -232:
      return new OutsideWindowError(detail, code);
    case -32:
      return new RateLimitedError(detail, RATE_LIMIT_BACKOFF_MS, code);
    case -213:
      return new RecipientUnreachableError(detail, code);
    case -201:
    case -240:
      return new PlatformError(detail, { permanent: true, platformCode: code });
    default:
      return new PlatformError(detail, { platformCode: code });
  }
}

function readJson<T>(res: HttpAnswer): T {
  try {
    const json: unknown = JSON.parse(res.text);
    if (json && typeof json === 'object' && !Array.isArray(json)) return json as T;
  } catch {
    // fall through: not JSON
  }
  throw new PlatformError(`Zalo answered HTTP ${res.status} with a body that is not a JSON object`);
}
