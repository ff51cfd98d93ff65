import { afterEach, describe, expect, it, vi } from 'vitest';
import { BACKENDS, startTestApp, type TestApp } from '../helpers/app.js';
import { messengerEnv, signMessenger } from '../helpers/messenger.js';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let mid = 0;

/** A signed Messenger "xin chào" from one person. */
function hello(userId: string): { body: string; headers: Record<string, string> } {
  const at = Date.now();
  mid += 1;
  const body = JSON.stringify({
    object: 'page',
    entry: [
      {
        id: 'PAGE',
        time: at,
        messaging: [
          {
            sender: { id: userId },
            recipient: { id: 'PAGE' },
            timestamp: at,
            message: { mid: `m.outage.${mid}.${at}`, text: 'xin chào' },
          },
        ],
      },
    ],
  });
  return { body, headers: signMessenger(body) };
}

// A 10-second Graph API outage (HTTP 500 is_transient, then 429, then no answer at all) while
// citizens keep writing: every webhook is acknowledged, every turn runs once without waiting
// for the API, and after the recovery each citizen has the greeting exactly once.
describe.each(BACKENDS)('a platform outage, then recovery ($name)', (backend) => {
  let graph: FakeGraphApi;
  let t: TestApp | undefined;

  afterEach(async () => {
    await t?.close();
    t = undefined;
    await graph?.close();
  });

  it('answers every citizen exactly once', { timeout: 90_000 }, async () => {
    graph = new FakeGraphApi();
    const url = await graph.start();
    t = await startTestApp({
      backend,
      env: messengerEnv(url),
      outbox: { pollMs: 200, retry: { maxAttempts: 60, backoffBaseMs: 500, backoffMaxMs: 2000 } },
    });
    await t.services.start();
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const post = async (userId: string) => {
      const hook = hello(userId);
      const res = await fetch(`${base}/webhooks/messenger`, {
        method: 'POST',
        headers: hook.headers,
        body: hook.body,
      });
      await res.arrayBuffer();
      return res.status;
    };
    const byUser = () => {
      const counts = new Map<string, number>();
      for (const b of graph.accepted) {
        const id = b.recipient?.id ?? '';
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      return counts;
    };

    // How many messages one greeting is, with the API well.
    expect(await post('control')).toBe(200);
    await vi.waitFor(() => expect(byUser().get('control')).toBeGreaterThan(0), { timeout: 10_000 });
    await sleep(300);
    const perGreeting = byUser().get('control')!;

    const users: string[] = [];
    const statuses: number[] = [];
    const phases: Array<['error' | 'rate-limit' | 'hang', number]> = [
      ['error', 4000],
      ['rate-limit', 3000],
      ['hang', 3000],
    ];
    for (const [mode, ms] of phases) {
      graph.outage(mode);
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const user = `citizen-${mode}-${users.length}`;
        users.push(user);
        statuses.push(await post(user));
        await sleep(250);
      }
      if (mode === 'hang') {
        // The API answers nothing, yet every turn has run: turns do not wait for sends.
        await vi.waitFor(
          async () => expect((await t!.services.inboxRepo.counts()).pending ?? 0).toBe(0),
          { timeout: 2000 },
        );
      }
    }
    graph.outage(undefined);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(graph.refused).toBeGreaterThan(0);
    // Nothing reached anyone during the outage.
    expect(users.some((u) => byUser().has(u))).toBe(false);

    await vi.waitFor(
      () => {
        const counts = byUser();
        for (const u of users) expect(counts.get(u), u).toBe(perGreeting);
      },
      { timeout: 45_000, interval: 200 },
    );
    // Nothing more arrives later: no duplicate, nothing left open, nothing reported failed.
    await sleep(1500);
    const counts = byUser();
    for (const u of [...users, 'control']) expect(counts.get(u), u).toBe(perGreeting);
    expect(await t.services.outboxRepo.depth()).toMatchObject({
      pending: 0,
      sending: 0,
      failed: 0,
      unknown: 0,
    });
    expect(await t.services.inboxRepo.counts()).toEqual({ done: users.length + 1 });
  });
});
