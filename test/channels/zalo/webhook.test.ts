import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import type { ReceiptEvent } from '../../../src/core/events.js';
import { BACKENDS, startTestApp, type TestApp } from '../../helpers/app.js';
import { startFakeZalo, type FakeZalo } from '../../fakes/fake-zalo.js';
import {
  APP_ID,
  APP_SECRET,
  fixture,
  mac,
  OA_SECRET,
  postWebhook,
  textEvent,
  webhookFixtures,
  zaloEnv,
} from './helpers.js';

const GREETING = 'Chuyển đổi số thúc đẩy Học tập suốt đời';
const START = Date.UTC(2026, 9, 1, 8, 0, 0);

interface Harness {
  t: TestApp;
  fake: FakeZalo;
  clock: ManualClock;
  receipts: ReceiptEvent[];
  /** Texts the fake OA API accepted, in order. */
  texts(): string[];
}

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.t.close();
    await h.fake.close();
  }
});

async function harness(env: Record<string, string> = {}, backend = BACKENDS[0]!): Promise<Harness> {
  const fake = await startFakeZalo({
    appId: APP_ID,
    appSecret: APP_SECRET,
    accessToken: 'seed-access',
    refreshToken: 'seed-refresh',
  });
  const clock = new ManualClock(START);
  const t = await startTestApp({ backend, clock, env: zaloEnv(fake.url, env) });
  const receipts: ReceiptEvent[] = [];
  t.services.receiptListeners.push(async (e) => {
    receipts.push(e);
  });
  const h = {
    t,
    fake,
    clock,
    receipts,
    texts: () => fake.delivered().map((m) => m.body.message.text),
  };
  open.push(h);
  return h;
}

/** What a user (or the organisers) would notice after each shared fixture. */
const OUTCOME: Record<string, 'greeting' | 'text-only' | 'reply' | 'receipt' | 'kept' | 'ignored'> =
  {
    'add_user_to_tag.official-docs.transcribed.json': 'ignored',
    'follow.official-docs.json': 'greeting',
    'follow.real-capture.raw.json': 'greeting',
    'user_send_text.official-docs.json': 'reply',
    'user_submit_info.official-docs.transcribed.json': 'kept',
    'zns_user_received_message.official-docs.transcribed.json': 'receipt',
    'console-test/oa_send_file.json': 'ignored',
    'console-test/oa_send_gif.json': 'ignored',
    'console-test/oa_send_image.json': 'ignored',
    'console-test/oa_send_list.json': 'ignored',
    'console-test/oa_send_text.json': 'ignored',
    'console-test/user_send_audio.json': 'text-only',
    'console-test/user_send_file.json': 'text-only',
    'console-test/user_send_gif.json': 'text-only',
    'console-test/user_send_image.json': 'text-only',
    'console-test/user_send_link.json': 'text-only',
    'console-test/user_send_sticker.json': 'text-only',
    'console-test/user_send_text.json': 'reply',
    'console-test/user_send_video.json': 'text-only',
  };

describe('POST /webhooks/zalo with every shared fixture (signed)', () => {
  it('covers every fixture file', () => {
    expect(Object.keys(OUTCOME).sort()).toEqual(webhookFixtures());
  });

  it('signs the real capture byte-exact with the documented formula', () => {
    expect(mac(fixture('follow.real-capture.raw.json'))).toBe(
      '85835e8ea1c119908968266f619016de4c21f699f5dc4ce9e18ee0194bb6c7e4',
    );
  });

  it.each(webhookFixtures())('%s', async (name) => {
    const h = await harness();
    const raw = fixture(name);
    const res = await postWebhook(h.t.app, raw);
    expect(res.statusCode).toBe(200);
    await h.t.services.inbox.idle();
    const stored = await h.t.services.inboxRepo.counts();
    const texts = h.texts();
    switch (OUTCOME[name]) {
      case 'greeting':
        expect(texts).toHaveLength(1);
        expect(texts[0]).toContain(GREETING);
        expect(texts[0]).toContain('1. Giới thiệu Tuần lễ');
        if (((await h.t.services.welcome('vi')).choices ?? []).length <= 5) {
          expect(h.fake.delivered()[0]?.body.message.attachment?.payload.buttons[0]).toEqual({
            title: 'Giới thiệu Tuần lễ',
            type: 'oa.query.show',
            payload: '#ABOUT',
          });
        }
        break;
      case 'text-only':
        expect(texts[0]).toContain('chỉ đọc được tin nhắn chữ');
        break;
      case 'reply':
        expect(texts.length).toBeGreaterThan(0);
        break;
      case 'receipt':
        expect(texts).toEqual([]);
        expect(h.receipts.map((r) => r.messageIds)).toEqual([['15a0cc0bbb13bd4ce403']]);
        break;
      case 'kept':
        expect(texts).toEqual([]);
        expect(stored).toEqual({ done: 1 });
        break;
      case 'ignored':
        expect(texts).toEqual([]);
        expect(stored).toEqual({});
        break;
    }
    expect(h.t.services.rejected.size).toBe(0);
  });
});

