import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';

/** A platform API's answer, read whole. */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * No (complete) answer: the network failed, the time ran out, or the answer was cut off or too
 * big. `reason` is short and safe to show ("ECONNRESET", "no answer within 10000 ms"): it never
 * holds the URL, whose query may carry a token.
 */
export class HttpFailure extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'HttpFailure';
  }
}

const MAX_ANSWER_BYTES = 1024 * 1024;

/** Why a call that ran out of time was torn down. */
class TimedOut extends Error {
  constructor() {
    super('timed out');
  }
}

/**
 * Outbound HTTP over pooled keep-alive connections (one pool per scheme, reused across calls),
 * so a send does not pay a TCP and TLS handshake each time. Channels map statuses and bodies to
 * their typed errors; this only moves bytes.
 */
export class KeepAliveClient {
  /** The pools, for a library that takes agents (axios: `httpAgent` / `httpsAgent`). */
  readonly agents: { httpAgent: http.Agent; httpsAgent: https.Agent };
  private readonly targets = new Map<string, http.RequestOptions>();

  constructor(private readonly options: { timeoutMs: number; maxSockets?: number }) {
    const pool = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
    this.agents = { httpAgent: new http.Agent(pool), httpsAgent: new https.Agent(pool) };
  }

  /** POSTs `body`; resolves with any HTTP answer, rejects with HttpFailure when there is none. */
  post(url: string, headers: Record<string, string>, body: string): Promise<HttpAnswer> {
    const target = this.target(url);
    const secure = target.protocol === 'https:';
    const request = secure ? https.request : http.request;
    const { timeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      // One timer for the whole call, answer included (AbortSignal.timeout costs a signal, its
      // listeners and a timer per call: about 2% of a turn).
      const timer = setTimeout(() => req.destroy(new TimedOut()), timeoutMs);
      const fail = (reason: string, cause?: unknown) => {
        clearTimeout(timer);
        reject(new HttpFailure(reason, cause === undefined ? undefined : { cause }));
      };
      const req = request(
        {
          ...target,
          method: 'POST',
          agent: secure ? this.agents.httpsAgent : this.agents.httpAgent,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) {
              res.destroy();
              fail('answer larger than 1 MB');
              return;
            }
            chunks.push(chunk);
          });
          res.on('error', (error) => fail('answer interrupted', error));
          res.on('end', () => {
            clearTimeout(timer);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        fail(
          error instanceof TimedOut
            ? `no answer within ${timeoutMs} ms`
            : (error.code ?? 'network error'),
          error,
        );
      });
      req.end(body);
    });
  }

  /**
   * A URL as request options, parsed once: the same few URLs (a platform's send endpoint) are
   * posted to on every turn, and handing node:http a URL object costs it a conversion each time
   * (about 5 µs of a send).
   */
  private target(url: string): http.RequestOptions {
    let target = this.targets.get(url);
    if (!target) {
      if (this.targets.size >= 64) this.targets.clear();
      target = urlToHttpOptions(new URL(url));
      this.targets.set(url, target);
    }
    return target;
  }

  /** Closes the pooled connections. */
  close(): void {
    this.agents.httpAgent.destroy();
    this.agents.httpsAgent.destroy();
  }
}
