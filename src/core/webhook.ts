import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../web/metrics.js';
import { httpReason } from '../web/errors.js';
import type { Channel, WebhookContext } from './channel.js';
import type { ChannelId, InboundEvent } from './events.js';

/** One log line a step asks for: ids and kinds in `fields`, never what a citizen wrote. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn';
  fields?: Record<string, unknown>;
  msg: string;
}

/**
 * A request not taken. Answered `status` with `{error, message}`, except a 2xx, which gets the
 * channel's ack (a platform that sees failures may switch the webhook off); counted in
 * llw_webhook_rejected_total under `reason` when there is one.
 */
export interface Refusal {
  ok: false;
  status: number;
  reason?: string;
  message?: string;
  log?: LogLine;
}

/** What `verify` says of a request. */
export type Verdict = { ok: true } | Refusal;

/** What the pipeline hands `verify`: the exact bytes and what came with them. */
export interface WebhookRequest {
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  query: Readonly<Record<string, string | string[] | undefined>>;
}

/** A log line from `parse`; with `warning`, also counted in llw_platform_warnings_total. */
export interface Note extends LogLine {
  warning?: string;
}

/** What a channel made of a verified body. */
export interface Received<Reply = never> {
  ok: true;
  /** For the inbox (dedupe, durable record), before the ack. */
  events: InboundEvent[];
  /** Kinds of the items skipped ("echo", "reaction"): logged by kind, never their content. */
  ignored: string[];
  notes: Note[];
  /** Something the platform wants in the response body (Viber's welcome), built by `answer`. */
  reply?: Reply;
}

/** The success answer: status 200 unless said, a content type and a body, both optional. */
export interface Ack {
  status?: number;
  type?: string;
  body?: string | Record<string, unknown>;
}

/**
 * A channel's webhook as data and pure functions; `core/webhook.ts` owns the HTTP around it
 * (raw body, decoding, refusals, counters, logs, the durable accept and the ack).
 */
export interface Webhook<Body = unknown, Reply = unknown> {
  path: string;
  /** Content types read as raw bytes; absent: every type (the rest answer 415). */
  contentTypes?: readonly string[];
  /** Decode before `verify` (Zalo signs the body's own `timestamp`); default after. */
  decodeFirst?: boolean;
  /** Bytes to a value; absent: JSON.parse, refusing with 400 and no count. */
  decode?(rawBody: Buffer): { ok: true; body: Body } | Refusal;
  /** Whether the platform sent this; `body` is there only with `decodeFirst`. */
  verify(request: WebhookRequest, body: Body | undefined): Verdict;
  parse(body: Body): Received<Reply> | Refusal;
  /** Skipped kinds logged at debug (the rest at info). */
  routine?: ReadonlySet<string>;
  /** Drops events that must not reach the inbox (may read storage: Zalo's chat-now gap). */
  admit?(events: InboundEvent[]): Promise<InboundEvent[]>;
  /** Builds the response body for `reply`; it may read storage and must not throw. */
  answer?(reply: Reply, log: FastifyBaseLogger, context: WebhookContext): Promise<unknown>;
  ack: Ack;
}

/** The exact bytes of a request whose content type `acceptRawBodies` covers (else empty). */
export function rawBodyOf(req: FastifyRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** Keeps request bodies as raw bytes in this (encapsulated) scope only: signatures cover them. */
export function acceptRawBodies(app: FastifyInstance, types?: readonly string[]): void {
  const keep = (_req: FastifyRequest, body: Buffer, done: (e: null, b: Buffer) => void) =>
    done(null, body);
  if (!types) {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, keep);
    return;
  }
  for (const type of types) {
    if (app.hasContentTypeParser(type)) app.removeContentTypeParser(type);
    app.addContentTypeParser(type, { parseAs: 'buffer' }, keep);
  }
}

/** Registers a channel's routes in its own scope: the pipeline's webhook, then its extras. */
export async function mountChannel(
  app: FastifyInstance,
  channel: Channel,
  context: WebhookContext,
): Promise<void> {
  if (channel.webhook) registerWebhook(app, channel.id, channel.webhook, context);
  await channel.registerRoutes?.(app, context);
}

/** `POST <path>`: raw body ▸ verify/decode ▸ parse ▸ notes ▸ admit ▸ durable accept ▸ ack. */
export function registerWebhook(
  app: FastifyInstance,
  channel: ChannelId,
  hook: Webhook,
  context: WebhookContext,
): void {
  acceptRawBodies(app, hook.contentTypes);
  app.post(hook.path, (req, reply) => receive(req, reply, channel, hook, context));
}

