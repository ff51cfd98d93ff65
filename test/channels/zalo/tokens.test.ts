import { afterEach, describe, expect, it } from 'vitest';
import { ZaloChannel } from '../../../src/channels/zalo/channel.js';
import {
  ACCESS_TOKEN_LIFETIME_MS,
  TOKENS_KEY,
  type StoredZaloTokens,
} from '../../../src/channels/zalo/tokens.js';
import { ManualClock } from '../../../src/core/clock.js';
import type { Coordinator } from '../../../src/coord/coordinator.js';
import { connectRedis, RedisCoordinator } from '../../../src/coord/redis-coordinator.js';
import { BACKENDS, startTestApp, type TestApp } from '../../helpers/app.js';
import { TEST_REDIS_URL } from '../../helpers/env.js';
import { startFakeZalo, type FakeZalo } from '../../fakes/fake-zalo.js';
import { APP_ID, APP_SECRET, zaloEnv } from './helpers.js';

const HOUR = 3600_000;
const START = Date.UTC(2026, 9, 1, 8, 0, 0);

async function setup(backend: (typeof BACKENDS)[number], env: Record<string, string> = {}) {
  const fake = await startFakeZalo({
    appId: APP_ID,
    appSecret: APP_SECRET,
    accessToken: 'seed-access',
    refreshToken: 'seed-refresh',
    refreshDelayMs: 50,
  });
  const clock = new ManualClock(START);
  const t = await startTestApp({ backend, clock, env: zaloEnv(fake.url, env) });
  return { fake, clock, t, zalo: t.services.channels.get('zalo') as ZaloChannel };
}

/** A second "process": its own channel (and its own Redis connection when scaled out). */
async function secondProcess(t: TestApp): Promise<{ zalo: ZaloChannel; coord: Coordinator }> {
  const coord =
    t.services.coord.kind === 'redis'
      ? new RedisCoordinator(await connectRedis(TEST_REDIS_URL))
      : t.services.coord;
  const s = t.services;
  const zalo = new ZaloChannel(
    t.config.zalo!,
    { clock: s.clock, coord, keys: s.keys, kv: s.kv, contacts: s.contacts, log: s.log },
    { keepAliveMs: 0 },
  );
  return { zalo, coord };
}

