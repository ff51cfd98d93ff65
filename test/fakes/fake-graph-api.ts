import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake Graph API received. */
export interface GraphRequest {
  method: string;
  /** Path without the query string, e.g. `/v25.0/me/messages`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
}

/** A canned answer for the next request(s). */
export interface GraphAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * A local stand-in for graph.facebook.com (real HTTP on 127.0.0.1, port 0): records every
 * request and answers like the Send and Messenger Profile APIs, or with queued failures.
 */
export class FakeGraphApi {
  readonly requests: GraphRequest[] = [];
  private readonly queued: GraphAnswer[] = [];
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private sent = 0;
  private held: Promise<void> | undefined;
  private releaseHeld: (() => void) | undefined;
  /** Base URL once started. */
  url = '';

  /** Starts listening; resolves with the base URL to put in MESSENGER_API_URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  /** Answers the next request with this instead of success. */
  failNext(answer: GraphAnswer): void {
    this.queued.push(answer);
  }

  /** Holds every answer until `release()` (a slow Graph API, without timers). */
  hold(): void {
    this.held = new Promise((resolve) => {
      this.releaseHeld = resolve;
    });
  }

  /** Lets held answers go. */
  release(): void {
    this.releaseHeld?.();
    this.held = undefined;
  }

  /** The Send API calls received, in order. */
  messages(): Array<{ query: Record<string, string>; body: SentBody }> {
    return this.requests
      .filter((r) => r.path.endsWith('/me/messages'))
      .map((r) => ({ query: r.query, body: r.body as SentBody }));
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // Recorded as text: a test asserting on it will show what was sent.
      }
      this.requests.push({
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body,
      });
      const answer = this.queued.shift() ?? this.success(url.pathname, body);
      void (this.held ?? Promise.resolve()).then(() => {
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body));
      });
    });
  }

  private success(path: string, body: unknown): GraphAnswer {
    if (path.endsWith('/me/messages')) {
      this.sent += 1;
      const recipient = (body as SentBody | undefined)?.recipient?.id ?? '';
      return { status: 200, body: { recipient_id: recipient, message_id: `m_fake_${this.sent}` } };
    }
    if (path.endsWith('/me/messenger_profile')) return { status: 200, body: { result: 'success' } };
    return {
      status: 404,
      body: { error: { message: 'Unknown path', type: 'GraphMethodException', code: 100 } },
    };
  }
}

/** A Send API request body as the fake received it. */
export interface SentBody {
  messaging_type?: string;
  recipient?: { id?: string };
  message?: {
    text?: string;
    quick_replies?: Array<{ content_type: string; title: string; payload: string }>;
    attachment?: {
      type: string;
      payload: { template_type: string; text: string; buttons: unknown[] };
    };
  };
}
