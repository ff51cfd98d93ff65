import type { FastifyBaseLogger } from 'fastify';
import type { ViberConfig } from '../../config.js';
import type { Channel, SendOptions, SendResult, WebhookContext } from '../../core/channel.js';
import {
  ChannelError,
  ErrorCode,
  RateLimitedError,
  RecipientUnreachableError,
  TokenInvalidError,
  TransportError,
} from '../../core/errors.js';
import type { OutboundMessage } from '../../core/events.js';
import type { Refusal, Webhook } from '../../core/webhook.js';
import { DEFAULT_LOCALE } from '../../i18n.js';
import type { ContactsRepo } from '../../store/contacts-repo.js';
import { statusError, ViberClient } from './client.js';
import { parseViberJson, readViberCallback, ViberParseError, type ViberCallback } from './parse.js';
import { renderMessages, renderWelcome, senderFrom } from './render.js';
import { verifyViberSignature } from './verify.js';
import type { ViberSender, ViberTextMessage } from './wire.js';

/** Viber takes at most 300 receivers per `broadcast_message`. */
export const BROADCAST_CHUNK = 300;

type Failed = Array<{ userId: string; reason: string; unreachable?: boolean }>;
type ConversationStarted = Extract<ViberCallback, { kind: 'conversation_started' }>;

/** The reason recorded for a user a send failed for: the stable error code, then Viber's status. */
export function failureReason(error: unknown): string {
  if (!(error instanceof ChannelError)) return ErrorCode.Platform;
  return error.platformCode === undefined
    ? error.code
    : `${error.code} (viber status ${error.platformCode})`;
}

/** Errors after which sending to the next users makes no sense now. */
function stopsTheBatch(error: unknown): boolean {
  return (
    error instanceof TokenInvalidError ||
    error instanceof RateLimitedError ||
    error instanceof TransportError
  );
}

/**
 * `POST /webhooks/viber`: the signature over the raw bytes, the body decoded keeping 64-bit
 * message tokens exact; `conversation_started` is answered with the welcome in the response.
 * https://developers.viber.com/docs/api/rest-bot-api/#callbacks
 */
export function viberWebhook(
  authToken: string,
  welcome: Webhook<unknown, ConversationStarted>['answer'],
): Webhook<unknown, ConversationStarted> {
  const unreadable = (error: unknown): Refusal => {
    if (!(error instanceof ViberParseError)) throw error;
    return { ok: false, status: 400, reason: 'unreadable', message: error.message };
  };
  return {
    path: '/webhooks/viber',
    verify({ rawBody, headers, query }) {
      const check = verifyViberSignature(rawBody, headers['x-viber-content-signature'], query.sig, [
        authToken,
      ]);
      if (check.ok) return check;
      return {
        ok: false,
        reason: `signature-${check.problem}`,
        log: {
          level: 'info',
          fields: { problem: check.problem },
          msg: 'viber callback refused: bad signature',
        },
        ...(check.problem === 'missing'
          ? { status: 401, message: 'X-Viber-Content-Signature is missing.' }
          : { status: 403, message: 'X-Viber-Content-Signature does not match the body.' }),
      };
    },
    decode(rawBody) {
      try {
        return { ok: true, body: parseViberJson(rawBody) };
      } catch (error) {
        return unreadable(error);
      }
    },
    parse(body) {
      let callback: ViberCallback;
      try {
        callback = readViberCallback(body);
      } catch (error) {
        return unreadable(error);
      }
      const received = { ok: true as const, events: [], ignored: [], notes: [] };
      switch (callback.kind) {
        case 'webhook':
        case 'ignored':
          return received;
        case 'conversation_started':
          return { ...received, reply: callback };
        case 'events':
          return {
            ...received,
            events: callback.events,
            // Viber reports a keyboard or message it could not show only this way.
            notes: callback.events.flatMap((event) =>
              event.kind === 'receipt' && event.status === 'failed'
                ? [
                    {
                      level: 'warn' as const,
                      fields: { reason: event.reason },
                      msg: 'Viber could not show a message we sent',
                    },
                  ]
                : [],
            ),
          };
      }
    },
    ...(welcome ? { answer: welcome } : {}),
    ack: {},
  };
}

/**
 * Viber: the webhook above, and sends through our own client. Only subscribed users are
 * messaged: an unsubscribed contact is refused before any API call.
 */
export class ViberChannel implements Channel {
  readonly id = 'viber' as const;
  private readonly client: ViberClient;
  private readonly sender: ViberSender;
  private readonly log: FastifyBaseLogger;
  readonly webhook: Webhook<unknown, ConversationStarted>;

  constructor(
    private readonly config: ViberConfig,
    private readonly deps: { contacts: ContactsRepo; log: FastifyBaseLogger },
    client?: ViberClient,
  ) {
    this.client = client ?? new ViberClient({ apiUrl: config.apiUrl, authToken: config.authToken });
    this.sender = senderFrom(config);
    this.log = deps.log.child({ channel: 'viber' });
    this.webhook = viberWebhook(config.authToken, (started, log, context) =>
      this.welcome(started, log, context),
    );
  }

