import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ZaloCsRequest } from '../../src/channels/zalo/wire.js';

/** One CS message the fake OA API accepted (or refused), with the token it came with. */
export interface FakeZaloMessage {
  accessToken: string;
  body: ZaloCsRequest;
  /** 0 when accepted, else the Zalo error code answered. */
  error: number;
  /** The message id answered for an accepted message (receipts name it). */
  messageId?: string;
}

/** A local Zalo OA API v3 + OAuth v4 server over real HTTP (port 0). */
export interface FakeZalo {
  url: string;
  /** Every CS request, in arrival order. */
  requests: FakeZaloMessage[];
  /** CS messages that were accepted. */
  delivered(): FakeZaloMessage[];
  /** Calls to /v4/oa/access_token (valid or not). */
  refreshCalls: number;
  /** Refresh calls that presented a refresh token already spent (must stay 0). */
  reusedRefreshTokens: number;
  /** The access token the fake currently accepts. */
  accessToken: string;
  /** The refresh token the fake currently accepts (single-use). */
  refreshToken: string;
  /** Stops accepting the current access token (as if it expired): CS answers -216. */
  expireAccessToken(): void;
  /** The next CS requests answer these Zalo error codes, in order. */
  failNext(...codes: number[]): void;
  close(): Promise<void>;
}

/** Starts the fake; `refreshDelayMs` holds each refresh a while so races have room to happen. */
export async function startFakeZalo(options: {
  appId: string;
  appSecret: string;
  accessToken: string;
  refreshToken: string;
  refreshDelayMs?: number;
}): Promise<FakeZalo> {
  const spent = new Set<string>();
  const queuedErrors: number[] = [];
  let issued = 0;
  let messageCounter = 0;

  const fake: FakeZalo = {
    url: '',
    requests: [],
    delivered: () => fake.requests.filter((r) => r.error === 0),
    refreshCalls: 0,
    reusedRefreshTokens: 0,
    accessToken: options.accessToken,
    refreshToken: options.refreshToken,
    expireAccessToken() {
      fake.accessToken = `expired-${fake.accessToken}`;
    },
    failNext(...codes) {
      queuedErrors.push(...codes);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const answer = (res: http.ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (req.method === 'POST' && req.url === '/v3.0/oa/message/cs') {
        const token = String(req.headers.access_token ?? '');
        const body = JSON.parse(text) as ZaloCsRequest;
        let error = 0;
        if (token !== fake.accessToken) error = -216;
        else if (queuedErrors.length > 0) error = queuedErrors.shift()!;
        if (error !== 0) {
          fake.requests.push({ accessToken: token, body, error });
          return answer(res, { error, message: `fake error ${error}` });
        }
        messageCounter += 1;
        const messageId = `fake-msg-${messageCounter}`;
        fake.requests.push({ accessToken: token, body, error, messageId });
        return answer(res, {
          error: 0,
          message: 'Success',
          data: {
            message_id: messageId,
            user_id:
              'user_id' in body.recipient ? body.recipient.user_id : body.recipient.anonymous_id,
          },
        });
      }
      if (req.method === 'POST' && req.url === '/v4/oa/access_token') {
        fake.refreshCalls += 1;
        const form = new URLSearchParams(text);
        const presented = form.get('refresh_token') ?? '';
        const respond = () => {
          if (spent.has(presented)) fake.reusedRefreshTokens += 1;
          if (
            req.headers.secret_key !== options.appSecret ||
            form.get('app_id') !== options.appId ||
            form.get('grant_type') !== 'refresh_token' ||
            presented !== fake.refreshToken
          ) {
            return answer(res, { error: -14014, error_name: 'Invalid refresh token' });
          }
          spent.add(presented);
          issued += 1;
          fake.accessToken = `fake-access-${issued}`;
          fake.refreshToken = `fake-refresh-${issued}`;
          return answer(res, {
            access_token: fake.accessToken,
            refresh_token: fake.refreshToken,
            expires_in: '90000',
          });
        };
        if (options.refreshDelayMs) setTimeout(respond, options.refreshDelayMs);
        else respond();
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: -404, message: 'not found' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
