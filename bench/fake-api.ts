// The fake platform API of the broadcast benchmark, in its own process so it does not share the
// engine's event loop: answers every send with 200, counts messages per user and per channel.
// GET /stats -> {messages, unique, duplicates, channels: {name: {requests, messages, first, last}}}.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const perUser = new Map<string, number>();
const channels = new Map<
  string,
  { requests: number; messages: number; first: number; last: number }
>();
let messages = 0;
let counter = 0;

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/stats') {
      let duplicates = 0;
      for (const n of perUser.values()) duplicates += n - 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          messages,
          unique: perUser.size,
          duplicates,
          channels: Object.fromEntries(channels),
        }),
      );
      return;
    }
    if (req.method === 'POST' && req.url === '/reset') {
      perUser.clear();
      channels.clear();
      messages = 0;
      res.end('{}');
      return;
    }
    const [, channel = '', kind] = (req.url ?? '').split('/');
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      userId?: string;
      userIds?: string[];
    };
    const users = kind === 'batch' ? (body.userIds ?? []) : [body.userId ?? ''];
    const now = Date.now();
    const c = channels.get(channel) ?? { requests: 0, messages: 0, first: now, last: now };
    c.requests += 1;
    c.messages += users.length;
    c.last = now;
    channels.set(channel, c);
    for (const u of users)
      perUser.set(`${channel}:${u}`, (perUser.get(`${channel}:${u}`) ?? 0) + 1);
    messages += users.length;
    counter += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(kind === 'batch' ? '{"failed":[]}' : `{"messageId":"${channel}-${counter}"}`);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
});
