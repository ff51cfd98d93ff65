import { randomUUID } from 'node:crypto';
import type { createClient } from 'redis';
import { LocalLocks, LockTimeoutError, type Coordinator } from './coordinator.js';

/** The node-redis client type we use. */
export type RedisClient = ReturnType<typeof createClient>;

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Opens a Redis connection; rejects with a clear message when Redis does not answer. */
export async function connectRedis(url: string): Promise<RedisClient> {
  // Loaded on first use: a bot on its embedded default never needs the Redis client's modules.
  const { createClient } = await import('redis');
  const client = createClient({
    url,
    socket: { connectTimeout: 5000, reconnectStrategy: (retries) => Math.min(retries * 100, 2000) },
  });
  // Connection errors surface through the commands that fail; this keeps them from crashing the process.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Coordination shared by every process through Redis (SET NX PX claims and token-checked locks). */
export class RedisCoordinator implements Coordinator {
  readonly kind = 'redis' as const;
  private readonly local = new LocalLocks();

  constructor(
    readonly client: RedisClient,
    private readonly ownsClient = true,
  ) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const result = await this.client.set(key, '1', { NX: true, PX: ttlMs });
    return result === 'OK';
  }

  async release(key: string): Promise<void> {
    await this.client.del(key);
  }

  /**
   * Kept: every process refuses a repeat here without a database round trip, and Redis expires
   * the key itself.
   */
  async settle(_key: string): Promise<void> {}

  /** Local chain first (no Redis polling between turns of one process), then the shared lock. */
  withLock<T>(
    key: string,
    fn: () => Promise<T>,
    options: { ttlMs?: number; waitMs?: number } = {},
  ): Promise<T> {
    const ttlMs = options.ttlMs ?? 30_000;
    const waitMs = options.waitMs ?? 60_000;
    return this.local.run(key, async () => {
      const token = randomUUID();
      const deadline = Date.now() + waitMs;
      let delay = 5;
      while ((await this.client.set(key, token, { NX: true, PX: ttlMs })) !== 'OK') {
        if (Date.now() > deadline) throw new LockTimeoutError(key);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 100);
      }
      try {
        return await fn();
      } finally {
        await this.client.eval(RELEASE, { keys: [key], arguments: [token] }).catch(() => undefined);
      }
    });
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    if (this.ownsClient && this.client.isOpen) await this.client.quit();
  }
}
