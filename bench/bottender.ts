// `npm run bench:bottender`: the project's Messenger webhook end to end beside Bottender 1.5.5 and
// a bare Fastify route, in one run, each server in its own child process. Bottender is installed
// with --ignore-scripts (its ngrok dependency's postinstall downloads a binary) into a cache folder
// outside the repository (BOTTENDER_DIR, default <tmp>/llw-bench-bottender), reused when present.
// Same load for all: signed Messenger "xin chào" (X-Hub-Signature and X-Hub-Signature-256) with
// unique message ids from BENCH_USERS senders (500) over BENCH_CONNECTIONS (16) for BENCH_SECONDS
// (5); a turn counts once the local fake Graph API received its reply. BENCH_PG=0 skips
// PostgreSQL + Redis; BENCH_PROFILE=<dir> writes a --cpu-prof of the project's SQLite server.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropSchema } from '../test/helpers/app.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from '../test/helpers/env.js';
import { MESSENGER_TEST, messengerEnv, signedTextRequest } from '../test/helpers/messenger.js';
import { FakeGraphApi } from '../test/fakes/fake-graph-api.js';
import { spawnServer, stopServer, type BenchServer } from './child.js';
import { load, quantile, type LoadRequest, type LoadResult } from './load.js';
import { dropKeys } from './redis-keys.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const USERS = Number(process.env.BENCH_USERS ?? 500);
const WITH_PG = process.env.BENCH_PG !== '0';
const PROFILE = process.env.BENCH_PROFILE;
const VERSION = '1.5.5';
const PORT = 3212;
const APP_ID = '100200300';

/** Installs Bottender into the cache folder unless that version is there; returns the folder. */
function ensureBottender(): string {
  const dir = path.resolve(
    process.env.BOTTENDER_DIR ?? path.join(os.tmpdir(), 'llw-bench-bottender'),
  );
  const installed = path.join(dir, 'node_modules/bottender/package.json');
  if (fs.existsSync(installed)) {
    const { version } = JSON.parse(fs.readFileSync(installed, 'utf8')) as { version: string };
    if (version === VERSION) {
      process.stdout.write(`Bottender ${VERSION} found in ${dir}, reused\n`);
      return dir;
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  const manifest = path.join(dir, 'package.json');
  if (!fs.existsSync(manifest))
    fs.writeFileSync(manifest, JSON.stringify({ name: 'llw-bench-bottender', private: true }));
  const args = ['i', `bottender@${VERSION}`, '--no-audit', '--no-fund', '--ignore-scripts'];
  process.stdout.write(`installing Bottender in ${dir}: npm ${args.join(' ')}\n`);
  execFileSync('npm', args, { cwd: dir, stdio: 'inherit' });
  return dir;
}

/** Writes the minimal bot (config and entry, CommonJS as Bottender loads them); returns its folder. */
function writeBot(dir: string): string {
  const bot = path.join(dir, 'bot');
  fs.mkdirSync(bot, { recursive: true });
  fs.writeFileSync(
    path.join(bot, 'bottender.config.js'),
    `module.exports = {
  session: { driver: 'memory', stores: { memory: { maxSize: ${USERS * 4} } } },
  channels: {
    messenger: {
      enabled: true,
      path: '/webhooks/messenger',
      pageId: 'PAGE',
      accessToken: process.env.MESSENGER_ACCESS_TOKEN,
      appId: process.env.MESSENGER_APP_ID,
      appSecret: process.env.MESSENGER_APP_SECRET,
      verifyToken: process.env.MESSENGER_VERIFY_TOKEN,
      origin: process.env.MESSENGER_ORIGIN,
    },
  },
};
`,
  );
  fs.writeFileSync(
    path.join(bot, 'index.js'),
    `module.exports = async function App(context) {
  if (context.event.isText) await context.sendText('Xin chào! Cảm ơn bạn đã nhắn tin.');
};
`,
  );
  return bot;
}

let mids = 0;

/** A signed "xin chào" from sender `user` with a new message id. */
const hello = (route: string, user: string): LoadRequest =>
  signedTextRequest(route, user, `m.bench.${(mids += 1)}`, 'xin chào');

interface Row {
  name: string;
  perSecond: number;
  cpuMicros: number;
  result: LoadResult;
  rss: number;
  note: string;
}

const rows: Row[] = [];
let runs = 0;

/**
 * Loads a server with new senders (a fresh id range per run); with `replies`, waits until the
 * fake Graph API has one reply per acknowledged webhook and counts the time until the last one.
 */
async function measure(
  server: BenchServer,
  name: string,
  route: string,
  graph?: FakeGraphApi,
): Promise<Row> {
  const range = (runs += 1) * 1_000_000;
  const make = (base: number) => (i: number) => hello(route, String(base + (i % USERS)));
  const options = { connections: CONNECTIONS, max: 1_000_000 };
  // Warm-up: other senders, so the measured ones are still new to the bot.
  const warmBefore = graph?.accepted.length ?? 0;
  const warm = await load(PORT, make(range + 500_000), { ...options, seconds: 0.5 });
  if (graph) await replies(graph, warmBefore + warm.requests - warm.failures);
  const before = await server.call('stats');
  const sentBefore = graph?.accepted.length ?? 0;
  const started = performance.now();
  const result = await load(PORT, make(range), { ...options, seconds: SECONDS });
  const acked = result.requests - result.failures;
  let count = acked;
  let seconds = result.seconds;
  let note = result.failures > 0 ? `${result.failures} non-200` : '';
  if (graph) {
    const done = await replies(graph, sentBefore + acked);
    await server.call('idle');
    seconds = (done.at - started) / 1000;
    count = done.count - sentBefore;
    note = `${count} replies for ${acked} acknowledged webhooks ${note}`.trim();
  }
  const after = await server.call('stats');
  const row = {
    name,
    perSecond: count / seconds,
    cpuMicros: (after.cpuMicros! - before.cpuMicros!) / Math.max(1, count),
    result,
    rss: after.rss!,
    note,
  };
  rows.push(row);
  return row;
}

/** Waits (up to 2 minutes) until the fake API accepted `target` sends; when the last arrived. */
async function replies(
  graph: FakeGraphApi,
  target: number,
): Promise<{ count: number; at: number }> {
  const deadline = Date.now() + 120_000;
  let seen = graph.accepted.length;
  let at = performance.now();
  while (seen < target && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2));
    if (graph.accepted.length !== seen) {
      seen = graph.accepted.length;
      at = performance.now();
    }
  }
  return { count: seen, at };
}

