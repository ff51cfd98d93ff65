import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MessengerApiClient } from '../../src/channels/messenger/client.js';
import { ViberClient } from '../../src/channels/viber/client.js';
import { ZaloClient } from '../../src/channels/zalo/client.js';
import { HttpFailure, KeepAliveClient } from '../../src/core/http-client.js';

/** A local platform API that answers `answer` and counts TCP connections and requests. */
async function startApi(
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<{
  url: string;
  connections: () => number;
  requests: () => number;
  close(): Promise<void>;
}> {
  let connections = 0;
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => answer(req, res));
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers 200 with `body` as JSON; bigints are written bare, as Viber writes 64-bit tokens. */
const json = (body: unknown) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
  const text = JSON.stringify(body, (_k, v: unknown) =>
    typeof v === 'bigint' ? `@@${v.toString()}@@` : v,
  ).replace(/"@@(\d+)@@"/g, '$1');
  res.writeHead(200, { 'content-type': 'application/json' }).end(text);
};

// nock's interception (test/setup.ts) opens a socket per request even for loopback pass-through,
// which would hide what this file checks; only loopback servers are used here.
beforeAll(() => {
  nock.restore();
});
afterAll(() => {
  nock.activate();
});

const open: Array<{ close(): Promise<void> | void }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

// Every platform's send path: five sends in a row go over one pooled connection (no TCP
// handshake per message), and each still returns the platform's message id.
describe.each([
  {
    name: 'Messenger Send API',
    answer: { recipient_id: 'P', message_id: 'm_1' },
    id: 'm_1',
    send: (url: string) => {
      const client = new MessengerApiClient({
        appSecrets: ['s'],
        pageAccessToken: 'token',
        verifyToken: 'v',
        apiUrl: url,
        graphVersion: 'v25.0',
      });
      return { send: () => client.send('P', { text: 'x' }, 'reply'), close: () => client.close() };
    },
  },
  {
    name: 'Zalo CS message',
    answer: { error: 0, message: 'Success', data: { message_id: 'z_1', user_id: 'u' } },
    id: 'z_1',
    send: (url: string) => {
      const client = new ZaloClient({ apiUrl: url, oauthUrl: url, appId: 'a', appSecret: 's' });
      return {
        send: () =>
          client.sendMessage('t', { recipient: { user_id: 'u' }, message: { text: 'x' } }),
        close: () => client.close(),
      };
    },
  },
  {
    name: 'Viber send_message',
    answer: { status: 0, status_message: 'ok', message_token: 5741311803571721004n },
    id: '5741311803571721004',
    send: (url: string) => {
      const client = new ViberClient({ apiUrl: url, authToken: 't' });
      return {
        send: async () =>
          (
            await client.sendMessage({
              receiver: 'u',
              type: 'text',
              text: 'x',
              sender: { name: 'b' },
            })
          ).messageToken,
        close: () => client.close(),
      };
    },
  },
])('$name', ({ answer, id, send }) => {
  it('reuses one keep-alive connection for consecutive sends', async () => {
    const api = await startApi(json(answer));
    open.push(api);
    const client = send(api.url);
    open.push(client);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await client.send());
    expect(ids).toEqual([id, id, id, id, id]);
    expect(api.requests()).toBe(5);
    expect(api.connections()).toBe(1);
  });
});

describe('KeepAliveClient', () => {
  it('gives up after the timeout with a reason that names it', async () => {
    const api = await startApi(() => undefined);
    open.push(api);
    const client = new KeepAliveClient({ timeoutMs: 200 });
    open.push(client);
    const error = await client.post(`${api.url}/x`, {}, '{}').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpFailure);
    expect((error as HttpFailure).reason).toBe('no answer within 200 ms');
  });

  it('refuses an answer larger than 1 MB', async () => {
    const api = await startApi((_req, res) => res.end(Buffer.alloc(1024 * 1024 + 10, 'a')));
    open.push(api);
    const client = new KeepAliveClient({ timeoutMs: 5000 });
    open.push(client);
    const error = await client.post(`${api.url}/x`, {}, '{}').catch((e: unknown) => e);
    expect((error as HttpFailure).reason).toBe('answer larger than 1 MB');
  });

  it('names a refused connection by its code, never by the URL (whose query may hold a token)', async () => {
    const api = await startApi(json({}));
    const url = `${api.url}/x?access_token=secret`;
    await api.close();
    const client = new KeepAliveClient({ timeoutMs: 5000 });
    open.push(client);
    const error = (await client.post(url, {}, '{}').catch((e: unknown) => e)) as HttpFailure;
    expect(error.reason).toBe('ECONNREFUSED');
    expect(error.message).not.toContain('secret');
  });

  it('posts each URL to its own path and query, also past the parsed-URL cache', async () => {
    const seen: string[] = [];
    const api = await startApi((req, res) => {
      seen.push(`${req.headers.host} ${req.url}`);
      res.end('{}');
    });
    open.push(api);
    const other = await startApi((req, res) => {
      seen.push(`other ${req.url}`);
      res.end('{}');
    });
    open.push(other);
    const client = new KeepAliveClient({ timeoutMs: 5000 });
    open.push(client);
    const urls = Array.from({ length: 70 }, (_, i) => `${api.url}/send/${i}?token=t${i}`);
    urls.splice(3, 0, `${other.url}/elsewhere?x=1`, urls[0]!);
    for (const url of urls) await client.post(url, {}, '{}');
    const host = new URL(api.url).host;
    expect(seen).toEqual(
      urls.map((url) =>
        url.startsWith(other.url) ? 'other /elsewhere?x=1' : `${host} ${url.slice(api.url.length)}`,
      ),
    );
  });
});