describe.each(BACKENDS)('Zalo token lifecycle ($name)', (backend) => {
  let cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.reverse()) await fn();
    cleanup = [];
  });

  it('20 concurrent sends against an expired token: ONE refresh, all 20 delivered', async () => {
    const { fake, clock, t, zalo } = await setup(backend);
    cleanup.push(
      () => fake.close(),
      () => t.close(),
    );
    await zalo.send('warm-up', { text: 'seeded token works' }, { mode: 'reply' });
    clock.advance(ACCESS_TOKEN_LIFETIME_MS + HOUR);

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        zalo.send(`u${i}`, { text: `tin ${i}` }, { mode: 'reply' }),
      ),
    );

    expect(fake.refreshCalls).toBe(1);
    expect(fake.reusedRefreshTokens).toBe(0);
    expect(results.every((r) => r.messageIds.length === 1)).toBe(true);
    const delivered = fake.delivered().slice(1);
    expect(delivered).toHaveLength(20);
    expect(new Set(delivered.map((m) => m.accessToken))).toEqual(new Set(['fake-access-1']));
    expect(fake.requests.filter((r) => r.error !== 0)).toEqual([]);
    expect(await t.services.kv.get<StoredZaloTokens>(TOKENS_KEY)).toMatchObject({
      accessToken: 'fake-access-1',
      refreshToken: 'fake-refresh-1',
      expiresAt: clock.now() + 90_000_000,
    });
  });

  it('two processes sending at once against an expired token still refresh only once', async () => {
    const { fake, clock, t, zalo } = await setup(backend);
    const other = await secondProcess(t);
    cleanup.push(
      () => fake.close(),
      () => t.close(),
      async () => {
        await other.zalo.close();
        if (other.coord !== t.services.coord) await other.coord.close();
      },
    );
    // Both processes hold the seeded token, then it expires for both.
    await zalo.send('warm-up', { text: '1' }, { mode: 'reply' });
    await other.zalo.send('warm-up', { text: '2' }, { mode: 'reply' });
    clock.advance(ACCESS_TOKEN_LIFETIME_MS + HOUR);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? zalo : other.zalo).send(`u${i}`, { text: 'x' }, { mode: 'reply' }),
      ),
    );
    expect(fake.refreshCalls).toBe(1);
    expect(fake.reusedRefreshTokens).toBe(0);
    expect(fake.delivered()).toHaveLength(22);
    expect(fake.requests.filter((r) => r.error !== 0)).toEqual([]);
  });

  it('a process holding a replaced token picks up the new one without refreshing again', async () => {
    const { fake, t, zalo } = await setup(backend);
    const other = await secondProcess(t);
    cleanup.push(
      () => fake.close(),
      () => t.close(),
      async () => {
        await other.zalo.close();
        if (other.coord !== t.services.coord) await other.coord.close();
      },
    );
    await zalo.send('u1', { text: 'a' }, { mode: 'reply' });
    await other.zalo.send('u1', { text: 'b' }, { mode: 'reply' });
    // Zalo invalidates the token; process 1 meets -216 and refreshes.
    fake.expireAccessToken();
    await zalo.send('u1', { text: 'c' }, { mode: 'reply' });
    expect(fake.refreshCalls).toBe(1);
    // Process 2 still holds the old token: -216, then it finds the stored pair already new.
    await other.zalo.send('u1', { text: 'd' }, { mode: 'reply' });
    expect(fake.refreshCalls).toBe(1);
    expect(fake.delivered().map((m) => m.body.message.text)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('Zalo token lifecycle (seeding and expiry)', () => {
  let fake: FakeZalo;
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
    await fake?.close();
  });

  it('refreshes ahead of expiry, before Zalo has to refuse the token', async () => {
    const s = await setup(BACKENDS[0]!);
    ({ fake, t } = s);
    await s.zalo.send('u1', { text: 'one' }, { mode: 'reply' });
    s.clock.advance(ACCESS_TOKEN_LIFETIME_MS - 10 * 60_000);
    await s.zalo.send('u1', { text: 'two' }, { mode: 'reply' });
    expect(fake.refreshCalls).toBe(1);
    expect(fake.requests.map((r) => r.error)).toEqual([0, 0]);
    expect(fake.requests[1]?.accessToken).toBe('fake-access-1');
  });

  it('keeps the stored pair across restarts and re-seeds when ZALO_REFRESH_TOKEN changes', async () => {
    const s = await setup(BACKENDS[0]!, { ZALO_ACCESS_TOKEN: '' });
    ({ fake, t } = s);
    await s.zalo.send('u1', { text: 'one' }, { mode: 'reply' });
    expect(fake.refreshCalls).toBe(1);

    // Restart on the same data folder with the same (now spent) settings: the stored pair wins.
    const sameDir = { DATA_DIR: t.config.dataDir };
    await t.close();
    t = await startTestApp({
      clock: s.clock,
      env: zaloEnv(fake.url, { ZALO_ACCESS_TOKEN: '', ...sameDir }),
    });
    await (t.services.channels.get('zalo') as ZaloChannel).send(
      'u1',
      { text: 'two' },
      { mode: 'reply' },
    );
    expect(fake.refreshCalls).toBe(1);
    expect(fake.reusedRefreshTokens).toBe(0);

    // The operator authorised again and pasted a new pair: it replaces the stored one.
    await t.close();
    fake.refreshToken = 'operator-new-refresh';
    fake.accessToken = 'operator-new-access';
    t = await startTestApp({
      clock: s.clock,
      env: zaloEnv(fake.url, {
        ...sameDir,
        ZALO_ACCESS_TOKEN: 'operator-new-access',
        ZALO_REFRESH_TOKEN: 'operator-new-refresh',
      }),
    });
    await (t.services.channels.get('zalo') as ZaloChannel).send(
      'u1',
      { text: 'three' },
      { mode: 'reply' },
    );
    expect(fake.requests.at(-1)).toMatchObject({ accessToken: 'operator-new-access', error: 0 });
  });

  it('reports a dead refresh token as TokenInvalidError and sends nothing', async () => {
    const s = await setup(BACKENDS[0]!, { ZALO_ACCESS_TOKEN: '', ZALO_REFRESH_TOKEN: 'spent' });
    ({ fake, t } = s);
    await expect(s.zalo.send('u1', { text: 'x' }, { mode: 'reply' })).rejects.toMatchObject({
      name: 'TokenInvalidError',
    });
    expect(fake.requests).toEqual([]);
  });
});