async function bare(): Promise<Row> {
  const server = await spawnServer('bench/compare-server.ts', {
    BENCH_SERVER: 'bare',
    BENCH_PORT: String(PORT),
  });
  try {
    return await measure(server, 'bare Fastify POST 200 (no reply)', '/bare');
  } finally {
    await stopServer(server);
  }
}

async function bottender(dir: string, bot: string, graph: FakeGraphApi): Promise<Row> {
  const server = await spawnServer('bench/bottender-server.ts', {
    BOTTENDER_DIR: dir,
    BOTTENDER_BOT: bot,
    BENCH_PORT: String(PORT),
    NODE_ENV: 'production',
    MESSENGER_ACCESS_TOKEN: MESSENGER_TEST.pageToken,
    MESSENGER_APP_ID: APP_ID,
    MESSENGER_APP_SECRET: MESSENGER_TEST.appSecret,
    MESSENGER_VERIFY_TOKEN: MESSENGER_TEST.verifyToken,
    MESSENGER_ORIGIN: graph.url,
  });
  try {
    return await measure(
      server,
      `Bottender ${VERSION} Messenger bot, end to end`,
      '/webhooks/messenger',
      graph,
    );
  } finally {
    await stopServer(server);
  }
}

async function project(graph: FakeGraphApi, backend: 'sqlite' | 'postgres+redis'): Promise<Row> {
  const pgSchema = uniqueName('bench');
  const keyPrefix = uniqueName('llwbench');
  const env: Record<string, string> = { ...messengerEnv(graph.url), BENCH_PORT: String(PORT) };
  if (backend === 'postgres+redis')
    Object.assign(env, {
      DATABASE_URL: TEST_DATABASE_URL,
      REDIS_URL: TEST_REDIS_URL,
      BENCH_PG_SCHEMA: pgSchema,
      BENCH_KEY_PREFIX: keyPrefix,
    });
  const profile = backend === 'sqlite' && PROFILE;
  const server = await spawnServer('bench/compare-server.ts', env, {
    ...(profile ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profile)}`] } : {}),
  });
  try {
    return await measure(
      server,
      `project Messenger, ${backend}, end to end`,
      '/webhooks/messenger',
      graph,
    );
  } finally {
    await stopServer(server);
    if (backend === 'postgres+redis') {
      await dropSchema(pgSchema);
      await dropKeys(keyPrefix);
    }
  }
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function print(bareRow: Row, bottenderRow: Row, projectRows: Row[]): void {
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const lines = [
    '| what | turns/s (req/s for bare) | CPU µs per turn | ack p50 ms | ack p99 ms | server RSS MB | note |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.perSecond.toFixed(0)} | ${r.cpuMicros.toFixed(0)} | ${quantile(r.result.latencies, 0.5).toFixed(1)} | ${quantile(r.result.latencies, 0.99).toFixed(1)} | ${(r.rss / 2 ** 20).toFixed(0)} | ${r.note} |`,
    ),
    `Bottender / bare: ${ratio(bottenderRow.perSecond, bareRow.perSecond)}× the rate, ${ratio(bottenderRow.cpuMicros, bareRow.cpuMicros)}× the CPU per request`,
    ...projectRows.map(
      (r) =>
        `${r.name} / Bottender: ${ratio(r.perSecond, bottenderRow.perSecond)}× the turns/s, ${ratio(r.cpuMicros, bottenderRow.cpuMicros)}× the CPU per turn, ${ratio(quantile(r.result.latencies, 0.99), quantile(bottenderRow.result.latencies, 0.99))}× the ack p99`,
    ),
    `load average at the end ${loadAverage()}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

const dir = ensureBottender();
const bot = writeBot(dir);
process.stdout.write(
  `load average ${loadAverage()} on ${os.cpus().length} cores (shared with other work); ${CONNECTIONS} connections, ${USERS} senders, ${SECONDS} s per measurement\n`,
);
const graph = new FakeGraphApi();
await graph.start();
try {
  const bareRow = await bare();
  const bottenderRow = await bottender(dir, bot, graph);
  const projectRows = [await project(graph, 'sqlite')];
  if (WITH_PG)
    await project(graph, 'postgres+redis').then(
      (row) => projectRows.push(row),
      (error: unknown) => process.stderr.write(`PostgreSQL + Redis skipped: ${String(error)}\n`),
    );
  print(bareRow, bottenderRow, projectRows);
} finally {
  await graph.close();
}
