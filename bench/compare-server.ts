// The server side of `npm run bench` (bench/compare.ts), in its own process so its CPU time and
// RSS are its own: either a bare Fastify route (BENCH_SERVER=bare) or the project's app on the
// storage the environment names. Answers the parent over IPC: stats, pause/resume turns, idle.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { OUT, compileStale } from '../scripts/launch.mjs';
import type { Services } from '../src/services.js';

/** A request from the parent; the answer carries the same id. */
export interface ServerRequest {
  id: number;
  cmd: 'stats' | 'pause' | 'resume' | 'idle' | 'close';
}

/** The answer to a request (stats: CPU µs used so far and the RSS in bytes). */
export interface ServerAnswer {
  id: number;
  cpuMicros?: number;
  rss?: number;
  /** Bytes of live JavaScript objects after a full GC when the process runs with --expose-gc. */
  heapUsed?: number;
  /** Bytes of the project's data folder (SQLite file and its log), 0 for the others. */
  dataBytes?: number;
  error?: string;
}

const port = Number(process.env.BENCH_PORT ?? 3202);
const send = (m: unknown) => process.send?.(m);

async function startBare(): Promise<() => Promise<void>> {
  const app = Fastify({ logger: false });
  app.post('/bare', async () => ({ ok: true }));
  await app.listen({ port, host: '127.0.0.1' });
  return () => app.close();
}

async function startProject(): Promise<{
  close: () => Promise<void>;
  services: Services;
  dataDir: string;
}> {
  // Loaded here, so the bare server's RSS holds Fastify alone; and compiled, as `npm start` and
  // the image run it (not through the bench's TypeScript loader, whose output differs).
  await compileStale();
  const compiled = <T>(file: string): Promise<T> =>
    import(pathToFileURL(path.join(OUT, file)).href) as Promise<T>;
  const { buildApp } = await compiled<typeof import('../src/app.js')>('src/app.js');
  const { loadConfig } = await compiled<typeof import('../src/config.js')>('src/config.js');
  const { createLogger } = await compiled<typeof import('../src/logger.js')>('src/logger.js');
  const { createServices } = await compiled<typeof import('../src/services.js')>('src/services.js');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llw-bench-'));
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    ENV_FILE: 'off',
  });
  const services = await createServices(config, {
    logger: createLogger('silent'),
    ...(process.env.BENCH_KEY_PREFIX ? { keyPrefix: process.env.BENCH_KEY_PREFIX } : {}),
    ...(process.env.BENCH_PG_SCHEMA ? { pgSchema: process.env.BENCH_PG_SCHEMA } : {}),
  });
  const app = await buildApp(config, services);
  await app.listen({ port, host: '127.0.0.1' });
  // As main.ts's start does once it listens: the dialogs load before the first measurement.
  await services.engine();
  return {
    services,
    dataDir,
    close: async () => {
      await app.close();
      await services.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function folderBytes(dir: string): number {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .reduce((sum, e) => sum + (e.isFile() ? fs.statSync(path.join(dir, e.name)).size : 0), 0);
}

const project = process.env.BENCH_SERVER === 'bare' ? undefined : await startProject();
const close = project ? project.close : await startBare();
// Ack only: the turns of events accepted while paused are never scheduled (the parent uses other
// conversations afterwards), so only verify, parse, dedupe, the durable record and the 200 count.
const inbox = project?.services.inbox as unknown as { schedule: (c: string) => void } | undefined;
const schedule = inbox?.schedule;

process.on('message', (raw: ServerRequest) => {
  void (async () => {
    const answer: ServerAnswer = { id: raw.id };
    try {
      if (raw.cmd === 'stats') {
        const cpu = process.cpuUsage();
        answer.cpuMicros = cpu.user + cpu.system;
        answer.rss = process.memoryUsage.rss();
        (globalThis as { gc?: () => void }).gc?.();
        answer.heapUsed = process.memoryUsage().heapUsed;
        answer.dataBytes = project ? folderBytes(project.dataDir) : 0;
      } else if (raw.cmd === 'pause' && inbox) inbox.schedule = () => undefined;
      else if (raw.cmd === 'resume' && inbox && schedule) inbox.schedule = schedule;
      else if (raw.cmd === 'idle') await project?.services.inbox.idle();
      else if (raw.cmd === 'close') await close();
    } catch (error) {
      answer.error = error instanceof Error ? error.message : String(error);
    }
    send(answer);
    if (raw.cmd === 'close') process.disconnect();
  })();
});
send({ id: 0 });
