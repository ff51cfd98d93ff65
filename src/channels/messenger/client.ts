import { createHmac } from 'node:crypto';
import type { MessengerClient, MessengerTypes } from 'messaging-api-messenger';
import type { MessengerConfig } from '../../config.js';
import type { SendOptions } from '../../core/channel.js';
import {
  ErrorCode,
  OutsideWindowError,
  PlatformError,
  RateLimitedError,
  RecipientUnreachableError,
  TokenInvalidError,
  TransportError,
  type ChannelError,
} from '../../core/errors.js';
import { HttpFailure, KeepAliveClient, type HttpAnswer } from '../../core/http-client.js';
import type { SendMessage, WireGraphError, WireProfile } from './wire.js';

/** The library's client class, loaded on first use: a bot without Messenger never loads it. */
async function messengerClientClass(): Promise<typeof MessengerClient> {
  // ESM: the named import type-checks but crashes in Node (see DEPENDENCIES.md, trap 5).
  // Node gives the CommonJS exports as `default`; some loaders (tsx) give them as named exports.
  const loaded = (await import('messaging-api-messenger')) as unknown as {
    MessengerClient?: typeof MessengerClient;
    default?: { MessengerClient: typeof MessengerClient };
  };
  const Client = loaded.default?.MessengerClient ?? loaded.MessengerClient;
  if (!Client) throw new Error('messaging-api-messenger has no MessengerClient');
  return Client;
}

/** How long to wait when Meta rate-limits without saying for how long. */
const DEFAULT_RETRY_AFTER_MS = 60_000;

/** Outbound calls to the Graph API the channel needs: send a message, write the profile. */
export interface MessengerSender {
  /** Sends one Send API message; returns its `message_id`. */
  send(userId: string, message: SendMessage, mode: SendOptions['mode']): Promise<string>;
  /** Sets Get Started, greeting and persistent menu. */
  setProfile(profile: WireProfile): Promise<void>;
  close(): void;
}

/** The parts of a failed call the mapping reads (an axios error from the library, or ours). */
interface GraphFailure {
  message?: string;
  response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
}

/** Graph's error body, whichever key style the library's response transform left. */
function graphError(
  data: unknown,
): WireGraphError & { errorSubcode?: number; isTransient?: boolean } {
  if (typeof data !== 'object' || data === null) return {};
  const error = (data as { error?: unknown }).error;
  // Every field is optional; the mapping compares them with === and checks the message type.
  return typeof error === 'object' && error !== null ? error : {};
}

/**
 * How long Meta asks us to wait: `X-Business-Use-Case-Usage` carries
 * `estimated_time_to_regain_access` in minutes; a plain `Retry-After` is honoured too.
 * https://developers.facebook.com/docs/graph-api/overview/rate-limiting#headers
 */
export function retryAfterMs(headers: Record<string, unknown> | undefined): number {
  const usage = headers?.['x-business-use-case-usage'];
  if (typeof usage === 'string') {
    try {
      const parsed = JSON.parse(usage) as Record<
        string,
        Array<{ estimated_time_to_regain_access?: unknown }>
      >;
      const minutes = Object.values(parsed)
        .flat()
        .map((u) => Number(u.estimated_time_to_regain_access))
        .filter((m) => Number.isFinite(m) && m > 0);
      if (minutes.length > 0) return Math.max(...minutes) * 60_000;
    } catch {
      // A malformed header is no reason to lose the error itself.
    }
  }
  const seconds = Number(headers?.['retry-after']);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_RETRY_AFTER_MS;
}

/**
 * Maps a failed Graph call to our typed errors by code + subcode. `secrets` (the access token)
 * are scrubbed from every message; the library's error (whose URL holds the token) is not kept.
 * https://developers.facebook.com/docs/messenger-platform/error-codes
 */
export function toChannelError(failure: unknown, secrets: readonly string[]): ChannelError {
  const scrub = (text: string) =>
    secrets.reduce((t, s) => (s ? t.split(s).join('[redacted]') : t), text).slice(0, 300);
  const { response, message: transportMessage } = (failure ?? {}) as GraphFailure;
  if (!response) {
    return new TransportError(
      `Messenger: no answer from the Graph API (${scrub(typeof transportMessage === 'string' ? transportMessage : 'unknown error')})`,
    );
  }
  const status = response.status ?? 0;
  const g = graphError(response.data);
  const code = g.code;
  const subcode = g.error_subcode ?? g.errorSubcode;
  const platformCode =
    code === undefined ? status : subcode === undefined ? code : `${code}/${subcode}`;
  const text = `Messenger: ${scrub(typeof g.message === 'string' ? g.message : `HTTP ${status}`)} [${platformCode}]`;

  if (code === 10 && (subcode === 2018278 || subcode === 2534022))
    return new OutsideWindowError(text, platformCode);
  if (code === 551 || subcode === 1545041) return new RecipientUnreachableError(text, platformCode);
  if (code === 10 && subcode === 1893063)
    return new PlatformError(text, {
      permanent: true,
      platformCode,
      code: ErrorCode.PageRestricted,
    });
  if (code === 190) return new TokenInvalidError(text, platformCode);
  if (code === 4 || code === 613 || status === 429)
    return new RateLimitedError(text, retryAfterMs(response.headers), platformCode);
  if (
    code === 1 ||
    code === 2 ||
    g.is_transient === true ||
    g.isTransient === true ||
    status >= 500
  )
    return new TransportError(text);
  // 100 (invalid parameter, retired tag) and everything else: sending it again will not help.
  return new PlatformError(text, { permanent: true, platformCode });
}