async function receive(
  req: FastifyRequest,
  reply: FastifyReply,
  channel: ChannelId,
  hook: Webhook,
  context: WebhookContext,
): Promise<FastifyReply> {
  let log: FastifyBaseLogger | undefined;
  const logger = () => (log ??= req.log.child({ channel }));
  const refuse = (refusal: Refusal): FastifyReply => {
    if (refusal.reason) context.countRejected(channel, refusal.reason);
    if (refusal.log) write(logger(), refusal.log);
    if (refusal.status < 300) return sendAck(reply, hook.ack, refusal.status);
    return reply
      .code(refusal.status)
      .send({ error: httpReason(refusal.status), message: refusal.message ?? '' });
  };
  const request: WebhookRequest = {
    rawBody: rawBodyOf(req),
    headers: req.headers,
    query: (req.query ?? {}) as WebhookRequest['query'],
  };
  const decode = () => (hook.decode ? hook.decode(request.rawBody) : decodeJson(request.rawBody));

  let body: unknown;
  if (hook.decodeFirst) {
    const decoded = decode();
    if (!decoded.ok) return refuse(decoded);
    body = decoded.body;
  }
  const verdict = hook.verify(request, body);
  if (!verdict.ok) return refuse(verdict);
  if (!hook.decodeFirst) {
    const decoded = decode();
    if (!decoded.ok) return refuse(decoded);
    body = decoded.body;
  }
  const parsed = hook.parse(body);
  if (!parsed.ok) return refuse(parsed);

  for (const note of parsed.notes) {
    if (note.warning) context.countWarning?.(channel, note.warning);
    write(logger(), note);
  }
  if (parsed.ignored.length > 0) {
    const routine = parsed.ignored.every((k) => hook.routine?.has(k));
    write(logger(), {
      level: routine ? 'debug' : 'info',
      fields: { ignored: parsed.ignored },
      msg: 'webhook items skipped',
    });
  }
  const events = hook.admit ? await hook.admit(parsed.events) : parsed.events;
  // Acknowledge only once the events are durable; the turns run afterwards. A storage outage
  // throws ServiceUnavailableError (503 + Retry-After, web/errors.ts).
  if (events.length > 0) await context.inbox.accept(events);
  if (parsed.reply !== undefined && hook.answer)
    return reply.code(200).send(await hook.answer(parsed.reply, logger(), context));
  return sendAck(reply, hook.ack);
}

function decodeJson(raw: Buffer): { ok: true; body: unknown } | Refusal {
  try {
    return { ok: true, body: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false, status: 400, message: 'The request body is not valid JSON.' };
  }
}

function sendAck(reply: FastifyReply, ack: Ack, status = ack.status ?? 200): FastifyReply {
  reply.code(status);
  if (ack.type) reply.type(ack.type);
  return reply.send(ack.body);
}

function write(log: FastifyBaseLogger, line: LogLine): void {
  log[line.level](line.fields ?? {}, line.msg);
}

/**
 * The app-wide webhook hooks: 503 + Retry-After while shutting down, and
 * llw_webhook_duration_seconds by channel and outcome for every `/webhooks/...` answer.
 */
export function registerWebhookHooks(
  app: FastifyInstance,
  metrics: Pick<Metrics, 'observe'>,
): void {
  let closing = false;
  // Callback-style hooks: they run on every request, and an async hook costs a promise each.
  app.addHook('onRequest', (req, reply, done) => {
    if (closing && req.url.startsWith('/webhooks/')) {
      reply
        .code(503)
        .header('retry-after', '5')
        .send({ error: 'Service Unavailable', message: 'Shutting down; retry shortly.' });
      return;
    }
    done();
  });
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onResponse', (req, reply, done) => {
    observeWebhook(metrics, req, reply);
    done();
  });
}

/** Counts a webhook's answer in llw_webhook_duration_seconds (other routes are not counted). */
function observeWebhook(
  metrics: Pick<Metrics, 'observe'>,
  req: FastifyRequest,
  reply: FastifyReply,
): void {
  if (!req.url.startsWith('/webhooks/')) return;
  const channel = req.url.slice('/webhooks/'.length).split(/[/?]/)[0] ?? '';
  const status = reply.statusCode;
  metrics.observe(
    'llw_webhook_duration_seconds',
    'Webhook requests from arrival to answer, by channel and outcome.',
    {
      channel,
      outcome:
        status < 300
          ? 'accepted'
          : status === 503
            ? 'unavailable'
            : status < 500
              ? 'refused'
              : 'error',
    },
    reply.elapsedTime / 1000,
  );
}
