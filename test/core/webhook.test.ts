import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signViberBody } from '../../src/channels/viber/verify.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { signMessenger } from '../helpers/messenger.js';
import { startPlatform, type Platform, type PlatformId } from '../helpers/platforms.js';
import { OFFICIAL_TOKEN } from '../channels/viber/helpers.js';
import { APP_ID, mac } from '../channels/zalo/helpers.js';
import { PausableProxy } from '../fakes/tcp-proxy.js';
import { READY_FRESH_MS } from '../../src/coord/redis-coordinator.js';

/** One request as a platform would send it. */
interface Hook {
  body: string;
  headers: Record<string, string>;
}

/** How one platform writes its webhooks, and what it is answered. */
interface Driver {
  path: string;
  /** The success answer: content type and exact body. */
  ack: { type: RegExp | undefined; body: string };
  /** A text message from `userId` (raw JSON, so `\\udc00` escapes arrive as sent). */
  message(userId: string, id: string, at?: number): string;
  /** A body with nothing for the bot in it (an echo, a status callback). */
  ignoredOnly(): string;
  sign(body: string): Record<string, string>;
  /** A request with a wrong and with no signature: status, and the `message` when refused. */
  wrongSignature: {
    headers: Record<string, string>;
    status: number;
    reason: string;
    message?: string;
  };
  noSignature: { status: number; reason: string; message?: string };
  /** Signed bytes that are not JSON. */
  badJson: { message: string; reason?: string };
  /** Signed JSON the channel cannot read; Zalo parses every object (unknown events are skipped). */
  parseProblem?: { body: string; message: string; reason?: string };
}

let counter = 0;
const next = () => `${Date.now()}-${(counter += 1)}`;
const TOKEN_BASE = BigInt(Date.now()) * 1000n;

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const DRIVERS: Record<PlatformId, Driver> = {
  messenger: {
    path: '/webhooks/messenger',
    ack: { type: /^text\/plain/, body: 'EVENT_RECEIVED' },
    message: (userId, id, at = Date.now()) =>
      `{"object":"page","entry":[{"id":"PAGE","time":${at},"messaging":[{"sender":{"id":"${userId}"},"recipient":{"id":"PAGE"},"timestamp":${at},"message":{"mid":"m.${id}","text":"xin chào"}}]}]}`,
    ignoredOnly: () =>
      `{"object":"page","entry":[{"id":"PAGE","time":1,"messaging":[{"sender":{"id":"psid-r"},"recipient":{"id":"PAGE"},"timestamp":1,"reaction":{"mid":"m.r","action":"react","reaction":"love"}}]}]}`,
    sign: (body) => signMessenger(body),
    wrongSignature: {
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      },
      status: 403,
      reason: 'signature-mismatch',
      message: 'X-Hub-Signature-256 does not match the body.',
    },
    noSignature: {
      status: 401,
      reason: 'signature-missing',
      message: 'X-Hub-Signature-256 (sha256=<64 hex digits>) is required.',
    },
    badJson: { message: 'The request body is not valid JSON.' },
    parseProblem: { body: '{"object":"page","entry":{}}', message: '"entry" is not an array.' },
  },
  viber: {
    path: '/webhooks/viber',
    ack: { type: undefined, body: '' },
    // Message tokens are 64-bit integers, written bare as Viber does.
    message: (userId, _id, at = Date.now()) =>
      `{"event":"message","timestamp":${at},"message_token":${TOKEN_BASE + BigInt((counter += 1))},"sender":{"id":"${userId}","language":"vi"},"message":{"type":"text","text":"xin chào"}}`,
    ignoredOnly: () => '{"event":"client_status","timestamp":1,"user":{"id":"u=="}}',
    sign: (body) => ({
      'content-type': 'application/json',
      'x-viber-content-signature': signViberBody(body, OFFICIAL_TOKEN),
    }),
    wrongSignature: {
      headers: { 'content-type': 'application/json', 'x-viber-content-signature': 'a'.repeat(64) },
      status: 403,
      reason: 'signature-mismatch',
      message: 'X-Viber-Content-Signature does not match the body.',
    },
    noSignature: {
      status: 401,
      reason: 'signature-missing',
      message: 'X-Viber-Content-Signature is missing.',
    },
    badJson: { message: 'The request body is not valid JSON.', reason: 'unreadable' },
    parseProblem: { body: '{"event":5}', message: 'event must be a string.', reason: 'unreadable' },
  },
  zalo: {
    path: '/webhooks/zalo',
    ack: { type: /^application\/json/, body: '{"ok":true}' },
    message: (userId, id, at = Date.now()) =>
      `{"app_id":"${APP_ID}","sender":{"id":"${userId}"},"recipient":{"id":"OA"},"event_name":"user_send_text","message":{"text":"xin chào","msg_id":"z.${id}"},"timestamp":"${at}"}`,
    ignoredOnly: () =>
      `{"app_id":"${APP_ID}","sender":{"id":"OA"},"recipient":{"id":"u1"},"event_name":"oa_send_text","message":{"text":"x","msg_id":"z.echo"},"timestamp":"${Date.now()}"}`,
    // The mac covers the body's timestamp: bytes that are not JSON get a well-formed wrong one.
    sign: (body) => ({
      'content-type': 'application/json',
      'x-zevent-signature': `mac=${isJson(body) ? mac(body) : '0'.repeat(64)}`,
    }),
    // Zalo's console sends unsigned tests: a failed check is answered 200 and not acted on.
    wrongSignature: {
      headers: {
        'content-type': 'application/json',
        'x-zevent-signature': `mac=${'0'.repeat(64)}`,
      },
      status: 200,
      reason: 'bad-signature',
    },
    noSignature: { status: 200, reason: 'missing-signature' },
    badJson: { message: 'The request body is not a JSON object.', reason: 'malformed' },
  },
};

