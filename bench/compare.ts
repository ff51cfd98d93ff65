// `npm run bench`: the project's signed-webhook path beside a bare Fastify route, in one run.
// Every server runs in its own child process (bench/compare-server.ts) so its CPU time and RSS
// are its own; the load generator and the fake platform APIs run here. Settings (env):
// BENCH_SECONDS (per measurement, 3), BENCH_REQUESTS (ack-only cap, 20000), BENCH_E2E_REQUESTS
// (end-to-end cap, 2000), BENCH_CONNECTIONS (16), BENCH_USERS (distinct senders, 500),
// BENCH_WARM_UP (requests before each measurement, 20000; bench/load.ts), BENCH_PG=0 to skip
// PostgreSQL + Redis.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IMAGE_ENV, startFlags } from '../scripts/launch.mjs';
import { ROOT } from '../src/services.js';
import { dropSchema } from '../test/helpers/app.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from '../test/helpers/env.js';
import { startPlatform, type Platform, type PlatformId } from '../test/helpers/platforms.js';
import { spawnServer as spawnChild, stopServer, type BenchServer } from './child.js';
import { dropKeys } from './redis-keys.js';
import { WARM_UP, load, quantile, type LoadResult } from './load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ACK_MAX = Number(process.env.BENCH_REQUESTS ?? 20_000);
const E2E_MAX = Number(process.env.BENCH_E2E_REQUESTS ?? 2000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const WITH_PG = process.env.BENCH_PG !== '0';
const USERS = Number(process.env.BENCH_USERS ?? 500);
const SERVER_PORT = 3202;
const COLD_PORT = 3203;
const CHANNELS: PlatformId[] = ['messenger', 'viber', 'zalo'];

type Server = BenchServer;

// The cold-start trees (the bench servers are tracked by bench/child.ts).
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

const spawnServer = (env: Record<string, string>) =>
  spawnChild('bench/compare-server.ts', { BENCH_PORT: String(SERVER_PORT), ...env });
const stop = stopServer;

interface Row {
  name: string;
  perSecond: number;
  cpuMicros: number;
  result: LoadResult;
  rss: number;
  note?: string;
}

const rows: Row[] = [];

/** Runs a load against a server and records its rate, CPU per request and latencies. */
async function measure(
  server: Server,
  name: string,
  run: () => Promise<LoadResult>,
  settle?: () => Promise<{ count: number; note: string }>,
): Promise<void> {
  const before = await server.call('stats');
  const started = performance.now();
  const result = await run();
  const extra = settle ? await settle() : undefined;
  const seconds = settle ? (performance.now() - started) / 1000 : result.seconds;
  const after = await server.call('stats');
  const count = extra?.count ?? result.requests - result.failures;
  rows.push({
    name,
    perSecond: count / seconds,
    cpuMicros: (after.cpuMicros! - before.cpuMicros!) / Math.max(1, count),
    result,
    rss: after.rss!,
    ...(extra ? { note: extra.note } : {}),
  });
  if (result.failures > 0)
    rows.at(-1)!.note = `${extra?.note ?? ''} ${result.failures} non-200`.trim();
}

async function bare(): Promise<void> {
  const server = await spawnServer({ BENCH_SERVER: 'bare' });
  const body = JSON.stringify({ object: 'page', entry: [{ id: 'PAGE', time: 1, messaging: [] }] });
  const hook = { path: '/bare', body, headers: { 'content-type': 'application/json' } };
  await load(SERVER_PORT, () => hook, { connections: CONNECTIONS, ...WARM_UP });
  await measure(server, 'bare Fastify POST 200', () =>
    load(SERVER_PORT, () => hook, {
      connections: CONNECTIONS,
      seconds: SECONDS,
      max: ACK_MAX * 10,
    }),
  );
  await stop(server);
}

async function project(platforms: Platform[], backend: 'sqlite' | 'postgres+redis'): Promise<void> {
  const pgSchema = uniqueName('bench');
  const keyPrefix = uniqueName('llwbench');
  const env: Record<string, string> = Object.assign({}, ...platforms.map((p) => p.env));
  if (backend === 'postgres+redis')
    Object.assign(env, {
      DATABASE_URL: TEST_DATABASE_URL,
      REDIS_URL: TEST_REDIS_URL,
      BENCH_PG_SCHEMA: pgSchema,
      BENCH_KEY_PREFIX: keyPrefix,
    });
  const server = await spawnServer(env);
  try {
    for (const platform of platforms) {
      const hook = (phase: number) => (i: number) =>
        platform.text(`${phase}00${i % USERS}`, 'xin chào', Date.now());
      await server.call('pause');
      await load(SERVER_PORT, hook(9), { connections: CONNECTIONS, ...WARM_UP });
      await measure(server, `${platform.id} ${backend}, ack only`, () =>
        load(SERVER_PORT, hook(1), { connections: CONNECTIONS, seconds: SECONDS, max: ACK_MAX }),
      );
      await server.call('resume');
      await load(SERVER_PORT, hook(8), { connections: CONNECTIONS, ...WARM_UP });
      await server.call('idle');
      const sentBefore = platform.sent().length;
      let turns = 0;
      await measure(
        server,
        `${platform.id} ${backend}, end to end`,
        async () => {
          const r = await load(SERVER_PORT, hook(2), {
            connections: CONNECTIONS,
            seconds: SECONDS,
            max: E2E_MAX,
          });
          turns = r.requests - r.failures;
          return r;
        },
        async () => {
          await server.call('idle');
          const replies = platform.sent().length - sentBefore;
          return { count: turns, note: `${replies} replies at the fake API for ${turns} turns` };
        },
      );
    }
  } finally {
    await stop(server);
    if (backend === 'postgres+redis') {
      await dropSchema(pgSchema);
      await dropKeys(keyPrefix);
    }
  }
}

interface Cold {
  what: string;
  /** Until /healthz answers (webhooks are accepted from then on). */
  ms: number;
  /** Until the first "xin chào" got its reply (the dialogs are loaded). */
  replyMs: number;
  treeRssMb: number;
}

/**
 * Spawns a server on a fresh data folder: `npm start`, or the compiled build as the image runs it
 * (`node <start flags> dist/src/main.js`, built first); ms until /healthz answers, and the tree's
 * RSS.
 */
async function coldStart(compiled: boolean): Promise<Cold> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llw-bench-cold-'));
  if (compiled) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' });
  const started = performance.now();
  const [command, args] = compiled
    ? [process.execPath, [...startFlags(), 'dist/src/main.js']]
    : ['npm', ['start', '--silent']];
  const child = spawn(command, args, {
    cwd: ROOT,
    detached: true,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: os.tmpdir(),
      PORT: String(COLD_PORT),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ENV_FILE: 'off',
      LOG_LEVEL: 'warn',
      ...(compiled ? IMAGE_ENV : {}),
    },
    stdio: 'ignore',
  });
  children.add(child);
  let ms = NaN;
  try {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && child.exitCode === null) {
      const ok = await fetch(`http://127.0.0.1:${COLD_PORT}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) {
        ms = performance.now() - started;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    // The first citizen: the simulator answers in its HTTP response, once the turn ran.
    const answer = await fetch(`http://127.0.0.1:${COLD_PORT}/simulator/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'cold-start', text: 'xin chào' }),
    }).then((r) => r.json() as Promise<{ replies?: unknown[] }>);
    const replyMs = (answer.replies?.length ?? 0) > 0 ? performance.now() - started : NaN;
    await new Promise((r) => setTimeout(r, 1000));
    return {
      what: compiled
        ? `\`node ${startFlags().join(' ')} dist/src/main.js\` (the image)`
        : '`npm start`',
      ms,
      replyMs,
      treeRssMb: treeRss(child.pid!),
    };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
    children.delete(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The RSS in MB of every process in a process group (npm, tsx and the server), from /proc. */
function treeRss(pgid: number): number {
  let kb = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // the process ended meanwhile
    }
  }
  return kb / 1024;
}