describe('POST /webhooks/zalo refusals', () => {
  const body = textEvent('u-bad', 'xin chào', 'msg-bad-1', START);
  const good = mac(body);
  const flipped = body.replace('xin chào', 'xin chàO');

  it.each<[string, string | Buffer, string | null, string]>([
    ['no signature header', body, null, 'missing-signature'],
    ['wrong prefix', body, `sha256=${good}`, 'bad-signature-format'],
    ['trailing junk', body, `mac=${good}0`, 'bad-signature-format'],
    ['not hex', body, `mac=${'z'.repeat(64)}`, 'bad-signature-format'],
    ['mac with another secret', body, `mac=${mac(body, 'not-our-secret')}`, 'bad-signature'],
    ['mac with another app id', body, `mac=${mac(body, undefined, '1')}`, 'bad-signature'],
    ['one body byte changed', flipped, `mac=${good}`, 'bad-signature'],
    [
      'no timestamp in body',
      '{"event_name":"user_send_text","sender":{"id":"u"}}',
      `mac=${good}`,
      'missing-timestamp',
    ],
  ])('%s: answered 200, nothing processed, counted', async (_name, raw, signature, reason) => {
    const h = await harness();
    const res = await postWebhook(h.t.app, raw, signature);
    expect(res.statusCode).toBe(200);
    await h.t.services.inbox.idle();
    expect(await h.t.services.inboxRepo.counts()).toEqual({});
    expect(h.fake.requests).toEqual([]);
    expect(await h.t.services.contacts.count()).toBe(0);
    expect(h.t.services.rejected.get(`zalo:${reason}`)).toBe(1);
    const metrics = await h.t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain(
      `llw_webhook_rejected_total{channel="zalo",reason="${reason}"} 1`,
    );
  });

  it.each<[string, string | undefined, string]>([
    ['malformed JSON', '{"event_name": "user_send_text",', 'application/json'],
    ['a JSON array', '[1,2]', 'application/json'],
    ['JSON null', 'null', 'application/json'],
    ['an empty body', '', 'application/json'],
    ['text/plain garbage', 'hello', 'text/plain'],
  ])('%s: 400 with a clear message, counted', async (_name, raw, type) => {
    const h = await harness();
    const res = await h.t.app.inject({
      method: 'POST',
      url: '/webhooks/zalo',
      headers: { 'content-type': type, 'x-zevent-signature': `mac=${'0'.repeat(64)}` },
      ...(raw === undefined ? {} : { payload: raw }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'Bad Request',
      message: 'The request body is not a JSON object.',
    });
    expect(h.t.services.rejected.get('zalo:malformed')).toBe(1);
  });

  it('accepts either of two comma-separated OA secret keys while one is rotated', async () => {
    const h = await harness({ ZALO_OA_SECRET_KEY: `new-oa-secret, ${OA_SECRET}` });
    const a = textEvent('u-rot', 'xin chào', 'msg-rot-1', START);
    const b = textEvent('u-rot', 'menu', 'msg-rot-2', START + 1);
    const c = textEvent('u-rot', 'menu', 'msg-rot-3', START + 2);
    await postWebhook(h.t.app, a, `mac=${mac(a, 'new-oa-secret')}`);
    await postWebhook(h.t.app, b, `mac=${mac(b)}`);
    await postWebhook(h.t.app, c, `mac=${mac(c, 'retired-secret')}`);
    await h.t.services.inbox.idle();
    expect(h.texts()).toHaveLength(2);
    expect(h.t.services.rejected.get('zalo:bad-signature')).toBe(1);
  });

  it('reads a signed body sent without a content type', async () => {
    const h = await harness();
    const raw = textEvent('u-nct', 'xin chào', 'msg-nct', START);
    const res = await h.t.app.inject({
      method: 'POST',
      url: '/webhooks/zalo',
      headers: { 'x-zevent-signature': `mac=${mac(raw)}` },
      payload: raw,
    });
    expect(res.statusCode).toBe(200);
    await h.t.services.inbox.idle();
    expect(h.texts()[0]).toContain(GREETING);
  });
});

describe.each(BACKENDS)('Zalo conversation behaviour ($name)', (backend) => {
  it('a retried delivery (same msg_id, num_retry header) gets one turn', async () => {
    const h = await harness({}, backend);
    const raw = textEvent('u-dup', 'xin chào', 'msg-dup-1', START);
    const signature = `mac=${mac(raw)}`;
    const [a, b] = await Promise.all([
      postWebhook(h.t.app, raw, signature),
      postWebhook(h.t.app, raw, signature),
    ]);
    const c = await h.t.app.inject({
      method: 'POST',
      url: '/webhooks/zalo',
      headers: {
        'content-type': 'application/json',
        'x-zevent-signature': signature,
        num_retry: '1',
      },
      payload: raw,
    });
    expect([a.statusCode, b.statusCode, c.statusCode]).toEqual([200, 200, 200]);
    await h.t.services.inbox.idle();
    expect(h.texts()).toHaveLength(1);
    expect(await h.t.services.inboxRepo.counts()).toEqual({ done: 1 });
  });

  it('skips echoes of our own sends; an agent echo keeps the bot quiet for the configured minutes', async () => {
    const h = await harness({ ZALO_AGENT_PAUSE_MINUTES: '15' }, backend);
    const echo = (admin: boolean, msgId: string) =>
      JSON.stringify({
        app_id: APP_ID,
        event_name: 'oa_send_text',
        timestamp: String(h.clock.now()),
        sender: { id: '4024926008133882615', ...(admin ? { admin_id: '7001' } : {}) },
        recipient: { id: 'u-agent' },
        message: { msg_id: msgId, text: 'Chào anh/chị' },
      });
    const say = async (text: string, msgId: string) => {
      await postWebhook(h.t.app, textEvent('u-agent', text, msgId, h.clock.now()));
      await h.t.services.inbox.idle();
    };

    await postWebhook(h.t.app, echo(false, 'echo-1'));
    await h.t.services.inbox.idle();
    expect(await h.t.services.inboxRepo.counts()).toEqual({});

    await postWebhook(h.t.app, echo(true, 'agent-1'));
    await h.t.services.inbox.idle();
    const contact = await h.t.services.contacts.get('zalo', 'u-agent');
    expect(contact?.agentPausedUntil).toBe(START + 15 * 60_000);

    await say('xin chào', 'm-1');
    h.clock.advance(14 * 60_000);
    await say('menu', 'm-2');
    expect(h.texts()).toEqual([]);

    h.clock.advance(2 * 60_000);
    await say('xin chào', 'm-3');
    expect(h.texts()).toHaveLength(1);
    expect(h.texts()[0]).toContain(GREETING);
  });
});

describe('Zalo follow, chat-now, buttons and forms', () => {
  const body = (event: Record<string, unknown>) =>
    JSON.stringify({ app_id: APP_ID, timestamp: String(START), ...event });

  it('follow greets and records the follow; unfollow stops it silently', async () => {
    const h = await harness();
    await postWebhook(
      h.t.app,
      body({ event_name: 'follow', follower: { id: 'u-f' }, source: 'qr' }),
    );
    await h.t.services.inbox.idle();
    expect(h.texts()[0]).toContain(GREETING);
    expect(await h.t.services.contacts.get('zalo', 'u-f')).toMatchObject({
      followed: true,
      lastInboundAt: START,
    });
    h.clock.advance(60_000);
    await postWebhook(
      h.t.app,
      JSON.stringify({
        app_id: APP_ID,
        event_name: 'unfollow',
        follower: { id: 'u-f' },
        timestamp: String(START + 60_000),
      }),
    );
    await h.t.services.inbox.idle();
    expect(h.texts()).toHaveLength(1);
    expect((await h.t.services.contacts.get('zalo', 'u-f'))?.followed).toBe(false);
  });

  it('chat-now greets a newcomer once; a second click the same day only records the interaction', async () => {
    const h = await harness();
    const click = (ts: number) =>
      JSON.stringify({
        app_id: APP_ID,
        event_name: 'user_click_chatnow',
        sender: { id: 'u-c' },
        recipient: { id: 'oa' },
        timestamp: String(ts),
      });
    await postWebhook(h.t.app, click(START));
    await h.t.services.inbox.idle();
    expect(h.texts()).toHaveLength(1);
    expect(h.texts()[0]).toContain(GREETING);

    await postWebhook(h.t.app, click(START + 3 * 3600_000));
    await h.t.services.inbox.idle();
    expect(h.texts()).toHaveLength(1);
    const contact = await h.t.services.contacts.get('zalo', 'u-c');
    expect(contact).toMatchObject({ lastInboundAt: START + 3 * 3600_000, followed: null });

    await postWebhook(h.t.app, click(START + 30 * 3600_000));
    await h.t.services.inbox.idle();
    expect(h.texts()).toHaveLength(2);
  });

  it('a tapped oa.query.show button (#ABOUT) answers the About topic', async () => {
    const h = await harness();
    await postWebhook(h.t.app, textEvent('u-b', '#ABOUT', 'm-about', START));
    await h.t.services.inbox.idle();
    expect(h.texts().join('\n')).toContain('01/10/2020');
  });

  it('with ZALO_BUTTONS=off the menu is numbered text without buttons', async () => {
    const h = await harness({ ZALO_BUTTONS: 'off' });
    await postWebhook(h.t.app, textEvent('u-n', 'xin chào', 'm-n', START));
    await h.t.services.inbox.idle();
    const [sent] = h.fake.delivered();
    expect(sent?.body.message.attachment).toBeUndefined();
    const menu = (await h.t.services.welcome('vi')).choices ?? [];
    expect(sent?.body.message.text).toMatch(/\n1\. Giới thiệu Tuần lễ\n/);
    expect(sent?.body.message.text).toMatch(new RegExp(`\\n${menu.length}\\. English$`));
    // Typing the number works as the tap would.
    await postWebhook(h.t.app, textEvent('u-n', '1', 'm-n2', START + 1000));
    await h.t.services.inbox.idle();
    expect(h.texts().slice(1).join('\n')).toContain('01/10/2020');
  });

  it('the main menu (more than five entries) is numbered text; every number works, past the fifth too', async () => {
    const h = await harness();
    await postWebhook(h.t.app, textEvent('u-m', 'menu', 'm-m1', START));
    await h.t.services.inbox.idle();
    const [sent] = h.fake.delivered();
    const menu = (await h.t.services.welcome('vi')).choices ?? [];
    expect(menu.length).toBeGreaterThan(5);
    // No half set of buttons: the text is the whole menu, numbered as the bot understands it.
    expect(sent?.body.message.attachment).toBeUndefined();
    expect(sent?.body.message.text).toContain(
      menu.map((c, i) => `${i + 1}. ${c.title}`).join('\n'),
    );
    const events = menu.findIndex((c) => c.payload === 'EVENTS') + 1;
    expect(events).toBeGreaterThan(5);
    await postWebhook(h.t.app, textEvent('u-m', String(events), 'm-m2', START + 1000));
    await h.t.services.inbox.idle();
    expect(h.texts().slice(1).join('\n')).toContain('Lễ khai mạc');
  });

  it('keeps a submitted form for the registration flow, without replying', async () => {
    const h = await harness();
    await postWebhook(h.t.app, fixture('user_submit_info.official-docs.transcribed.json'));
    await h.t.services.inbox.idle();
    const rows = await h.t.services.store.db
      .selectFrom('inbox')
      .select(['kind', 'status', 'conversation'])
      .execute();
    // The fields themselves are parsed in parse.test.ts; the row body is cleared once processed.
    expect(rows).toEqual([
      { kind: 'form_submit', status: 'done', conversation: 'zalo:246845883529697922' },
    ]);
    expect(h.texts()).toEqual([]);
  });
});

describe('GET / (Zalo domain verification)', () => {
  it('serves the meta tag when ZALO_SITE_VERIFICATION is set (escaped)', async () => {
    const h = await harness({ ZALO_SITE_VERIFICATION: 'Abc123"<x>' });
    const res = await h.t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain(
      '<meta name="zalo-platform-site-verification" content="Abc123&#34;&#60;x&#62;" />',
    );
  });

  it('leaves / to the 404 handler otherwise', async () => {
    const h = await harness();
    const res = await h.t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'Not Found', message: 'No route GET /.' });
  });
});
