import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/env.js';
import { messengerEnv, signMessenger, textEnvelope } from '../helpers/messenger.js';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { PausableProxy } from '../fakes/tcp-proxy.js';
import { READY_FRESH_MS } from '../../src/coord/redis-coordinator.js';

function hello(userId: string, mid: string): { body: string; headers: Record<string, string> } {
  const body = textEnvelope(userId, [{ mid, text: 'xin chào' }], Date.now());
  return { body, headers: signMessenger(body) };
}

// Redis or PostgreSQL stops answering (a proxy in front of the shared one holds every byte):
// a webhook is answered 503 with Retry-After instead of hanging; once the service answers
// again, the platform's retry is accepted and the citizen is answered exactly once.
describe.each(['redis', 'postgres'] as const)('%s stops answering', (service) => {
  let graph: FakeGraphApi;
  let proxy: PausableProxy;
  let t: TestApp | undefined;

  afterEach(async () => {
    proxy?.resume();
    await t?.close();
    t = undefined;
    await proxy?.close();
    await graph?.close();
  });

  it('answers 503 with Retry-After fast, then recovers without losing or doubling', async () => {
    const target = new URL(service === 'redis' ? TEST_REDIS_URL : TEST_DATABASE_URL);
    proxy = new PausableProxy(target.hostname, Number(target.port));
    await proxy.start();
    const proxied = new URL(target);
    proxied.host = `127.0.0.1:${proxy.port}`;
    graph = new FakeGraphApi();
    t = await startTestApp({
      backend: { name: 'postgres+redis', db: 'postgres', redis: true },
      env: {
        ...messengerEnv(await graph.start()),
        ...(service === 'redis'
          ? { REDIS_URL: proxied.toString() }
          : { DATABASE_URL: proxied.toString() }),
      },
    });
    await t.services.start();
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const post = async (hook: { body: string; headers: Record<string, string> }) => {
      // A hanging webhook would abort here and fail the test.
      const res = await fetch(`${base}/webhooks/messenger`, {
        method: 'POST',
        headers: hook.headers,
        body: hook.body,
        signal: AbortSignal.timeout(8000),
      });
      return {
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        body: await res.text(),
      };
    };
    const answered = (user: string) =>
      graph.accepted.filter((b) => b.recipient?.id === user).length;
    const run = Date.now();

    expect((await post(hello('before', `m.${run}.1`))).status).toBe(200);
    await vi.waitFor(() => expect(answered('before')).toBeGreaterThan(0), { timeout: 10_000 });
    const perGreeting = answered('before');

    proxy.pause();
    // An answer from Redis a moment ago still counts (READY_FRESH_MS), and the proxy still passes
    // the answers to commands sent before the pause (a busy CI machine delays them): let them age.
    await new Promise((r) => setTimeout(r, READY_FRESH_MS + 500));
    const during = hello('during', `m.${run}.2`);
    const refused = await post(during);
    expect(refused.status).toBe(503);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'Service Unavailable' });
    expect((await fetch(`${base}/readyz`)).status).toBe(503);

    proxy.resume();
    await vi.waitFor(async () => expect((await fetch(`${base}/readyz`)).status).toBe(200), {
      timeout: 15_000,
    });
    // The platform retries the refused webhook: accepted now, and answered once.
    expect((await post(during)).status).toBe(200);
    await vi.waitFor(() => expect(answered('during')).toBe(perGreeting), { timeout: 15_000 });
    await t.services.inbox.idle();
    await new Promise((r) => setTimeout(r, 500));
    expect(answered('during')).toBe(perGreeting);
    expect(answered('before')).toBe(perGreeting);
    expect(await t.services.inboxRepo.counts()).toEqual({ done: 2 });
  });
});
