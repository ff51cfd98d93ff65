import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, startTestApp, type TestApp } from '../helpers/app.js';
import { messengerEnv, signMessenger } from '../helpers/messenger.js';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';

/**
 * A Messenger webhook written as raw JSON text, so `\\ud800` (a lone surrogate) and `\\u0000`
 * (NUL) arrive as escapes exactly as a platform could send them.
 */
function rawHook(sender: string, mid: string, text: string): string {
  const at = Date.now();
  return `{"object":"page","entry":[{"id":"PAGE","time":${at},"messaging":[{"sender":{"id":"${sender}"},"recipient":{"id":"PAGE"},"timestamp":${at},"message":{"mid":"${mid}","text":"${text}"}}]}]}`;
}

// 30 webhooks at once share one group commit; one carries a lone surrogate in its message id,
// one a NUL in its text, one a lone surrogate in its sender id. The first two are cleaned and
// answered, the third is refused with a 400 on its own, and every neighbour is answered once.
describe.each(BACKENDS)('a poisoned event among 30 concurrent webhooks ($name)', (backend) => {
  let graph: FakeGraphApi;
  let t: TestApp | undefined;

  afterEach(async () => {
    await t?.close();
    t = undefined;
    await graph?.close();
  });

  it('is cleaned or refused on its own; its neighbours are answered', async () => {
    graph = new FakeGraphApi();
    t = await startTestApp({ backend, env: messengerEnv(await graph.start()) });
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const run = Date.now();
    const bodies = Array.from({ length: 30 }, (_, i) => {
      if (i === 7) return rawHook(`psid-${i}`, `m.${run}.bad\\ud800id`, 'xin chào');
      if (i === 13) return rawHook(`psid-${i}`, `m.${run}.${i}`, 'xin\\u0000 chào');
      if (i === 21) return rawHook(`psid-\\udc00`, `m.${run}.${i}`, 'xin chào');
      return rawHook(`psid-${i}`, `m.${run}.${i}`, 'xin chào');
    });
    const answers = await Promise.all(
      bodies.map(async (body) => {
        const res = await fetch(`${base}/webhooks/messenger`, {
          method: 'POST',
          headers: signMessenger(body),
          body,
        });
        return { status: res.status, body: await res.text() };
      }),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(29);
    expect(answers[21]!.status).toBe(400);
    expect(JSON.parse(answers[21]!.body)).toMatchObject({ error: 'Bad Request' });
    expect(answers[21]!.body).not.toMatch(/\n\s+at |stack/);

    await t.services.inbox.idle();
    const perUser = new Map<string, number>();
    for (const b of graph.accepted)
      perUser.set(b.recipient?.id ?? '', (perUser.get(b.recipient?.id ?? '') ?? 0) + 1);
    const expected = perUser.get('psid-0')!;
    expect(expected).toBeGreaterThan(0);
    for (let i = 0; i < 30; i++)
      if (i !== 21) expect(perUser.get(`psid-${i}`), `psid-${i}`).toBe(expected);
    expect([...perUser.keys()].some((k) => k.includes('\udc00') || k.includes('\ufffd'))).toBe(
      false,
    );
    expect(await t.services.inboxRepo.counts()).toEqual({ done: 29 });

    // A platform retry of the cleaned message id is recognised as the same event.
    const retry = rawHook('psid-7', `m.${run}.bad\\ud800id`, 'xin chào');
    const again = await fetch(`${base}/webhooks/messenger`, {
      method: 'POST',
      headers: signMessenger(retry),
      body: retry,
    });
    expect(again.status).toBe(200);
    await t.services.inbox.idle();
    expect(await t.services.inboxRepo.counts()).toEqual({ done: 29 });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('llw_webhook_rejected_total{channel="messenger",reason="poison"} 1');
  });
});
