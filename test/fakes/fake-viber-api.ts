import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received. */
export interface ViberApiCall {
  method: string;
  token: string | undefined;
  body: Record<string, unknown>;
  /** The message token answered by a default send_message / broadcast_message. */
  messageToken?: string;
}

/** Builds the raw JSON answer for a request (raw, so tests can send 64-bit integer literals). */
export type ViberApiAnswer = (body: Record<string, unknown>) => string;

/**
 * A local stand-in for `https://chatapi.viber.com` over real HTTP on port 0: records every call,
 * answers like Viber (status in the body, HTTP 200, 64-bit message tokens as bare numbers), and
 * refuses a wrong `X-Viber-Auth-Token` with status 2.
 */
export class FakeViberApi {
  readonly calls: ViberApiCall[] = [];
  private readonly answers = new Map<string, ViberApiAnswer>();
  private nextToken = 5741311803571721087n;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly token: string,
  ) {}

  /** Starts the fake on a free loopback port. */
  static async start(token: string): Promise<FakeViberApi> {
    const holder: { fake?: FakeViberApi } = {};
    const server = http.createServer((req, res) => holder.fake!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.fake = new FakeViberApi(server, `http://127.0.0.1:${port}`, token);
    return holder.fake;
  }

  /** Overrides the answer of one API method (e.g. "send_message"). */
  answer(method: string, answer: ViberApiAnswer): void {
    this.answers.set(method, answer);
  }

  /** The calls made to one method, in order. */
  callsTo(method: string): ViberApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** A fresh message token above 2^53, as Viber issues them. */
  token64(): string {
    this.nextToken += 1n;
    return this.nextToken.toString();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/pa\//, '');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
          string,
          unknown
        >;
      } catch {
        res.writeHead(400).end();
        return;
      }
      const token = req.headers['x-viber-auth-token'];
      const call: ViberApiCall = {
        method,
        token: typeof token === 'string' ? token : undefined,
        body,
      };
      this.calls.push(call);
      res.setHeader('content-type', 'application/json');
      if (token !== this.token) {
        res.end('{"status":2,"status_message":"invalidAuthToken"}');
        return;
      }
      const custom = this.answers.get(method);
      if (custom) {
        res.end(custom(body));
        return;
      }
      switch (method) {
        case 'send_message':
          call.messageToken = this.token64();
          res.end(
            `{"status":0,"status_message":"ok","message_token":${call.messageToken},"chat_hostname":"SN-CHAT-05_"}`,
          );
          return;
        case 'broadcast_message':
          call.messageToken = this.token64();
          res.end(
            `{"status":0,"status_message":"ok","message_token":${call.messageToken},"failed_list":[]}`,
          );
          return;
        case 'set_webhook':
          res.end(
            JSON.stringify({
              status: 0,
              status_message: 'ok',
              event_types: body.event_types ?? [],
            }),
          );
          return;
        default:
          res.writeHead(404).end('{"status":3,"status_message":"unknown method"}');
      }
    });
  }
}
