// `npm run bench:messenger`: how fast signed Messenger webhooks are verified, parsed, recorded and
// acknowledged, and how fast their turns reach a local fake Graph API (real HTTP both ways).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/app.js';
import { parseEnvelope } from '../src/channels/messenger/parse.js';
import { signatureFor, verifySignature } from '../src/channels/messenger/verify.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createServices } from '../src/services.js';
import { FakeGraphApi } from '../test/fakes/fake-graph-api.js';

const SECRET = 'bench-secret';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

function envelope(i: number): string {
  return JSON.stringify({
    object: 'page',
    entry: [
      {
        id: 'PAGE',
        time: 1_700_000_000_000 + i,
        messaging: [
          {
            sender: { id: `user${i % 500}` },
            recipient: { id: 'PAGE' },
            timestamp: 1_700_000_000_000 + i,
            message: { mid: `m.bench.${i}`, text: 'xin chào' },
          },
        ],
      },
    ],
  });
}

function pureCost(): number {
  const body = Buffer.from(envelope(1));
  const header = signatureFor(body, SECRET);
  const n = 20_000;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    if (!verifySignature(body, header, [SECRET]).ok) throw new Error('bad signature');
    parseEnvelope(JSON.parse(body.toString('utf8')));
  }
  return (performance.now() - start) / n;
}

async function main(): Promise<void> {
  const graph = new FakeGraphApi();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llw-bench-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    MESSENGER_APP_SECRET: SECRET,
    MESSENGER_PAGE_ACCESS_TOKEN: 'bench-token',
    MESSENGER_VERIFY_TOKEN: 'bench-verify',
    MESSENGER_API_URL: await graph.start(),
  });
  const services = await createServices(config, { logger: createLogger('silent') });
  const app = await buildApp(config, services);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

  const post = (i: number) =>
    new Promise<number>((resolve, reject) => {
      const body = envelope(i);
      const started = performance.now();
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/webhooks/messenger',
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-hub-signature-256': signatureFor(body, SECRET),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200
              ? resolve(performance.now() - started)
              : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const perRequestMs = pureCost();
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) latencies.push(await post(next++));
    }),
  );
  const ackedAt = performance.now();
  await services.inbox.idle();
  const doneAt = performance.now();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
  const sent = graph.messages().length;

  process.stdout.write(
    [
      `verify + JSON.parse + parse: ${(perRequestMs * 1000).toFixed(1)} µs per request`,
      `${REQUESTS} signed webhooks, ${CONCURRENCY} at a time (SQLite, in-process coordination):`,
      `  acknowledged: ${((REQUESTS * 1000) / (ackedAt - start)).toFixed(0)} req/s, ack latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
      `  turns answered at the fake Graph API: ${sent} in ${((doneAt - start) / 1000).toFixed(2)} s (${((sent * 1000) / (doneAt - start)).toFixed(0)}/s end to end)`,
      '',
    ].join('\n'),
  );
  agent.destroy();
  await app.close();
  await services.close();
  await graph.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

void main();
