// `npm run bench:bottender`: the project's Messenger webhook end to end beside Bottender 1.5.5 and
// a bare Fastify route, in one run, each server in its own child process. Bottender is installed
// with --ignore-scripts (its ngrok dependency's postinstall downloads a binary) into a cache folder
// outside the repository (BOTTENDER_DIR, default <tmp>/llw-bench-bottender), reused when present.
// Same load for all: signed Messenger "xin chào" (X-Hub-Signature and X-Hub-Signature-256) with
// unique message ids from BENCH_USERS senders (500) over BENCH_CONNECTIONS (16). Every server is
// started at once, each on its own port, and warmed up with BENCH_WARM_UP webhooks (20,000;
// bench/load.ts); then BENCH_ROUNDS rounds (3) of BENCH_SECONDS (5) per server, the servers taking
// turns, so that each round compares neighbours in time on a shared machine whose speed drifts.
// A turn counts once the local fake Graph API received its reply. BENCH_PG=0 skips PostgreSQL +
// Redis; BENCH_PROFILE=<dir> writes a --cpu-prof of the project's SQLite server.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropSchema } from '../test/helpers/app.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from '../test/helpers/env.js';
import { MESSENGER_TEST, messengerEnv, signedTextRequest } from '../test/helpers/messenger.js';
import { FakeGraphApi } from '../test/fakes/fake-graph-api.js';
import { spawnServer, stopServer, type BenchServer } from './child.js';
import { WARM_UP, load, quantile, type LoadRequest, type LoadResult } from './load.js';
import { dropKeys } from './redis-keys.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
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

/** One server in the comparison, on its own port. */
interface Contender {
  name: string;
  route: string;
  port: number;
  server: BenchServer;
  /** Where its replies go (absent for the bare route, which sends none). */
  graph?: FakeGraphApi;
  rounds: Round[];
  cleanup?: () => Promise<void>;
}

/** One measurement window of one server. */
interface Round {
  perSecond: number;
  cpuMicros: number;
  result: LoadResult;
  rss: number;
  /** Replies the fake Graph API received for this window's webhooks. */
  replies: number;
}

let runs = 0;

/** Senders of a range no run used before, so every measured sender is new to the bot. */
function senders(route: string): (i: number) => LoadRequest {
  const base = (runs += 1) * 1_000_000;
  return (i) => hello(route, String(base + (i % USERS)));
}

/** The warm-up (bench/load.ts): the same number of webhooks for every server. */
async function warmUp(c: Contender): Promise<void> {
  const before = c.graph?.accepted.length ?? 0;
  const warm = await load(c.port, senders(c.route), { connections: CONNECTIONS, ...WARM_UP });
  if (c.graph) await replies(c.graph, before + warm.requests - warm.failures);
  await c.server.call('idle');
}

/**
 * One window of load; with a fake Graph API, waits until it has one reply per acknowledged
 * webhook and counts the time until the last one.
 */
