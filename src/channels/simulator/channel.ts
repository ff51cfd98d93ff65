import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Channel, SendResult, WebhookContext } from '../../core/channel.js';
import { LocalLocks } from '../../coord/coordinator.js';
import type { Clock } from '../../core/clock.js';
import { normaliseLocale, type InboundEvent, type OutboundMessage } from '../../core/events.js';
import { simulatorPage } from './page.js';

const USER_ID = /^[\w.-]{1,64}$/;

/** One reply as the simulator API returns it. */
export interface SimulatorReply {
  text: string;
  choices?: Array<{ title: string; payload: string }>;
}

interface MessageBody {
  userId?: unknown;
  text?: unknown;
  payload?: unknown;
  locale?: unknown;
  messageId?: unknown;
}

/**
 * The local channel: a chat page and a JSON API that answers with every reply of the turn.
 * Proactive messages (broadcasts, reminders) wait in a mailbox the page polls.
 */
export class SimulatorChannel implements Channel {
  readonly id = 'simulator' as const;
  private readonly mailboxes = new Map<string, SimulatorReply[]>();
  private readonly users = new LocalLocks();

  /** `clock` stamps the events (the platforms' send time), so tests with a ManualClock agree. */
  constructor(private readonly clock: Clock = { now: () => Date.now() }) {}

  async send(userId: string, message: OutboundMessage): Promise<SendResult> {
    const box = this.mailboxes.get(userId) ?? [];
    box.push({
      text: message.text,
      ...(message.choices?.length
        ? { choices: message.choices.map((c) => ({ title: c.title, payload: c.payload })) }
        : {}),
    });
    // A page that never polls must not grow memory without bound.
    if (box.length > 100) box.splice(0, box.length - 100);
    this.mailboxes.set(userId, box);
    return { messageIds: [randomUUID()] };
  }

  /** Takes (and forgets) what was sent to a user. */
  take(userId: string): SimulatorReply[] {
    const box = this.mailboxes.get(userId) ?? [];
    this.mailboxes.delete(userId);
    return box;
  }

  registerRoutes(app: FastifyInstance, context: WebhookContext): void {
    app.get('/simulator', async (_req, reply) =>
      reply.type('text/html; charset=utf-8').send(simulatorPage()),
    );

    app.post<{ Body: MessageBody }>('/simulator/api/messages', async (req, reply) => {
      const body = req.body ?? {};
      const problem = validate(body);
      if (problem) return reply.code(400).send({ error: 'Bad Request', message: problem });
      const userId = body.userId as string;
      const locale = normaliseLocale(typeof body.locale === 'string' ? body.locale : undefined);
      const base = {
        channel: 'simulator' as const,
        userId,
        eventId: typeof body.messageId === 'string' ? body.messageId : randomUUID(),
        timestamp: this.clock.now(),
        ...(locale ? { locale } : {}),
      };
      const event: InboundEvent =
        typeof body.payload === 'string' && body.payload !== ''
          ? {
              ...base,
              kind: 'postback',
              payload: body.payload,
              ...(typeof body.text === 'string' ? { title: body.text } : {}),
            }
          : { ...base, kind: 'message', text: typeof body.text === 'string' ? body.text : '' };
      return this.users.run(userId, async () => {
        await context.inbox.acceptAndWait([event]);
        return { replies: this.take(userId) };
      });
    });

    app.get<{ Querystring: { userId?: string } }>('/simulator/api/messages', async (req, reply) => {
      const userId = req.query.userId;
      if (typeof userId !== 'string' || !USER_ID.test(userId)) {
        return reply.code(400).send({
          error: 'Bad Request',
          message: 'userId is required: 1-64 letters, digits, ".", "_" or "-".',
        });
      }
      return { replies: this.take(userId) };
    });
  }
}

function validate(body: MessageBody): string | undefined {
  if (typeof body.userId !== 'string' || !USER_ID.test(body.userId)) {
    return 'userId is required: 1-64 letters, digits, ".", "_" or "-".';
  }
  if (body.text !== undefined && typeof body.text !== 'string') return 'text must be a string.';
  if (body.payload !== undefined && typeof body.payload !== 'string')
    return 'payload must be a string.';
  if (typeof body.text !== 'string' && typeof body.payload !== 'string')
    return 'text or payload is required.';
  if (typeof body.payload === 'string' && body.payload.length > 1000)
    return 'payload is longer than 1,000 characters.';
  if (body.locale !== undefined && body.locale !== 'vi' && body.locale !== 'en')
    return 'locale must be "vi" or "en".';
  if (
    body.messageId !== undefined &&
    (typeof body.messageId !== 'string' || body.messageId.length > 128)
  ) {
    return 'messageId must be a string of up to 128 characters.';
  }
  return undefined;
}
