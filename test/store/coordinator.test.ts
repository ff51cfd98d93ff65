import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCoordinator, type Coordinator } from '../../src/coord/coordinator.js';
import {
  connectRedis,
  READY_FRESH_MS,
  RedisCoordinator,
} from '../../src/coord/redis-coordinator.js';
import { PausableProxy } from '../fakes/tcp-proxy.js';
import { TEST_REDIS_URL, uniqueName } from '../helpers/env.js';

const KINDS = [
  {
    name: 'in-process',
    make: async (): Promise<Coordinator[]> => {
      const c = new MemoryCoordinator();
      return [c, c];
    },
  },
  {
    name: 'redis (two connections, as two processes)',
    make: async (): Promise<Coordinator[]> => [
      new RedisCoordinator(await connectRedis(TEST_REDIS_URL)),
      new RedisCoordinator(await connectRedis(TEST_REDIS_URL)),
    ],
  },
];

describe.each(KINDS)('coordination: $name', ({ make }) => {
  let coords: Coordinator[] = [];
  afterEach(async () => {
    for (const c of new Set(coords)) await c.close();
  });

  it('claims a key once until released or expired', async () => {
    coords = await make();
    const [a, b] = coords as [Coordinator, Coordinator];
    const key = uniqueName('claim');
    expect(await a.claim(key, 60_000)).toBe(true);
    expect(await b.claim(key, 60_000)).toBe(false);
    await a.release(key);
    expect(await b.claim(key, 60_000)).toBe(true);
    const short = uniqueName('short');
    expect(await a.claim(short, 20)).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    expect(await b.claim(short, 20)).toBe(true);
  });

  it('a lock lets one holder in at a time, across holders', async () => {
    coords = await make();
    const [a, b] = coords as [Coordinator, Coordinator];
    const key = uniqueName('lock');
    let inside = 0;
    let max = 0;
    const work = (c: Coordinator) =>
      c.withLock(key, async () => {
        inside += 1;
        max = Math.max(max, inside);
        await new Promise((r) => setTimeout(r, 10));
        inside -= 1;
      });
    await Promise.all([work(a), work(b), work(a), work(b)]);
    expect(max).toBe(1);
  });

  it('releases the lock when the work fails', async () => {
    coords = await make();
    const [a, b] = coords as [Coordinator, Coordinator];
    const key = uniqueName('lockfail');
    await expect(a.withLock(key, async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(b.withLock(key, async () => 'ok', { waitMs: 1000 })).resolves.toBe('ok');
  });
});

describe('MemoryCoordinator claims', () => {
  it('expire as new claims arrive, so memory stays bounded by what is live', async () => {
    let now = 0;
    const coord = new MemoryCoordinator(() => now);
    for (let i = 0; i < 5000; i++) expect(await coord.claim(`old-${i}`, 1000)).toBe(true);
    expect(await coord.claim('old-1', 1000)).toBe(false);
    now = 2000;
    // Expired: claimable again, and every new claim drops a few of the expired ones.
    expect(await coord.claim('old-1', 1000)).toBe(true);
    for (let i = 0; i < 5000; i++) await coord.claim(`new-${i}`, 1000);
    expect(coord.size).toBeLessThanOrEqual(5001);
    expect(await coord.claim('new-4999', 1000)).toBe(false);
  });
});

describe('Redis readiness before a durable accept', () => {
  let proxy: PausableProxy | undefined;
  let coord: RedisCoordinator | undefined;
  afterEach(async () => {
    proxy?.resume();
    await coord?.close();
    await proxy?.close();
  });

  it('is ready at once after a recent answer, and otherwise only once Redis answers', async () => {
    const target = new URL(TEST_REDIS_URL);
    proxy = new PausableProxy(target.hostname, Number(target.port));
    await proxy.start();
    const proxied = new URL(target);
    proxied.host = `127.0.0.1:${proxy.port}`;
    coord = new RedisCoordinator(await connectRedis(proxied.toString()));
    await coord.ping();
    proxy.pause();
    // Answered a moment ago: no round trip, so this resolves although nothing gets through.
    await coord.ready();
    await new Promise((r) => setTimeout(r, READY_FRESH_MS + 20));
    let ready = false;
    const waiting = coord.ready().then(() => {
      ready = true;
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(ready).toBe(false);
    proxy.resume();
    await waiting;
    expect(ready).toBe(true);
  });
});