async function measure(c: Contender): Promise<Round> {
  const before = await c.server.call('stats');
  const sentBefore = c.graph?.accepted.length ?? 0;
  const started = performance.now();
  const result = await load(c.port, senders(c.route), {
    connections: CONNECTIONS,
    seconds: SECONDS,
    max: 1_000_000,
  });
  const acked = result.requests - result.failures;
  let count = acked;
  let seconds = result.seconds;
  if (c.graph) {
    const done = await replies(c.graph, sentBefore + acked);
    await c.server.call('idle');
    seconds = (done.at - started) / 1000;
    count = done.count - sentBefore;
  }
  const after = await c.server.call('stats');
  return {
    perSecond: count / seconds,
    cpuMicros: (after.cpuMicros! - before.cpuMicros!) / Math.max(1, count),
    result,
    rss: after.rss!,
    replies: count,
  };
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

async function bare(port: number): Promise<Contender> {
  const server = await spawnServer('bench/compare-server.ts', {
    BENCH_SERVER: 'bare',
    BENCH_PORT: String(port),
  });
  return { name: 'bare Fastify POST 200 (no reply)', route: '/bare', port, server, rounds: [] };
}

async function bottender(
  dir: string,
  bot: string,
  graph: FakeGraphApi,
  port: number,
): Promise<Contender> {
  const server = await spawnServer('bench/bottender-server.ts', {
    BOTTENDER_DIR: dir,
    BOTTENDER_BOT: bot,
    BENCH_PORT: String(port),
    NODE_ENV: 'production',
    MESSENGER_ACCESS_TOKEN: MESSENGER_TEST.pageToken,
    MESSENGER_APP_ID: APP_ID,
    MESSENGER_APP_SECRET: MESSENGER_TEST.appSecret,
    MESSENGER_VERIFY_TOKEN: MESSENGER_TEST.verifyToken,
    MESSENGER_ORIGIN: graph.url,
  });
  return {
    name: `Bottender ${VERSION} Messenger bot, end to end`,
    route: '/webhooks/messenger',
    port,
    server,
    graph,
    rounds: [],
  };
}

async function project(
  graph: FakeGraphApi,
  backend: 'sqlite' | 'postgres+redis',
  port: number,
): Promise<Contender> {
  const pgSchema = uniqueName('bench');
  const keyPrefix = uniqueName('llwbench');
  const env: Record<string, string> = { ...messengerEnv(graph.url), BENCH_PORT: String(port) };
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
  return {
    name: `project Messenger, ${backend}, end to end`,
    route: '/webhooks/messenger',
    port,
    server,
    graph,
    rounds: [],
    ...(backend === 'postgres+redis'
      ? {
          cleanup: async () => {
            await dropSchema(pgSchema);
            await dropKeys(keyPrefix);
          },
        }
      : {}),
  };
}

/** The median of a few rounds (bench/load.ts's quantile over them, sorted). */
const median = (values: number[]) =>
  quantile(
    [...values].sort((x, y) => x - y),
    0.5,
  );

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function print(contenders: Contender[]): void {
  const fixed = (n: number) => n.toFixed(0);
  const [bareOne, bottenderOne, ...projects] = contenders as [Contender, Contender, ...Contender[]];
  const row = (c: Contender) => {
    const latencies = c.rounds.flatMap((r) => r.result.latencies).sort((a, b) => a - b);
    const replied = c.rounds.reduce((n, r) => n + r.replies, 0);
    const acked = c.rounds.reduce((n, r) => n + r.result.requests - r.result.failures, 0);
    const failed = c.rounds.reduce((n, r) => n + r.result.failures, 0);
    const notes = [
      ...(c.graph ? [`${replied} replies for ${acked} acknowledged webhooks`] : []),
      ...(failed > 0 ? [`${failed} non-200`] : []),
    ];
    return `| ${c.name} | ${fixed(median(c.rounds.map((r) => r.perSecond)))} (${c.rounds.map((r) => fixed(r.perSecond)).join(', ')}) | ${fixed(median(c.rounds.map((r) => r.cpuMicros)))} | ${quantile(latencies, 0.5).toFixed(1)} | ${quantile(latencies, 0.99).toFixed(1)} | ${(c.rounds.at(-1)!.rss / 2 ** 20).toFixed(0)} | ${notes.join('; ')} |`;
  };
  // Each round measured every server one after the other: a round's ratio compares neighbours in
  // time, so a slower minute of the shared machine weighs on both sides of it.
  const ratios = (c: Contender, to: Contender, pick: (r: Round) => number) =>
    c.rounds.map((r, i) => pick(r) / pick(to.rounds[i]!));
  const summary = (values: number[]) =>
    `${median(values).toFixed(2)}× (rounds ${values.map((v) => v.toFixed(2)).join(', ')})`;
  const lines = [
    '| what | turns/s (req/s for bare), median (each round) | CPU µs per turn, median | ack p50 ms | ack p99 ms | server RSS MB | note |',
    '|---|---|---|---|---|---|---|',
    ...contenders.map(row),
    `Bottender / bare: ${summary(ratios(bottenderOne, bareOne, (r) => r.perSecond))} the rate`,
    ...projects.map(
      (c) =>
        `${c.name} / Bottender: ${summary(ratios(c, bottenderOne, (r) => r.perSecond))} the turns/s, ${summary(ratios(c, bottenderOne, (r) => r.cpuMicros))} the CPU per turn`,
    ),
    `load average at the end ${loadAverage()}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

const dir = ensureBottender();
const bot = writeBot(dir);
process.stdout.write(
  `load average ${loadAverage()} on ${os.cpus().length} cores (shared with other work); ${CONNECTIONS} connections, ${USERS} senders, warm-up ${WARM_UP.max} webhooks, then ${ROUNDS} rounds of ${SECONDS} s per server, the servers taking turns\n`,
);
const graph = new FakeGraphApi();
await graph.start();
const contenders: Contender[] = [];
try {
  contenders.push(await bare(PORT), await bottender(dir, bot, graph, PORT + 1));
  contenders.push(await project(graph, 'sqlite', PORT + 2));
  if (WITH_PG)
    await project(graph, 'postgres+redis', PORT + 3).then(
      (c) => contenders.push(c),
      (error: unknown) => process.stderr.write(`PostgreSQL + Redis skipped: ${String(error)}\n`),
    );
  for (const c of contenders) await warmUp(c);
  for (let round = 0; round < ROUNDS; round += 1)
    for (const c of contenders) c.rounds.push(await measure(c));
  print(contenders);
} finally {
  for (const c of contenders) {
    await stopServer(c.server).catch(() => undefined);
    await c.cleanup?.();
  }
  await graph.close();
}