  /** The welcome in the response to `conversation_started`, in the user's language. */
  private async welcome(
    started: ConversationStarted,
    log: FastifyBaseLogger,
    context: WebhookContext,
  ): Promise<ViberTextMessage> {
    // Built per request; the only message a user who has not subscribed can get, so it goes in
    // the response body, never through send_message.
    const contact = await this.deps.contacts.get('viber', started.userId).catch((error) => {
      // The welcome must not wait on a sick database: Viber's language will do.
      log.warn({ err: error }, 'contact lookup failed; welcoming in Viber’s language');
      return undefined;
    });
    const locale = contact?.locale ?? started.locale ?? DEFAULT_LOCALE;
    // A deep link's context (a campaign's QR code) is counted and may open its flow.
    const linked = started.context
      ? await context
          .linkWelcome?.('viber', started.userId, started.context, locale)
          .catch((error: unknown) => {
            log.warn({ err: error }, 'deep-link welcome failed; plain welcome');
            return undefined;
          })
      : undefined;
    return renderWelcome(linked ?? (await context.welcome(locale)), this.sender);
  }

  async send(userId: string, message: OutboundMessage, options: SendOptions): Promise<SendResult> {
    const contact = await this.deps.contacts.get('viber', userId);
    if (contact?.followed === false) {
      if (options.mode === 'proactive') {
        throw new RecipientUnreachableError('Viber: the user unsubscribed; nothing was sent');
      }
      // A reply answers something the user just sent, and writing to a bot subscribes a Viber
      // user again: record it, or every later answer to them would be refused.
      await this.deps.contacts.setFollowed('viber', userId, true);
    }
    const messageIds: string[] = [];
    for (const part of renderMessages(message, this.sender)) {
      messageIds.push(await this.sendOne(userId, part));
    }
    return { messageIds };
  }

  /**
   * Sends to many users with `broadcast_message`, 300 per call, and returns who it failed for.
   * Viber enables broadcasting per account on request: when a call is refused as a whole (a
   * status other than bad token / rate limit), this and later chunks go user by user through
   * `send_message` (which also skips unsubscribed contacts). A bad token, rate limit or network
   * failure stops the batch; every user not sent is then reported with that reason.
   */
  async sendBatch(
    userIds: string[],
    message: OutboundMessage,
  ): Promise<{ failed: Failed; messageIds: Map<string, string> }> {
    const parts = renderMessages(message, this.sender);
    const failed: Failed = [];
    // The token of each user's first message part: Viber's receipts for that user name it.
    const messageIds = new Map<string, string>();
    const failAll = (users: string[], error: unknown) => {
      for (const userId of users) failed.push({ userId, reason: failureReason(error) });
    };
    let perUser = false;
    for (let start = 0; start < userIds.length; start += BROADCAST_CHUNK) {
      const chunk = userIds.slice(start, start + BROADCAST_CHUNK);
      if (!perUser) {
        try {
          failed.push(...(await this.broadcastChunk(chunk, parts, messageIds)));
          continue;
        } catch (error) {
          if (!(error instanceof ChannelError)) throw error;
          if (stopsTheBatch(error)) {
            failAll(userIds.slice(start), error);
            return { failed, messageIds };
          }
          perUser = true;
          this.log.warn(
            { code: error.code, platformCode: error.platformCode },
            'broadcast_message refused; sending user by user with send_message',
          );
        }
      }
      for (const [i, userId] of chunk.entries()) {
        try {
          const sent = await this.send(userId, message, { mode: 'proactive' });
          if (sent.messageIds[0]) messageIds.set(userId, sent.messageIds[0]);
        } catch (error) {
          if (stopsTheBatch(error)) {
            failAll([...chunk.slice(i), ...userIds.slice(start + BROADCAST_CHUNK)], error);
            return { failed, messageIds };
          }
          if (!(error instanceof ChannelError)) throw error;
          failed.push({
            userId,
            reason: failureReason(error),
            ...(error instanceof RecipientUnreachableError ? { unreachable: true } : {}),
          });
        }
      }
    }
    return { failed, messageIds };
  }

  async close(): Promise<void> {
    this.client.close();
  }

  private async sendOne(userId: string, part: ViberTextMessage): Promise<string> {
    // Status 5/6 (not registered / not subscribed) throws RecipientUnreachableError: the sender
    // marks the contact (core/delivery-policy.ts).
    const { messageToken } = await this.client.sendMessage({ ...part, receiver: userId });
    return messageToken;
  }

  /**
   * One `broadcast_message` per message part; throws only when nothing was sent yet. Records the
   * first part's token for each receiver it reached.
   */
  private async broadcastChunk(
    chunk: string[],
    parts: ViberTextMessage[],
    messageIds: Map<string, string>,
  ): Promise<Failed> {
    const failed: Failed = [];
    let receivers = chunk;
    for (const [index, part] of parts.entries()) {
      if (receivers.length === 0) break;
      let answer;
      try {
        answer = await this.client.broadcastMessage({ ...part, broadcast_list: receivers });
      } catch (error) {
        if (index === 0) throw error;
        // Earlier parts reached these users: report them rather than send those parts twice.
        for (const userId of receivers) failed.push({ userId, reason: failureReason(error) });
        return failed;
      }
      const refused = new Set<string>();
      for (const f of answer.failed) {
        const error = statusError('broadcast_message', f.status, f.status_message);
        failed.push({
          userId: f.receiver,
          reason: failureReason(error),
          ...(error instanceof RecipientUnreachableError ? { unreachable: true } : {}),
        });
        refused.add(f.receiver);
      }
      receivers = receivers.filter((u) => !refused.has(u));
      if (index === 0 && answer.messageToken)
        for (const userId of receivers) messageIds.set(userId, answer.messageToken);
    }
    return failed;
  }
}
