import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { startFakeZalo, type FakeZalo } from '../../fakes/fake-zalo.js';
import { APP_ID, APP_SECRET, postWebhook, textEvent, zaloEnv } from './helpers.js';

const START = Date.UTC(2026, 9, 1, 8, 0, 0);
const MINUTE = 60_000;
const OA_ID = '4024926008133882615';

let t: TestApp | undefined;
let fake: FakeZalo | undefined;
afterEach(async () => {
  await t?.close();
  await fake?.close();
  t = fake = undefined;
});

async function start(env: Record<string, string> = {}): Promise<{ t: TestApp; fake: FakeZalo }> {
  fake = await startFakeZalo({
    appId: APP_ID,
    appSecret: APP_SECRET,
    accessToken: 'seed-access',
    refreshToken: 'seed-refresh',
  });
  t = await startTestApp({ clock: new ManualClock(START), env: zaloEnv(fake.url, env) });
  return { t, fake };
}

async function metric(app: TestApp['app'], reason: string): Promise<number> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`llw_webhook_rejected_total{channel="zalo",reason="${reason}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('Zalo: a signed event outside the freshness window is a replay', () => {
  it.each([
    ['61 minutes old', -61 * MINUTE, false],
    ['59 minutes old', -59 * MINUTE, true],
    ['61 minutes in the future', 61 * MINUTE, false],
  ])('ZALO_MAX_EVENT_AGE_MINUTES=60, %s', async (_what, offset, processed) => {
    const { t, fake } = await start({ ZALO_MAX_EVENT_AGE_MINUTES: '60' });
    const res = await postWebhook(t.app, textEvent('7001', 'xin chào', 'm-fresh', START + offset));
    expect(res.statusCode).toBe(200); // Zalo needs a 200 either way
    await t.services.inbox.idle();
    expect(await t.services.inboxRepo.counts()).toEqual(processed ? { done: 1 } : {});
    expect(fake.delivered().length > 0).toBe(processed);
    expect(await metric(t.app, 'stale-timestamp')).toBe(processed ? 0 : 1);
  });

  it('defaults to 3 hours: a 2-hour-old retry still runs, a 4-hour-old copy does not', async () => {
    const { t, fake } = await start({ ZALO_MAX_EVENT_AGE_MINUTES: '' });
    await postWebhook(t.app, textEvent('7002', 'xin chào', 'm-2h', START - 120 * MINUTE));
    await postWebhook(t.app, textEvent('7003', 'xin chào', 'm-4h', START - 240 * MINUTE));
    await t.services.inbox.idle();
    expect(fake.delivered().map((m) => m.body.recipient)).toEqual([{ user_id: '7002' }]);
    expect(await metric(t.app, 'stale-timestamp')).toBe(1);
  });
});

function anonymous(eventName: string, text: string | undefined, msgId: string): string {
  return JSON.stringify({
    app_id: APP_ID,
    sender: { id: 'anon-5566' },
    recipient: { id: OA_ID },
    event_name: eventName,
    message: {
      ...(text === undefined ? { attachments: [{ type: 'image', payload: {} }] } : { text }),
      msg_id: msgId,
      conversation_id: 'conv-8899',
    },
    timestamp: String(START),
  });
}

describe('Zalo: anonymous chats are answered in their conversation', () => {
  it('anonymous_send_text gets the greeting, addressed to the anonymous conversation', async () => {
    const { t, fake } = await start();
    expect(
      (await postWebhook(t.app, anonymous('anonymous_send_text', 'xin chào', 'a1'))).statusCode,
    ).toBe(200);
    await t.services.inbox.idle();
    const sent = fake.delivered();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]!.body.recipient).toEqual({
      anonymous_id: 'anon-5566',
      conversation_id: 'conv-8899',
    });
    expect(sent[0]!.body.message.text).toContain('Chuyển đổi số thúc đẩy Học tập suốt đời');
  });

  it('an anonymous picture gets the polite "text only" answer in that conversation', async () => {
    const { t, fake } = await start();
    await postWebhook(t.app, anonymous('anonymous_send_image', undefined, 'a2'));
    await t.services.inbox.idle();
    const [first] = fake.delivered();
    expect(first?.body.recipient).toEqual({
      anonymous_id: 'anon-5566',
      conversation_id: 'conv-8899',
    });
    expect(first?.body.message.text).toContain('chỉ đọc được tin nhắn chữ');
  });

  it('without a conversation id nothing is run (there is nowhere to answer)', async () => {
    const { t, fake } = await start();
    const body = JSON.parse(anonymous('anonymous_send_text', 'xin chào', 'a3')) as {
      message: Record<string, unknown>;
    };
    delete body.message.conversation_id;
    await postWebhook(t.app, JSON.stringify(body));
    await t.services.inbox.idle();
    expect(await t.services.inboxRepo.counts()).toEqual({});
    expect(fake.delivered()).toEqual([]);
  });
});

describe('Zalo: the bot stays silent in group chats', () => {
  it.each([
    ['user_send_group_text', { text: `[@${OA_ID}] xin chào, cho hỏi lịch khai mạc` }],
    ['user_send_group_image', { attachments: [{ type: 'image', payload: {} }] }],
  ])('%s: no reply at all (never "text only"), nothing stored', async (eventName, message) => {
    const { t, fake } = await start();
    const body = JSON.stringify({
      app_id: APP_ID,
      oa_id: OA_ID,
      sender: { id: '7004' },
      recipient: { id: 'group-1234' },
      event_name: eventName,
      message: { ...message, msg_id: `g-${eventName}` },
      timestamp: String(START),
    });
    expect((await postWebhook(t.app, body)).statusCode).toBe(200);
    await t.services.inbox.idle();
    expect(fake.delivered()).toEqual([]);
    expect(await t.services.inboxRepo.counts()).toEqual({});
  });
});