interface Harness {
  t: TestApp;
  proxy: PausableProxy;
  platform: Platform;
  driver: Driver;
  post(hook: Hook): Promise<{
    status: number;
    type: string | undefined;
    body: string;
    retryAfter: string | undefined;
  }>;
  stored(): Promise<number>;
  rejected(reason: string): number;
}

// One table of outcomes (courier's handler tests) for every channel: the pipeline in
// core/webhook.ts answers each the same way whatever the platform, on PostgreSQL + Redis with
// Redis behind a proxy the last row pauses.
describe.each(['messenger', 'viber', 'zalo'] as const)('POST /webhooks/%s', (id) => {
  let h: Harness;

  beforeAll(async () => {
    const target = new URL(TEST_REDIS_URL);
    const proxy = new PausableProxy(target.hostname, Number(target.port));
    await proxy.start();
    const proxied = new URL(target);
    proxied.host = `127.0.0.1:${proxy.port}`;
    const platform = await startPlatform(id);
    const t = await startTestApp({
      backend: { name: 'postgres+redis', db: 'postgres', redis: true },
      env: {
        ...platform.env,
        REDIS_URL: proxied.toString(),
        ...(id === 'zalo' ? { ZALO_MAX_EVENT_AGE_MINUTES: '60' } : {}),
      },
    });
    const driver = DRIVERS[id];
    h = {
      t,
      proxy,
      platform,
      driver,
      async post(hook) {
        const res = await t.app.inject({
          method: 'POST',
          url: driver.path,
          headers: hook.headers,
          payload: hook.body,
        });
        const type = res.headers['content-type'];
        const retryAfter = res.headers['retry-after'];
        return {
          status: res.statusCode,
          type: typeof type === 'string' ? type : undefined,
          body: res.body,
          retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
        };
      },
      async stored() {
        const counts = await t.services.inboxRepo.counts();
        return Object.values(counts).reduce((a, b) => a + b, 0);
      },
      rejected: (reason) => t.services.rejected.get(`${id}:${reason}`) ?? 0,
    };
  });

  afterAll(async () => {
    h.proxy.resume();
    await h.t.close();
    await h.proxy.close();
    await h.platform.close();
  });

  const signed = (body: string): Hook => ({ body, headers: h.driver.sign(body) });

  /** Posts, and checks the answer and what was stored and counted. */
  async function expectOutcome(
    hook: Hook,
    outcome: { status: number; message?: string; stored: number; reason?: string },
  ): Promise<void> {
    const before = {
      stored: await h.stored(),
      rejected: outcome.reason ? h.rejected(outcome.reason) : 0,
    };
    const res = await h.post(hook);
    expect(res.status).toBe(outcome.status);
    if (outcome.status === 200) {
      expect(res.body).toBe(h.driver.ack.body);
      if (h.driver.ack.type) expect(res.type).toMatch(h.driver.ack.type);
    } else {
      expect(JSON.parse(res.body)).toEqual({
        error: { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden' }[outcome.status],
        message: outcome.message,
      });
    }
    expect(await h.stored()).toBe(before.stored + outcome.stored);
    if (outcome.reason) expect(h.rejected(outcome.reason)).toBe(before.rejected + 1);
  }

  it('accepted: a signed message is stored once and acknowledged; its retry is not stored again', async () => {
    const hook = signed(h.driver.message(`u-${next()}`, next()));
    await expectOutcome(hook, { status: 200, stored: 1 });
    await expectOutcome(hook, { status: 200, stored: 0 });
  });

  it('ignored only: acknowledged, nothing stored', async () => {
    await expectOutcome(signed(h.driver.ignoredOnly()), { status: 200, stored: 0 });
  });

  it('wrong signature: refused (Zalo: 200, not acted on), counted, nothing stored', async () => {
    const { headers, status, reason, message } = h.driver.wrongSignature;
    await expectOutcome(
      { body: h.driver.message(`u-${next()}`, next()), headers },
      { status, reason, stored: 0, ...(message ? { message } : {}) },
    );
  });

  it('no signature: refused (Zalo: 200, not acted on), counted, nothing stored', async () => {
    const { status, reason, message } = h.driver.noSignature;
    await expectOutcome(
      {
        body: h.driver.message(`u-${next()}`, next()),
        headers: { 'content-type': 'application/json' },
      },
      { status, reason, stored: 0, ...(message ? { message } : {}) },
    );
  });

  it('bad JSON: 400 naming the problem', async () => {
    const { message, reason } = h.driver.badJson;
    await expectOutcome(signed('{"not json'), {
      status: 400,
      message,
      stored: 0,
      ...(reason ? { reason } : {}),
    });
  });

  it.skipIf(!DRIVERS[id].parseProblem)('parse problem: 400 naming the problem', async () => {
    const { body, message, reason } = h.driver.parseProblem!;
    await expectOutcome(signed(body), {
      status: 400,
      message,
      stored: 0,
      ...(reason ? { reason } : {}),
    });
  });

  it.runIf(id === 'zalo')('stale timestamp (Zalo): 200, not acted on, counted', async () => {
    const old = Date.now() - 2 * 3600_000;
    await expectOutcome(signed(h.driver.message(`u-${next()}`, next(), old)), {
      status: 200,
      reason: 'stale-timestamp',
      stored: 0,
    });
  });

  it('poison: a request naming an unstorable user is refused alone; its neighbour is stored', async () => {
    const before = { stored: await h.stored(), poison: h.rejected('poison') };
    const [poisoned, clean] = await Promise.all([
      h.post(signed(h.driver.message('u-\\udc00', next()))),
      h.post(signed(h.driver.message(`u-${next()}`, next()))),
    ]);
    expect(poisoned.status).toBe(400);
    expect(JSON.parse(poisoned.body)).toEqual({
      error: 'Bad Request',
      message: 'The events name a user id that is not valid UTF-16 text.',
    });
    expect(clean.status).toBe(200);
    expect(clean.body).toBe(h.driver.ack.body);
    expect(await h.stored()).toBe(before.stored + 1);
    expect(h.rejected('poison')).toBe(before.poison + 1);
  });

  // Last: it pauses Redis.
  it('storage down: 503 with Retry-After within the accept timeout; the retry is stored once', async () => {
    const hook = signed(h.driver.message(`u-${next()}`, next()));
    const before = await h.stored();
    h.proxy.pause();
    // An answer from Redis a moment ago still counts (READY_FRESH_MS), and the proxy still passes
    // the answers to commands sent before the pause (a busy CI machine delays them): let them age.
    await new Promise((r) => setTimeout(r, READY_FRESH_MS + 500));
    const started = Date.now();
    const refused = await h.post(hook);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe('5');
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'Service Unavailable' });
    h.proxy.resume();
    const retried = await h.post(hook);
    expect(retried.status).toBe(200);
    // The refused attempt may still record the event once Redis answers; either way, once.
    await vi.waitFor(async () => expect(await h.stored()).toBe(before + 1), { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.stored()).toBe(before + 1);
  });
});
