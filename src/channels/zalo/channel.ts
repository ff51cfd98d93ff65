import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ZaloConfig } from '../../config.js';
import type { Channel, SendOptions, SendResult } from '../../core/channel.js';
import type { Clock } from '../../core/clock.js';
import { ChannelError, TokenInvalidError } from '../../core/errors.js';
import type { InboundEvent, OutboundMessage } from '../../core/events.js';
import type { Webhook } from '../../core/webhook.js';
import type { ChannelDeps } from '../registry.js';
import { ZaloClient } from './client.js';
import { parseZalo } from './parse.js';
import { renderZalo } from './render.js';
import { ZaloTokens } from './tokens.js';
import { verifyZalo } from './verify.js';
import { recipientOf, type ZaloCsRequest, type ZaloWebhookEvent } from './wire.js';

/** A "chat now" click greets the user only when they have been away this long (or are new). */
export const CHATNOW_GREETING_GAP_MS = 24 * 3600_000;
/** How often the token is checked in the background, so an idle bot keeps its refresh chain. */
const KEEP_ALIVE_MS = 3600_000;

/**
 * `POST /webhooks/zalo`. The mac covers the body's own `timestamp`, so the body is decoded first;
 * a request that fails the check is answered 200 and not acted on: Zalo's console sends unsigned
 * tests, and failures would switch the webhook off.
 * https://developers.zalo.me/docs/official-account/webhook/xac-thuc-webhook
 */
export function zaloWebhook(options: {
  appId: string;
  secrets: readonly string[];
  maxEventAgeMs: number | null;
  clock: Clock;
  admit?: (events: InboundEvent[]) => Promise<InboundEvent[]>;
}): Webhook<ZaloWebhookEvent, never> {
  return {
    path: '/webhooks/zalo',
    decodeFirst: true,
    decode(rawBody) {
      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        body = undefined;
      }
      if (body && typeof body === 'object' && !Array.isArray(body)) return { ok: true, body };
      return {
        ok: false,
        status: 400,
        reason: 'malformed',
        message: 'The request body is not a JSON object.',
        log: {
          level: 'info',
          fields: { bytes: rawBody.length },
          msg: 'Zalo webhook body is not a JSON object',
        },
      };
    },
    verify({ rawBody, headers }, event) {
      const verified = verifyZalo(rawBody, headers['x-zevent-signature'], event?.timestamp, {
        appId: options.appId,
        secrets: options.secrets,
        freshness: { now: options.clock.now(), maxAgeMs: options.maxEventAgeMs },
      });
      if (verified.ok) return verified;
      return {
        ok: false,
        status: 200,
        reason: verified.reason,
        log: {
          level: 'warn',
          fields: { reason: verified.reason, eventName: safeName(event?.event_name) },
          msg: 'Zalo webhook not verified: answered 200, not processed',
        },
      };
    },
    parse: (event) => ({
      ok: true,
      events: parseZalo(event, { receivedAt: options.clock.now() }),
      ignored: [],
      notes: [],
    }),
    ...(options.admit ? { admit: options.admit } : {}),
    ack: { body: { ok: true } },
  };
}

/**
 * Zalo Official Account: the webhook above, the domain
 * verification tag at `/`, and CS messages through our own client with the OAuth v4 lifecycle.
 */
export class ZaloChannel implements Channel {
  readonly id = 'zalo' as const;
  /** The token lifecycle (exposed for operators' tools and tests). */
  readonly tokens: ZaloTokens;
  private readonly client: ZaloClient;
  private readonly log: FastifyBaseLogger;
  private readonly secrets: string[];
  private readonly timer: NodeJS.Timeout | undefined;
  readonly webhook: Webhook<ZaloWebhookEvent, never>;

