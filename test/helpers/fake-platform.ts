import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Channel, SendResult } from '../../src/core/channel.js';
import {
  RateLimitedError,
  RecipientUnreachableError,
  TransportError,
} from '../../src/core/errors.js';
import type { ChannelId, OutboundMessage } from '../../src/core/events.js';

/** One message the fake platform API received. */
export interface Received {
  channel: string;
  userId: string;
  text: string;
  worker: string;
  at: number;
}

/** How the fake API answers one request (default: 200 after no delay). */
export interface Answer {
  status?: number;
  delayMs?: number;
  headers?: Record<string, string>;
}

/**
 * A local fake platform API over real HTTP: `POST /<channel>/send` {userId, text} and
 * `POST /<channel>/batch` {userIds, text}. It records every message it receives.
 */
export interface FakePlatform {
  url: string;
  received: Received[];
  /** Requests received and not answered yet. */
  open(): number;
  /** Decides the answer to a request (called when it arrives, after it is recorded). */
  answer: (request: { channel: string; userIds: string[] }) => Answer | undefined;
  close(): Promise<void>;
}

/** Starts the fake platform API on a free port of 127.0.0.1. */
export async function startFakePlatform(): Promise<FakePlatform> {
  let openCount = 0;
  let counter = 0;
  const platform: FakePlatform = {
    url: '',
    received: [],
    open: () => openCount,
    answer: () => undefined,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      openCount += 1;
      const [, channel = '', kind] = (req.url ?? '').split('/');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        userId?: string;
        userIds?: string[];
        text: string;
      };
      const userIds = kind === 'batch' ? (body.userIds ?? []) : [body.userId ?? ''];
      const answer = platform.answer({ channel, userIds }) ?? {};
      const status = answer.status ?? 200;
      if (status === 200) {
        const at = Date.now();
        const worker = String(req.headers['x-worker'] ?? '');
        for (const userId of userIds)
          platform.received.push({ channel, userId, text: body.text, worker, at });
      }
      const reply = () => {
        openCount -= 1;
        counter += 1;
        res.writeHead(status, { 'content-type': 'application/json', ...answer.headers });
        res.end(
          JSON.stringify(
            status === 200
              ? kind === 'batch'
                ? { failed: [] }
                : { messageId: `${channel}-${counter}` }
              : { error: status },
          ),
        );
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  platform.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return platform;
}

/**
 * A channel that sends over real HTTP to the fake platform API (the real Messenger, Viber and
 * Zalo channels live on other branches): 429 -> RateLimitedError, 403 -> unreachable, 5xx and
 * network failures -> TransportError. With `batch`, it also offers `sendBatch` (Viber-like).
 */
export class HttpChannel implements Channel {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  sendBatch?: (
    userIds: string[],
    message: OutboundMessage,
  ) => Promise<{ failed: Array<{ userId: string; reason: string }> }>;

  constructor(
    readonly id: ChannelId,
    private readonly baseUrl: string,
    options: { batch?: boolean; worker?: string } = {},
  ) {
    this.worker = options.worker ?? String(process.pid);
    if (options.batch) {
      this.sendBatch = async (userIds, message) => {
        await this.post('batch', { userIds, text: message.text });
        return { failed: [] };
      };
    }
  }

  private readonly worker: string;

  registerRoutes(): void {}

  async send(userId: string, message: OutboundMessage): Promise<SendResult> {
    const body = (await this.post('send', { userId, text: message.text })) as { messageId: string };
    return { messageIds: [body.messageId] };
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private post(kind: string, payload: unknown): Promise<unknown> {
    const data = JSON.stringify(payload);
    const url = new URL(`${this.baseUrl}/${this.id}/${kind}`);
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(data),
            'x-worker': this.worker,
          },
          timeout: 10_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString('utf8');
            if (status === 200) return resolve(JSON.parse(text));
            if (status === 429) {
              const after = Number(res.headers['retry-after'] ?? 1);
              return reject(new RateLimitedError('rate limited', after * 1000, 429));
            }
            if (status === 403) return reject(new RecipientUnreachableError('blocked', 403));
            return reject(new TransportError(`HTTP ${status}`));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error) => reject(new TransportError(error.message, error)));
      req.end(data);
    });
  }
}
