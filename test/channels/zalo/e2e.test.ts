import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { createLogger } from '../../../src/logger.js';
import { createServices } from '../../../src/services.js';
import { BACKENDS, startTestApp, testConfig, type TestApp } from '../../helpers/app.js';
import { startFakeZalo, type FakeZalo } from '../../fakes/fake-zalo.js';
import { APP_ID, APP_SECRET, mac, textEvent, zaloEnv } from './helpers.js';

const GREETING = 'Chuyển đổi số thúc đẩy Học tập suốt đời';

describe.each(BACKENDS)('Zalo end to end over real HTTP ($name)', (backend) => {
  let fake: FakeZalo;
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
    await fake?.close();
  });

  async function start(): Promise<string> {
    fake = await startFakeZalo({
      appId: APP_ID,
      appSecret: APP_SECRET,
      accessToken: 'live-access',
      refreshToken: 'live-refresh',
    });
    t = await startTestApp({
      backend,
      env: zaloEnv(fake.url, {
        ZALO_ACCESS_TOKEN: 'live-access',
        ZALO_REFRESH_TOKEN: 'live-refresh',
      }),
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    return `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  }

  async function zaloPosts(base: string, raw: string): Promise<number> {
    const res = await fetch(`${base}/webhooks/zalo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac(raw)}` },
      body: raw,
    });
    await res.text();
    return res.status;
  }

  it('a signed "xin chào" gets the menu at the OA API with the right access_token', async () => {
    const base = await start();
    expect(await zaloPosts(base, textEvent('8958041078911298472', 'xin chào', 'e2e-1'))).toBe(200);
    await t.services.inbox.idle();

    const [sent, ...more] = fake.requests;
    expect(more).toEqual([]);
    expect(sent?.accessToken).toBe('live-access');
    expect(sent?.error).toBe(0);
    expect(sent?.body.recipient).toEqual({ user_id: '8958041078911298472' });
    expect(sent?.body.message.text).toContain(GREETING);
    expect(sent?.body.message.text).toContain('1. Giới thiệu Tuần lễ');
    // The menu's buttons, or (past Zalo's 5-button cap) none: the numbered text carries it.
    const menu = (await t.services.welcome('vi')).choices ?? [];
    const buttons = sent?.body.message.attachment?.payload.buttons.map((b) => b.payload);
    if (menu.length <= 5) expect(buttons).toEqual(menu.map((c) => `#${c.payload}`));
    else expect(buttons).toBeUndefined();
    expect(sent?.body.message.text).toContain(`${menu.length}. English`);
  });

  it('an expired token is refreshed exactly once and the reply still arrives', async () => {
    const base = await start();
    fake.expireAccessToken();
    expect(await zaloPosts(base, textEvent('u-exp', 'xin chào', 'e2e-2'))).toBe(200);
    await t.services.inbox.idle();

    expect(fake.refreshCalls).toBe(1);
    expect(fake.reusedRefreshTokens).toBe(0);
    expect(fake.requests.map((r) => [r.accessToken, r.error])).toEqual([
      ['live-access', -216],
      ['fake-access-1', 0],
    ]);
    expect(fake.delivered()[0]?.body.message.text).toContain(GREETING);

    // The next turn uses the refreshed token straight away.
    expect(await zaloPosts(base, textEvent('u-exp', 'menu', 'e2e-3'))).toBe(200);
    await t.services.inbox.idle();
    expect(fake.refreshCalls).toBe(1);
    expect(fake.requests.at(-1)).toMatchObject({ accessToken: 'fake-access-1', error: 0 });
  });
});

describe('Zalo logs', () => {
  it('name what happened (refresh, refused mac) but never tokens, macs or what people wrote', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const fake = await startFakeZalo({
      appId: APP_ID,
      appSecret: APP_SECRET,
      accessToken: 'live-access',
      refreshToken: 'live-refresh',
    });
    const config = testConfig(
      zaloEnv(fake.url, { ZALO_ACCESS_TOKEN: 'live-access', ZALO_REFRESH_TOKEN: 'live-refresh' }),
    );
    const services = await createServices(config, { logger: createLogger('debug', sink) });
    const app = await buildApp(config, services);
    const raw = textEvent('u-log', 'số điện thoại của tôi 0912345678', 'log-1');
    const signature = mac(raw);
    try {
      fake.expireAccessToken();
      const inject = (sig: string) =>
        app.inject({
          method: 'POST',
          url: '/webhooks/zalo',
          headers: { 'content-type': 'application/json', 'x-zevent-signature': sig },
          payload: raw,
        });
      expect((await inject(`mac=${signature}`)).statusCode).toBe(200);
      expect((await inject(`mac=${'1'.repeat(64)}`)).statusCode).toBe(200);
      await services.inbox.idle();
      expect(fake.delivered()).toHaveLength(1);
    } finally {
      await app.close();
      await services.close();
      await fake.close();
    }
    const log = lines.join('');
    expect(log).toContain('Zalo access token refreshed');
    expect(log).toContain('Zalo webhook not verified');
    for (const secret of [
      'live-access',
      'live-refresh',
      'fake-access-1',
      'fake-refresh-1',
      APP_SECRET,
      '0912345678',
      'số điện thoại',
      signature,
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});
