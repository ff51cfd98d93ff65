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
  /** While set, every Send API call is refused this way (an outage) instead of succeeding. */
  private outageMode: 'error' | 'rate-limit' | 'hang' | undefined;
  private readonly hanging = new Set<http.ServerResponse>();
  /** Send API bodies the fake accepted (answered 200), in order. */
  readonly accepted: SentBody[] = [];
  /** Send API calls answered with a failure or left hanging. */
  refused = 0;
  /** Every answer waits this long (a slow API); the request is recorded when it arrives. */
  delayMs = 0;
  private releaseHeld: (() => void) | undefined;
  /** Base URL once started. */
  url = '';
  /** Send API calls answered 200, counted also when nothing is recorded. */
  acceptedCount = 0;

  /**
   * `record: false` keeps no request and no body, only the counts: a bench of a million
   * messages would otherwise hold them all in memory.
   */
  constructor(private readonly options: { record?: boolean } = {}) {}

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

  /**
   * A platform outage: Send API calls get HTTP 500 `is_transient` (`error`), 429 with code 613
   * (`rate-limit`) or no answer at all (`hang`, the client times out), until `outage(undefined)`.
   * Hanging connections are dropped when the outage ends, as a restarted API would.
   */
  outage(mode: 'error' | 'rate-limit' | 'hang' | undefined): void {
    this.outageMode = mode;
    if (mode !== 'hang') {
      for (const res of this.hanging) res.destroy();
      this.hanging.clear();
    }
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
    for (const res of this.hanging) res.destroy();
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
      const record = this.options.record !== false;
      if (record)
        this.requests.push({
          method: req.method ?? '',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          body,
        });
      if (this.outageMode && url.pathname.endsWith('/me/messages')) {
        this.refused += 1;
        if (this.outageMode === 'hang') {
          this.hanging.add(res);
          res.on('close', () => this.hanging.delete(res));
          return;
        }
        const rate = this.outageMode === 'rate-limit';
        res.writeHead(rate ? 429 : 500, {
          'content-type': 'application/json',
          ...(rate ? { 'retry-after': '1' } : {}),
        });
        res.end(
          JSON.stringify({
            error: rate
              ? { message: 'Calls to this api have exceeded the rate limit.', code: 613 }
              : { message: 'An unexpected error has occurred.', code: 2, is_transient: true },
          }),
        );
        return;
      }
      const answer = this.queued.shift() ?? this.success(url.pathname, body);
      if (answer.status === 200 && url.pathname.endsWith('/me/messages')) {
        this.acceptedCount += 1;
        if (record) this.accepted.push(body as SentBody);
      }
      const delay = this.delayMs
        ? new Promise<void>((r) => setTimeout(r, this.delayMs))
        : Promise.resolve();
      void Promise.all([this.held, delay]).then(() => {
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
