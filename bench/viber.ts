// Measures the Viber channel on this machine: `npm run bench:viber`.
// 1. verify + parse per callback (pure), 2. signed webhooks per second over real HTTP,
// 3. CPU per send_message: our keep-alive client against Node's global fetch.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ViberClient } from '../src/channels/viber/client.js';
import { parseViberCallback } from '../src/channels/viber/parse.js';
import { signViberBody, verifyViberSignature } from '../src/channels/viber/verify.js';
import { startTestApp } from '../test/helpers/app.js';
import { FakeViberApi } from '../test/fakes/fake-viber-api.js';

const TOKEN = '44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a07050b3';
const message = (token: bigint, user = 'benchUser==') =>
  `{"event":"message","timestamp":1727760000000,"message_token":${token},"sender":{"id":"${user}","language":"vi","api_version":10},"message":{"type":"text","text":"xin chào"}}`;

function pure(): void {
  const body = Buffer.from(message(5741311803571721087n));
  const sig = signViberBody(body, TOKEN);
  const n = 100_000;
  for (let i = 0; i < 10_000; i++) verifyViberSignature(body, sig, undefined, [TOKEN]);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    verifyViberSignature(body, sig, undefined, [TOKEN]);
    parseViberCallback(body);
  }
  const us = Number(process.hrtime.bigint() - start) / n / 1000;
  console.log(`verify + parse: ${us.toFixed(1)} µs per callback`);
}

/** Sends `total` signed callbacks with `concurrency` in flight; returns requests per second. */
async function load(
  port: number,
  bodies: (i: number) => string,
  total: number,
  concurrency = 32,
): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const body = bodies(next++);
      await new Promise<void>((resolve, reject) => {
        const req = http.request(
          {
            port,
            host: '127.0.0.1',
            path: '/webhooks/viber',
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'x-viber-content-signature': signViberBody(body, TOKEN),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  return total / seconds;
}

async function webhooks(): Promise<void> {
  const api = await FakeViberApi.start(TOKEN);
  const t = await startTestApp({
    env: { VIBER_AUTH_TOKEN: TOKEN, VIBER_BOT_NAME: 'Bench', VIBER_API_URL: api.url },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (t.app.server.address() as AddressInfo).port;
  const webhook = await load(
    port,
    () => '{"event":"webhook","timestamp":1,"message_token":5466394344559121456}',
    20_000,
  );
  console.log(`webhook callbacks (verify, parse, 200): ${Math.round(webhook)} /s`);
  let token = 6000000000000000000n;
  const receipts = await load(
    port,
    (i) =>
      `{"event":"delivered","timestamp":1,"message_token":${token++},"user_id":"u${i % 500}=="}`,
    10_000,
  );
  console.log(
    `delivered receipts (+ durable inbox insert before the ack): ${Math.round(receipts)} /s`,
  );
  await t.services.inbox.idle();
  const messages = await load(port, (i) => message(token++, `user${i % 200}==`), 2_000);
  await t.services.inbox.idle();
  console.log(`"xin chào" messages acked (turns run after the ack): ${Math.round(messages)} /s`);
  await t.close();
  await api.close();
}

async function clients(): Promise<void> {
  const api = await FakeViberApi.start(TOKEN);
  const body = {
    receiver: 'u1==',
    type: 'text' as const,
    text: 'Xin chào',
    sender: { name: 'Bench' },
  };
  const client = new ViberClient({ apiUrl: api.url, authToken: TOKEN });
  const viaFetch = () =>
    fetch(`${api.url}/pa/send_message`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-viber-auth-token': TOKEN },
      body: JSON.stringify(body),
    }).then((r) => r.text());
  const measure = async (name: string, send: () => Promise<unknown>) => {
    const n = 3000;
    for (let i = 0; i < 300; i++) await send();
    api.calls.length = 0;
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i += 10) await Promise.all(Array.from({ length: 10 }, send));
    const used = process.cpuUsage(cpu);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    // The fake API runs in this process too: its share is the same for both clients.
    console.log(
      `${name}: ${((used.user + used.system) / n / 1000).toFixed(3)} ms CPU per send (client + fake API), ${Math.round((n / ms) * 1000)} sends/s`,
    );
  };
  await measure('ViberClient (keep-alive http.Agent)', () => client.sendMessage(body));
  await measure('global fetch', viaFetch);
  client.close();
  await api.close();
}

pure();
await webhooks();
await clients();
