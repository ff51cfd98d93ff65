import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { MessengerConfig } from '../../config.js';
import type { Channel, SendOptions, SendResult, WebhookContext } from '../../core/channel.js';
import type { OutboundMessage } from '../../core/events.js';
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
 * Facebook Messenger: `GET|POST /webhooks/messenger` (handshake; verify ▸ parse ▸ inbox) and
 * sends through the Send API (render ▸ client).
 */
export class MessengerChannel implements Channel {
  readonly id = 'messenger' as const;
  private readonly sender: MessengerSender;

  constructor(
    private readonly config: Readonly<MessengerConfig>,
    options: { sender?: MessengerSender } = {},
  ) {
    this.sender = options.sender ?? new MessengerApiClient(config);
  }

  registerRoutes(app: FastifyInstance, context: WebhookContext): void {
    // The signature covers the exact bytes: keep them (this scope only) and parse JSON ourselves.
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
      done(null, body);
    });

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
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'buffer' },
      (_req, body, done) => done(null, body),
    );
    app.post(`${WEBHOOK_PATH}/deauthorize`, async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
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

    app.post(WEBHOOK_PATH, async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const check = verifySignature(raw, req.headers[SIGNATURE_HEADER], this.config.appSecrets);
      if (!check.ok) {
        context.countRejected('messenger', `signature-${check.reason}`);
        context.log.warn({ reason: check.reason }, 'webhook refused: bad signature');
        return check.reason === 'mismatch'
          ? reply.code(403).send({
              error: 'Forbidden',
              message: 'X-Hub-Signature-256 does not match the body.',
            })
          : reply.code(401).send({
              error: 'Unauthorized',
              message: 'X-Hub-Signature-256 (sha256=<64 hex digits>) is required.',
            });
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply
          .code(400)
          .send({ error: 'Bad Request', message: 'The request body is not valid JSON.' });
      }
      const parsed = parseEnvelope(body, { appId: this.config.appId });
      if (!parsed.ok)
        return reply.code(400).send({ error: 'Bad Request', message: parsed.problem });
      const { events, ignored, warnings } = parsed.result;
      for (const warning of warnings) {
        context.countWarning?.('messenger', `${warning.kind}-${warning.action}`);
        context.log.warn(warning, 'Meta policy enforcement on the Page: check the app dashboard');
      }
      if (ignored.length > 0) {
        const level = ignored.every((k) => ROUTINE.has(k)) ? 'debug' : 'info';
        context.log[level]({ ignored }, 'webhook items skipped');
      }
      // Acknowledge only once the events are durable; the turns run afterwards.
      if (events.length > 0) await context.inbox.accept(events);
      return reply.code(200).type('text/plain; charset=utf-8').send('EVENT_RECEIVED');
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
