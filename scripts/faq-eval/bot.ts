/**
 * A real bot for the evaluation: the whole server (SQLite in a temporary folder, in-process
 * coordination) driven through the simulator channel, as a citizen's messages would be.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/logger.js';
import { createServices, type Services } from '../../src/services.js';

/** One message the bot sent back: its text and the titles of its buttons. */
export interface Reply {
  text: string;
  choices?: Array<{ title: string; payload: string }>;
}

/** A bot under evaluation. */
export interface EvalBot {
  services: Services;
  app: FastifyInstance;
  send(userId: string, body: { text?: string; payload?: string }): Promise<Reply[]>;
  close(): Promise<void>;
}

/** 1 December 2026, 10:00 in Vietnam: the 2020 edition of the letter is long over. */
export const EVAL_NOW = Date.parse('2026-12-01T03:00:00Z');

/** Starts the real server's services and app on a fresh SQLite file (never listening). */
export async function openEvalBot(contentDir?: string): Promise<EvalBot> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llw-eval-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    ...(contentDir ? { CONTENT_DIR: contentDir } : {}),
  });
  const services = await createServices(config, {
    logger: createLogger('silent'),
    clock: new ManualClock(EVAL_NOW),
  });
  const app = await buildApp(config, services);
  await app.ready();
  return {
    services,
    app,
    async send(userId, body) {
      const res = await app.inject({
        method: 'POST',
        url: '/simulator/api/messages',
        payload: { userId, ...body },
      });
      if (res.statusCode !== 200) throw new Error(`simulator answered ${res.statusCode}`);
      return res.json<{ replies: Reply[] }>().replies;
    },
    async close() {
      await app.close();
      await services.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
