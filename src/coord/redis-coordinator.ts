import { randomUUID } from 'node:crypto';
import type { createClient } from 'redis';
import { LocalLocks, LockTimeoutError, type Coordinator } from './coordinator.js';

/** The node-redis client type we use. */
export type RedisClient = ReturnType<typeof createClient>;

/**
 * How recent an answer from Redis lets `ready` resolve without a round trip of its own: under load
 * the turns' locks answer every few milliseconds, so webhooks wait for nothing; a quiet bot pings.
 */
export const READY_FRESH_MS = 200;

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
  /** When Redis last answered a command (ms); `ready` trusts it for READY_FRESH_MS. */
  private answeredAt = 0;
  /** The ping of a `ready` under way, shared by the webhooks that wait for it. */
  private probe: Promise<void> | undefined;

  constructor(
    readonly client: RedisClient,
    private readonly ownsClient = true,
  ) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return (await this.setIfAbsent(key, '1', ttlMs)) === 'OK';
  }

  async release(key: string): Promise<void> {
    await this.client.del(key);
  }

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
      while ((await this.setIfAbsent(key, token, ttlMs)) !== 'OK') {
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

  /** SET NX PX, noting that Redis answered (whether or not the key was free). */
  private async setIfAbsent(key: string, value: string, ttlMs: number): Promise<string | null> {
    const result = await this.client.set(key, value, { NX: true, PX: ttlMs });
    this.answeredAt = Date.now();
    return result;
  }

  ready(): Promise<void> {
    if (Date.now() - this.answeredAt < READY_FRESH_MS) return Promise.resolve();
    this.probe ??= this.ping().finally(() => {
      this.probe = undefined;
    });
    return this.probe;
  }

  async ping(): Promise<void> {
    await this.client.ping();
    this.answeredAt = Date.now();
  }

  async close(): Promise<void> {
    if (this.ownsClient && this.client.isOpen) await this.client.quit();
  }
}
