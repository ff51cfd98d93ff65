// `npm run bench:long`: does a turn cost more once one process has handled a million messages?
// The project's server (SQLite, its embedded default; or PostgreSQL + Redis with BENCH_PG=1) runs
// in its own child process and gets BENCH_MESSAGES (1,000,000) signed Messenger "xin chào" from
// BENCH_USERS (10,000) senders with unique message ids over BENCH_CONNECTIONS (16), end to end:
// a turn counts once the local fake Graph API received its reply. Every BENCH_WINDOW (50,000)
// messages it prints the window's turns/s, server CPU µs per turn, ack p99, RSS and data size;
// at the end, the last windows against the first ones. Nothing is kept between runs.
import os from 'node:os';
import { dropSchema } from '../test/helpers/app.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from '../test/helpers/env.js';
import { messengerEnv, signedTextRequest } from '../test/helpers/messenger.js';
import { FakeGraphApi } from '../test/fakes/fake-graph-api.js';
import { spawnServer, stopServer } from './child.js';
import { load, quantile, type LoadRequest } from './load.js';
import { dropKeys } from './redis-keys.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 50_000);
const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const WITH_PG = process.env.BENCH_PG === '1';
const PORT = 3213;
const ROUTE = '/webhooks/messenger';

let mids = 0;

/** A signed "xin chào" from sender `user` with a new message id. */
const hello = (user: string): LoadRequest =>
  signedTextRequest(ROUTE, user, `m.long.${(mids += 1)}`, 'xin chào');

interface Window {
  upTo: number;
  perSecond: number;
  cpuMicros: number;
  p99: number;
  rssMb: number;
  heapMb: number;
  dataMb: number;
  failures: number;
}

/** Waits (up to 2 minutes without progress) until the fake API accepted `target` replies. */
async function replies(graph: FakeGraphApi, target: number): Promise<number> {
  let seen = graph.acceptedCount;
  let at = performance.now();
  let lastProgress = Date.now();
  while (seen < target && Date.now() - lastProgress < 120_000) {
    await new Promise((r) => setTimeout(r, 2));
    if (graph.acceptedCount !== seen) {
      seen = graph.acceptedCount;
      at = performance.now();
      lastProgress = Date.now();
    }
  }
  return at;
}

const mean = (rows: Window[], pick: (w: Window) => number) =>
  rows.reduce((sum, w) => sum + pick(w), 0) / Math.max(1, rows.length);

const graph = new FakeGraphApi({ record: false });
await graph.start();
const pgSchema = uniqueName('benchlong');
const keyPrefix = uniqueName('llwlong');
const env: Record<string, string> = { ...messengerEnv(graph.url), BENCH_PORT: String(PORT) };
if (WITH_PG)
  Object.assign(env, {
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    BENCH_PG_SCHEMA: pgSchema,
    BENCH_KEY_PREFIX: keyPrefix,
  });
const backend = WITH_PG ? 'PostgreSQL + Redis' : 'SQLite';
process.stdout.write(
  `${MESSAGES} messages from ${USERS} senders over ${CONNECTIONS} connections, ${backend}, windows of ${WINDOW}; load average ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores\n` +
    '| messages so far | turns/s | CPU µs per turn | ack p99 ms | server RSS MB | live heap MB | data MB | not answered |\n' +
    '|---|---|---|---|---|---|---|---|\n',
);
// --expose-gc: the server collects garbage before each reading, so the heap column is live data.
const server = await spawnServer('bench/compare-server.ts', env, { nodeArgs: ['--expose-gc'] });
const windows: Window[] = [];
try {
  let sent = 0;
  while (sent < MESSAGES) {
    const size = Math.min(WINDOW, MESSAGES - sent);
    const base = sent;
    const before = await server.call('stats');
    const repliedBefore = graph.acceptedCount;
    const started = performance.now();
    const result = await load(PORT, (i) => hello(String((base + i) % USERS)), {
      connections: CONNECTIONS,
      seconds: Infinity,
      max: size,
    });
    const acked = result.requests - result.failures;
    const doneAt = await replies(graph, repliedBefore + acked);
    await server.call('idle');
    const after = await server.call('stats');
    const answered = graph.acceptedCount - repliedBefore;
    sent += size;
    const window: Window = {
      upTo: sent,
      perSecond: answered / ((doneAt - started) / 1000),
      cpuMicros: (after.cpuMicros! - before.cpuMicros!) / Math.max(1, answered),
      p99: quantile(result.latencies, 0.99),
      rssMb: after.rss! / 2 ** 20,
      heapMb: after.heapUsed! / 2 ** 20,
      dataMb: after.dataBytes! / 2 ** 20,
      failures: result.failures + (acked - answered),
    };
    windows.push(window);
    process.stdout.write(
      `| ${window.upTo} | ${window.perSecond.toFixed(0)} | ${window.cpuMicros.toFixed(0)} | ${window.p99.toFixed(1)} | ${window.rssMb.toFixed(0)} | ${window.heapMb.toFixed(0)} | ${window.dataMb.toFixed(0)} | ${window.failures} |\n`,
    );
  }
} finally {
  await stopServer(server);
  await graph.close();
  if (WITH_PG) {
    await dropSchema(pgSchema);
    await dropKeys(keyPrefix);
  }
}
// The first window warms the process up (JIT, caches), so the comparison starts at the second.
const span = Math.max(1, Math.floor(windows.length / 5));
const first = windows.slice(1, 1 + span);
const last = windows.slice(-span);
const ratio = (pick: (w: Window) => number) => (mean(last, pick) / mean(first, pick)).toFixed(2);
process.stdout.write(
  `last ${span} window(s) against windows 2-${1 + span}: ${ratio((w) => w.perSecond)}× the turns/s, ` +
    `${ratio((w) => w.cpuMicros)}× the CPU per turn, ${ratio((w) => w.p99)}× the ack p99; ` +
    `${windows.reduce((n, w) => n + w.failures, 0)} messages not answered; load average at the end ${os.loadavg()[0]!.toFixed(2)}\n`,
);
