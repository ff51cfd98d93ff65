import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp, type AppOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { EngineOptions } from '../../src/broadcast/engine.js';
import type { Channel } from '../../src/core/channel.js';
import type { Clock } from '../../src/core/clock.js';
import type { OutboxOptions } from '../../src/core/outbox.js';
import { createLogger } from '../../src/logger.js';
import { createServices, type Services } from '../../src/services.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from './env.js';

/** Which storage and coordination a test runs on. */
export interface Backend {
  name: string;
  db: 'sqlite' | 'postgres';
  redis: boolean;
}

/** SQLite + in-process (the embedded default) and PostgreSQL + Redis (scaled out). */
export const BACKENDS: Backend[] = [
  { name: 'sqlite+memory', db: 'sqlite', redis: false },
  { name: 'postgres+redis', db: 'postgres', redis: true },
];

/** A fresh temporary data folder. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'llw-test-'));
}

/** A validated test config on a fresh data folder; `env` adds or overrides settings. */
export function testConfig(env: Record<string, string> = {}, backend?: Backend): Readonly<Config> {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: tempDir(),
    ...(backend?.db === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL } : {}),
    ...(backend?.redis ? { REDIS_URL: TEST_REDIS_URL } : {}),
    ...env,
  });
}

/** A running test app (never listening unless `listen` is called) with its services. */
export interface TestApp {
  app: FastifyInstance;
  services: Services;
  config: Readonly<Config>;
  close(): Promise<void>;
}

/** Builds services and app on a fresh schema / data folder / key prefix. */
export async function startTestApp(
  options: {
    env?: Record<string, string>;
    backend?: Backend;
    clock?: Clock;
    channels?: Channel[];
    config?: Readonly<Config>;
    /** Broadcast engine tuning (a short poll interval when the test runs `services.start()`). */
    broadcastEngine?: Partial<EngineOptions>;
    /** Outbox sender tuning (short backoff for retry tests). */
    outbox?: Partial<OutboxOptions>;
    /** Sees every route as it is added. */
    onRoute?: AppOptions['onRoute'];
    /** Compile every route schema at start-up (the server compiles each on first use). */
    eagerSchemas?: boolean;
    /** The process logger (default: silent). */
    logger?: ReturnType<typeof createLogger>;
  } = {},
): Promise<TestApp> {
  const config = options.config ?? testConfig(options.env, options.backend);
  const pgSchema = config.databaseUrl ? uniqueName('t') : undefined;
  const services = await createServices(config, {
    logger: options.logger ?? createLogger('silent'),
    keyPrefix: uniqueName('llwtest'),
    ...(pgSchema ? { pgSchema } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.channels ? { channels: options.channels } : {}),
    ...(options.broadcastEngine ? { broadcastEngine: options.broadcastEngine } : {}),
    ...(options.outbox ? { outbox: options.outbox } : {}),
  });
  const app = await buildApp(config, services, {
    ...(options.onRoute ? { onRoute: options.onRoute } : {}),
    ...(options.eagerSchemas ? { eagerSchemas: true } : {}),
  });
  await app.ready();
  return {
    app,
    services,
    config,
    async close() {
      await app.close();
      await services.close();
      if (pgSchema) await dropSchema(pgSchema);
    },
  };
}

/** Drops a test schema. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Sends a simulator message and returns the replies. */
export async function simulate(
  app: FastifyInstance,
  body: {
    userId: string;
    text?: string;
    payload?: string;
    locale?: 'vi' | 'en';
    messageId?: string;
  },
): Promise<Array<{ text: string; choices?: Array<{ title: string; payload: string }> }>> {
  const res = await app.inject({ method: 'POST', url: '/simulator/api/messages', payload: body });
  if (res.statusCode !== 200) throw new Error(`simulator answered ${res.statusCode}: ${res.body}`);
  return res.json<{
    replies: Array<{ text: string; choices?: Array<{ title: string; payload: string }> }>;
  }>().replies;
}