/** An answer's body as the mapping reads it: JSON when it is JSON, else the text. */
function bodyOf(answer: HttpAnswer): unknown {
  try {
    return JSON.parse(answer.text);
  } catch {
    return answer.text;
  }
}

/**
 * The Graph API client, with an explicit Graph version, the API origin from config and
 * `appsecret_proof` on every call, over one pool of keep-alive connections. The Send API (the
 * hot path) is a plain POST on that pool; the profile setup goes through `messaging-api-messenger`
 * (loaded on first use), whose axios shares the pool.
 */
export class MessengerApiClient implements MessengerSender {
  private api?: Promise<MessengerClient>;
  private readonly http: KeepAliveClient;
  private readonly secrets: string[];
  private readonly sendUrl: string;

  constructor(
    private readonly config: MessengerConfig,
    private readonly options: { timeoutMs?: number } = {},
  ) {
    this.secrets = [config.pageAccessToken, ...config.appSecrets];
    this.http = new KeepAliveClient({ timeoutMs: options.timeoutMs ?? 10_000 });
    // https://developers.facebook.com/docs/graph-api/securing-requests#appsecret_proof
    const query = new URLSearchParams({ access_token: config.pageAccessToken });
    const appSecret = config.appSecrets[0];
    if (appSecret)
      query.set(
        'appsecret_proof',
        createHmac('sha256', appSecret).update(config.pageAccessToken, 'utf8').digest('hex'),
      );
    const origin = config.apiUrl.replace(/\/+$/, '');
    const version = config.graphVersion.replace(/^v/, '');
    this.sendUrl = `${origin}/v${version}/me/messages?${query.toString()}`;
  }

  /** The library client, made on the first call. */
  private client(): Promise<MessengerClient> {
    this.api ??= messengerClientClass().then((Client) => {
      const { config, options } = this;
      // The first secret is the current one: Graph checks appsecret_proof against it.
      const appSecret = config.appSecrets[0];
      const api = new Client({
        accessToken: config.pageAccessToken,
        version: config.graphVersion,
        origin: config.apiUrl,
        ...(appSecret ? { appSecret } : { skipAppSecretProof: true }),
      });
      Object.assign(api.axios.defaults, {
        ...this.http.agents,
        timeout: options.timeoutMs ?? 10_000,
        // Redirects would carry the token elsewhere; the Graph API does not redirect API calls.
        maxRedirects: 0,
      });
      return api;
    });
    return this.api;
  }

  async send(userId: string, message: SendMessage, mode: SendOptions['mode']): Promise<string> {
    // https://developers.facebook.com/docs/messenger-platform/send-messages#messaging_types
    const body = JSON.stringify({
      messaging_type: mode === 'reply' ? 'RESPONSE' : 'UPDATE',
      recipient: { id: userId },
      message,
    });
    let answer: HttpAnswer;
    try {
      answer = await this.http.post(this.sendUrl, { 'content-type': 'application/json' }, body);
    } catch (error) {
      if (!(error instanceof HttpFailure)) throw error;
      throw toChannelError({ message: error.reason }, this.secrets);
    }
    const data = bodyOf(answer);
    // Redirects are not followed: they would carry the token elsewhere.
    if (answer.status < 200 || answer.status >= 300)
      throw toChannelError(
        { response: { status: answer.status, data, headers: answer.headers } },
        this.secrets,
      );
    // A proxy or fake answering without a message id must not yield undefined.
    const id = (data as { message_id?: unknown } | null)?.message_id;
    return typeof id === 'string' ? id : '';
  }

  async setProfile(profile: WireProfile): Promise<void> {
    const body: MessengerTypes.MessengerProfile = {
      getStarted: profile.get_started,
      greeting: profile.greeting,
      persistentMenu: profile.persistent_menu.map((menu) => ({
        locale: menu.locale,
        composerInputDisabled: menu.composer_input_disabled,
        callToActions: menu.call_to_actions,
      })),
    };
    try {
      await (await this.client()).setMessengerProfile(body);
    } catch (error) {
      throw toChannelError(error, this.secrets);
    }
  }

  close(): void {
    this.http.close();
  }
}
