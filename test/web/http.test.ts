import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { referenceFor } from '../../src/core/activities.js';
import { createLogger, lazyChildLogger } from '../../src/logger.js';
import { simulate, startTestApp, testConfig, type TestApp } from '../helpers/app.js';

/** A log destination that keeps each line written to it. */
function logSink(): { lines: string[]; sink: Writable } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, sink };
}

describe('HTTP surface', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('answers /healthz and /readyz, and /readyz says 503 when storage is gone', async () => {
    t = await startTestApp();
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    await t.services.store.close();
    const down = await t.app.inject('/readyz');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'not ready', checks: { storage: 'unreachable' } });
    await t.app.close();
    t = undefined;
  });

  it.each([
    ['unknown route', { method: 'GET' as const, url: '/nope' }, 404, 'No route GET /nope'],
    [
      'malformed JSON',
      {
        method: 'POST' as const,
        url: '/simulator/api/messages',
        headers: { 'content-type': 'application/json' },
        payload: '{"userId": ',
      },
      400,
      'not valid JSON',
    ],
    [
      'empty JSON body',
      {
        method: 'POST' as const,
        url: '/simulator/api/messages',
        headers: { 'content-type': 'application/json' },
        payload: '',
      },
      400,
      'empty',
    ],
    [
      'missing userId',
      { method: 'POST' as const, url: '/simulator/api/messages', payload: { text: 'hi' } },
      400,
      'userId is required',
    ],
    [
      'text of the wrong type',
      {
        method: 'POST' as const,
        url: '/simulator/api/messages',
        payload: { userId: 'u', text: 5 },
      },
      400,
      'text must be a string',
    ],
    [
      'bad locale',
      {
        method: 'POST' as const,
        url: '/simulator/api/messages',
        payload: { userId: 'u', text: 'hi', locale: 'fr' },
      },
      400,
      'locale',
    ],
    [
      'oversized body',
      {
        method: 'POST' as const,
        url: '/simulator/api/messages',
        payload: { userId: 'u', text: 'x'.repeat(300_000) },
      },
      413,
      'too large',
    ],
    [
      'admin API without a token configured',
      { method: 'GET' as const, url: '/api/v1/status' },
      401,
      'ADMIN_TOKEN',
    ],
  ])('%s -> a clear 4xx without a stack trace', async (_name, request, status, message) => {
    t = await startTestApp();
    const res = await t.app.inject(request);
    expect(res.statusCode).toBe(status);
    expect(res.json<{ message: string }>().message).toContain(message);
    expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/);
    // Nothing was recorded for a refused request.
    expect(await t.services.inboxRepo.counts()).toEqual({});
  });

  it('logs each request with its request id, and binds no logger when nothing is written', async () => {
    const { lines, sink } = logSink();
    const logger = createLogger('info', sink);
    t = await startTestApp({ logger });
    const given = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'lb-42' } });
    expect(given.headers['x-request-id']).toBe('lb-42');
    const missing = await t.app.inject({
      url: '/no-such-page',
      headers: { 'x-request-id': 'lb-43' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-request-id']).toBe('lb-43');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/webhooks/messenger',
      headers: { 'content-type': 'application/json', 'x-request-id': 'lb-44' },
      payload: '{"object":',
    });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.headers['x-request-id']).toBe('lb-44');
    const records = lines
      .flatMap((l) => l.trim().split('\n'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const id of ['lb-42', 'lb-43', 'lb-44']) {
      const mine = records.filter((r) => r.reqId === id).map((r) => r.msg);
      expect(mine).toContain('incoming request');
      expect(mine).toContain('request completed');
    }

    // At warn, a request that writes nothing never binds a child logger of its own.
    lines.length = 0;
    logger.level = 'warn';
    const child = vi.spyOn(logger, 'child');
    const quiet = await t.app.inject({ url: '/healthz' });
    expect(quiet.statusCode).toBe(200);
    expect(quiet.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(child).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('protects the admin API with the bearer token', async () => {
    t = await startTestApp({ env: { ADMIN_TOKEN: 'a-very-long-admin-token' } });
    expect((await t.app.inject({ url: '/api/v1/status' })).statusCode).toBe(401);
    expect(
      (
        await t.app.inject({
          url: '/api/v1/status',
          headers: { authorization: 'Bearer wrong-token-wrong' },
        })
      ).statusCode,
    ).toBe(401);
    const ok = await t.app.inject({
      url: '/api/v1/status',
      headers: { authorization: 'Bearer a-very-long-admin-token' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ storage: 'sqlite', channels: ['simulator'] });
  });

  it('keeps what users chose across a restart (same data folder)', async () => {
    const config = testConfig();
    t = await startTestApp({ config });
    await simulate(t.app, { userId: 'keeper', text: 'English' });
    await t.close();
    t = await startTestApp({ config });
    const replies = await simulate(t.app, { userId: 'keeper', text: 'menu' });
    expect(replies[0]!.text).toContain('What would you like to know?');
  });

  it('runs a bot-initiated turn through continueConversation', async () => {
    t = await startTestApp();
    await (
      await t.services.engine()
    ).adapter.continueConversation(referenceFor('simulator', 'proactive-user'), async (context) => {
      await context.sendActivity('Lễ khai mạc bắt đầu lúc 8:00');
    });
    const res = await t.app.inject({ url: '/simulator/api/messages?userId=proactive-user' });
    expect(res.json()).toEqual({ replies: [{ text: 'Lễ khai mạc bắt đầu lúc 8:00' }] });
  });

  it('serves the simulator page in Vietnamese', async () => {
    t = await startTestApp();
    const res = await t.app.inject('/simulator');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('lang="vi"');
    expect(res.body).toContain('Nhập tin nhắn');
  });

  it('turns the simulator off when asked', async () => {
    t = await startTestApp({ env: { SIMULATOR: 'off' } });
    expect((await t.app.inject('/simulator')).statusCode).toBe(404);
  });

  it('processes a repeated simulator message id once', async () => {
    t = await startTestApp();
    const first = await simulate(t.app, { userId: 'dup', text: 'xin chào', messageId: 'same-id' });
    const second = await simulate(t.app, { userId: 'dup', text: 'xin chào', messageId: 'same-id' });
    expect(first).toHaveLength(1);
    expect(second).toEqual([]);
  });
});

describe('logging', () => {
  it('redacts signatures, tokens and phone numbers, and drops query strings', () => {
    const { lines, sink } = logSink();
    const log = createLogger('info', sink);
    log.info(
      { req: { method: 'POST', url: '/webhooks/viber?sig=abcdef', headers: {} } },
      'incoming',
    );
    log.info(
      {
        phone: '+84912345678',
        registration: { phone: '0912345678', fullName: 'Nguyễn Văn A' },
        accessToken: 'tok-123',
      },
      'x',
    );
    const all = lines.join('');
    expect(all).toContain('/webhooks/viber');
    expect(all).not.toContain('abcdef');
    expect(all).not.toContain('912345678');
    expect(all).not.toContain('Nguyễn');
    expect(all).not.toContain('tok-123');
  });

  it('makes a request logger real only for a line at an enabled level', () => {
    const { lines, sink } = logSink();
    const parent = createLogger('warn', sink);
    const child = vi.spyOn(parent, 'child');
    const log = lazyChildLogger(parent, { reqId: 'r-1' }, {});
    log.info('not written');
    log.debug({ phone: '0912345678' }, 'not written either');
    expect(child).not.toHaveBeenCalled();
    expect(log.level).toBe('warn');
    expect(log.isLevelEnabled('info')).toBe(false);
    log.warn({ phone: '0912345678' }, 'written');
    log.error('also written');
    expect(child).toHaveBeenCalledTimes(1);
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => [r.reqId, r.msg])).toEqual([
      ['r-1', 'written'],
      ['r-1', 'also written'],
    ]);
    expect(lines.join('')).not.toContain('912345678');
    log.child({ step: 'x' }).warn('from a grandchild');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ reqId: 'r-1', step: 'x' });
  });

  it('starts with a config error message for a bad setting (no stack)', () => {
    expect(() => testConfig({ PORT: 'x' })).toThrow('PORT: "x" is not a whole number');
  });
});