function print(colds: Cold[]): void {
  const base = rows[0]!.perSecond;
  const lines = [
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${CONNECTIONS} connections, ${SECONDS} s per measurement`,
    '| what | req/s (turns/s) | × bare | CPU µs per request | ack p50 ms | ack p99 ms | server RSS MB | note |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.perSecond.toFixed(0)} | ${(r.perSecond / base).toFixed(2)} | ${r.cpuMicros.toFixed(0)} | ${quantile(r.result.latencies, 0.5).toFixed(1)} | ${quantile(r.result.latencies, 0.99).toFixed(1)} | ${(r.rss / 2 ** 20).toFixed(0)} | ${r.note ?? ''} |`,
    ),
    ...colds.map(
      (cold) =>
        `cold start of ${cold.what}: ${cold.ms.toFixed(0)} ms from spawn until /healthz answers, ${cold.replyMs.toFixed(0)} ms until the first reply; RSS of its process tree 1 s later ${cold.treeRssMb.toFixed(0)} MB`,
    ),
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

const platforms = await Promise.all(CHANNELS.map((id) => startPlatform(id)));
try {
  await bare();
  await project(platforms, 'sqlite');
  if (WITH_PG)
    await project(platforms, 'postgres+redis').catch((error: unknown) => {
      process.stderr.write(`PostgreSQL + Redis skipped: ${String(error)}\n`);
    });
  // The compiled start first: its build leaves dist/ fresh, so `npm start` then has nothing to transpile.
  print([await coldStart(true), await coldStart(false)]);
} finally {
  await Promise.all(platforms.map((p) => p.close()));
}