  constructor(
    private readonly config: Readonly<ZaloConfig>,
    private readonly deps: ChannelDeps,
    options: { keepAliveMs?: number } = {},
  ) {
    this.log = deps.log.child({ channel: 'zalo' });
    // Several OA secret keys (comma-separated) are accepted while one is being rotated.
    this.secrets = config.oaSecretKey
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    this.client = new ZaloClient({
      apiUrl: config.apiUrl,
      oauthUrl: config.oauthUrl,
      appId: config.appId,
      appSecret: config.appSecret,
    });
    this.tokens = new ZaloTokens({
      client: this.client,
      kv: deps.kv,
      coord: deps.coord,
      lockKey: deps.keys.lock('zalo-token-refresh'),
      clock: deps.clock,
      log: this.log,
      seed: {
        refreshToken: config.refreshToken ?? '',
        ...(config.accessToken ? { accessToken: config.accessToken } : {}),
      },
    });
    this.webhook = zaloWebhook({
      appId: config.appId,
      secrets: this.secrets,
      maxEventAgeMs: config.maxEventAgeMs,
      clock: deps.clock,
      admit: (events) => this.admit(events),
    });
    const every = options.keepAliveMs ?? KEEP_ALIVE_MS;
    if (every > 0) {
      this.timer = setInterval(() => {
        this.tokens.accessToken().catch((error: unknown) => {
          this.log.warn({ err: redactError(error) }, 'Zalo token check failed');
        });
      }, every);
      this.timer.unref();
    }
  }

  /** The domain verification tag at `/`, in the webhook's scope, when configured. */
  registerRoutes(app: FastifyInstance): void {
    const tag = this.config.siteVerification;
    if (tag) {
      app.get('/', async (_req, reply) =>
        reply
          .type('text/html; charset=utf-8')
          .send(
            `<!doctype html><html><head><meta name="zalo-platform-site-verification" content="${escapeAttribute(tag)}" /></head><body></body></html>\n`,
          ),
      );
    }
  }

  /** Zalo has one CS endpoint for replies and bot-initiated messages alike (window rules apply). */
  async send(
    userId: string,
    message: OutboundMessage,
    _options?: SendOptions,
  ): Promise<SendResult> {
    const messageIds: string[] = [];
    // An anonymous chat is answered through its own (configurable) endpoint.
    const path = 'anonymous_id' in recipientOf(userId) ? this.config.anonymousSendPath : undefined;
    for (const body of renderZalo(userId, message, { buttons: this.config.buttons })) {
      messageIds.push(await this.sendOne(body, path));
    }
    return { messageIds };
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.client.close();
  }

  /** Sends one CS message; an invalid token is refreshed once and the message retried once. */
  private async sendOne(body: ZaloCsRequest, path?: string): Promise<string> {
    const token = await this.tokens.accessToken();
    try {
      return await this.client.sendMessage(token, body, path);
    } catch (error) {
      if (!(error instanceof TokenInvalidError)) throw this.noted(error);
      this.log.info({ platformCode: error.platformCode }, 'Zalo rejected the access token');
      const fresh = await this.tokens.renew(token);
      try {
        return await this.client.sendMessage(fresh, body, path);
      } catch (retryError) {
        throw this.noted(retryError);
      }
    }
  }

  /** Logs a failed send by code (never the text or the token) and hands the error on. */
  private noted(error: unknown): unknown {
    if (error instanceof ChannelError) {
      this.log.info(
        { code: error.code, platformCode: error.platformCode, permanent: error.permanent },
        'Zalo send failed',
      );
    }
    return error;
  }

  /**
   * A "chat now" click (a referral without a ref) greets only a new user or one away for a day;
   * otherwise it only records the interaction, which keeps the 48-hour window open.
   */
  private async admit(events: InboundEvent[]): Promise<InboundEvent[]> {
    const admitted: InboundEvent[] = [];
    for (const event of events) {
      if (event.kind === 'referral' && event.ref === '') {
        const contact = await this.deps.contacts.get('zalo', event.userId);
        const last = contact?.lastInboundAt ?? null;
        if (last !== null && event.timestamp - last < CHATNOW_GREETING_GAP_MS) {
          await this.deps.contacts.touch('zalo', event.userId, this.deps.clock.now(), {
            inboundAt: event.timestamp,
          });
          continue;
        }
      }
      admitted.push(event);
    }
    return admitted;
  }
}

function safeName(name: unknown): string {
  return typeof name === 'string' && /^[a-z_]{1,40}$/.test(name) ? name : 'unknown';
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Error fields safe to log: name, code and message (messages carry codes, never tokens). */
function redactError(error: unknown): Record<string, unknown> {
  return error instanceof ChannelError
    ? { name: error.name, code: error.code, platformCode: error.platformCode }
    : { name: (error as Error)?.name ?? 'Error' };
}
