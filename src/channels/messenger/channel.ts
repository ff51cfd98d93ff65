import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { MessengerConfig } from '../../config.js';
import type { Channel, SendOptions, SendResult, WebhookContext } from '../../core/channel.js';
import type { OutboundMessage } from '../../core/events.js';
import { rawBodyOf, type Webhook } from '../../core/webhook.js';
import { MessengerApiClient, type MessengerSender } from './client.js';
import { parseEnvelope } from './parse.js';
import { renderMessage } from './render.js';
import { SIGNATURE_HEADER, verifySignature, verifySignedRequest } from './verify.js';

/** The webhook path (Meta app dashboard: Messenger ▸ Webhooks ▸ Callback URL). */
export const WEBHOOK_PATH = '/webhooks/messenger';

/** Skipped item kinds that are routine, not worth an info line. */
const ROUTINE = new Set(['echo', 'standby']);

interface HandshakeQuery {
  'hub.mode'?: string;
  'hub.verify_token'?: string;
  'hub.challenge'?: string;
}

/** Constant-time string equality (hashing first makes the lengths equal). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * `POST /webhooks/messenger`: X-Hub-Signature-256 over the raw bytes, then the envelope.
 * https://developers.facebook.com/docs/messenger-platform/webhooks
 */
export function messengerWebhook(config: Readonly<MessengerConfig>): Webhook {
  return {
    path: WEBHOOK_PATH,
    // JSON for the webhook, the form for the deauthorise callback; others keep Fastify's answer.
    contentTypes: ['application/json', 'application/x-www-form-urlencoded'],
    verify({ rawBody, headers }) {
      const check = verifySignature(rawBody, headers[SIGNATURE_HEADER], config.appSecrets);
      if (check.ok) return check;
      return {
        ok: false,
        reason: `signature-${check.reason}`,
        log: {
          level: 'warn',
          fields: { reason: check.reason },
          msg: 'webhook refused: bad signature',
        },
        ...(check.reason === 'mismatch'
          ? { status: 403, message: 'X-Hub-Signature-256 does not match the body.' }
          : { status: 401, message: 'X-Hub-Signature-256 (sha256=<64 hex digits>) is required.' }),
      };
    },
    parse(body) {
      const parsed = parseEnvelope(body, { appId: config.appId });
      if (!parsed.ok) return { ok: false, status: 400, message: parsed.problem };
      const { events, ignored, warnings } = parsed.result;
      return {
        ok: true,
        events,
        ignored,
        notes: warnings.map((warning) => ({
          level: 'warn',
          fields: { ...warning },
          msg: 'Meta policy enforcement on the Page: check the app dashboard',
          warning: `${warning.kind}-${warning.action}`,
        })),
      };
    },
    routine: ROUTINE,
    ack: { type: 'text/plain; charset=utf-8', body: 'EVENT_RECEIVED' },
  };
}

/**
 * Facebook Messenger: the webhook above, the `GET` handshake and the deauthorise callback, and
 * sends through the Send API (render ▸ client).
 */
export class MessengerChannel implements Channel {
  readonly id = 'messenger' as const;
  readonly webhook: Webhook;
  private readonly sender: MessengerSender;

  constructor(
    private readonly config: Readonly<MessengerConfig>,
    options: { sender?: MessengerSender } = {},
  ) {
    this.sender = options.sender ?? new MessengerApiClient(config);
    this.webhook = messengerWebhook(config);
  }

  /** Other routes in the webhook's scope (its raw-body parsers cover the deauthorise form). */
  registerRoutes(app: FastifyInstance, context: WebhookContext): void {
    // https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
    app.get<{ Querystring: HandshakeQuery }>(WEBHOOK_PATH, async (req, reply) => {
      const q = req.query;
      const challenge = q['hub.challenge'];
      if (
        q['hub.mode'] === 'subscribe' &&
        typeof q['hub.verify_token'] === 'string' &&
        sameSecret(q['hub.verify_token'], this.config.verifyToken) &&
        typeof challenge === 'string' &&
        challenge !== '' &&
        challenge.length <= 256
      ) {
        return reply.code(200).type('text/plain; charset=utf-8').send(challenge);
      }
      context.countRejected('messenger', 'handshake');
      return reply
        .code(403)
        .send({ error: 'Forbidden', message: 'hub.mode or hub.verify_token is wrong.' });
    });

    // Meta's Deauthorize Callback URL: the app was removed; nothing more will arrive or send.
    app.post(`${WEBHOOK_PATH}/deauthorize`, async (req, reply) => {
      const raw = rawBodyOf(req).toString('utf8');
      const signed = new URLSearchParams(raw).get('signed_request');
      if (!verifySignedRequest(signed, this.config.appSecrets)) {
        context.countRejected('messenger', 'deauthorize-signature');
        return reply
          .code(403)
          .send({ error: 'Forbidden', message: 'signed_request is missing or not signed.' });
      }
      context.countWarning?.('messenger', 'app-deauthorized');
      context.log.warn('Meta deauthorised the app: the Page no longer reaches the bot');
      return reply.code(200).send({ ok: true });
    });
  }

  async send(userId: string, message: OutboundMessage, options: SendOptions): Promise<SendResult> {
    const messageIds: string[] = [];
    // In order, one after the other: parts of a long text must arrive in sequence.
    for (const body of renderMessage(message))
      messageIds.push(await this.sender.send(userId, body, options.mode));
    return { messageIds };
  }

  async close(): Promise<void> {
    this.sender.close();
  }
}
