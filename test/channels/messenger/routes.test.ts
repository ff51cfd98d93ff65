import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WEBHOOK_PATH } from '../../../src/channels/messenger/channel.js';
import { ManualClock } from '../../../src/core/clock.js';
import { BACKENDS, startTestApp, type TestApp } from '../../helpers/app.js';
import {
  fixtureEnvelope,
  MESSENGER_FIXTURES,
  MESSENGER_TEST,
  messengerEnv,
  signMessenger,
  textEnvelope,
} from '../../helpers/messenger.js';
import { FakeGraphApi } from '../../fakes/fake-graph-api.js';

const ERROR_TEXT = 'Xin lỗi anh/chị, hệ thống đang gặp trục trặc';

async function post(
  t: TestApp,
  body: string,
  headers: Record<string, string> = signMessenger(body),
) {
  return t.app.inject({ method: 'POST', url: WEBHOOK_PATH, payload: body, headers });
}

describe('Messenger webhook routes', () => {
  let graph: FakeGraphApi;
  let t: TestApp;
  beforeEach(async () => {
    graph = new FakeGraphApi();
    t = await startTestApp({ env: messengerEnv(await graph.start()) });
  });
  afterEach(async () => {
    await t.close();
    await graph.close();
  });

  describe('GET handshake', () => {
    const query = (q: Record<string, string>) =>
      `${WEBHOOK_PATH}?${new URLSearchParams(q).toString()}`;

    it('answers the challenge as plain text when mode and token match', async () => {
      const res = await t.app.inject(
        query({
          'hub.mode': 'subscribe',
          'hub.verify_token': MESSENGER_TEST.verifyToken,
          'hub.challenge': '1158201444',
        }),
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.body).toBe('1158201444');
    });

    it.each([
      [
        'a wrong token',
        { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' },
      ],
      [
        'a wrong mode',
        {
          'hub.mode': 'unsubscribe',
          'hub.verify_token': MESSENGER_TEST.verifyToken,
          'hub.challenge': '1',
        },
      ],
      ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
      ['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': MESSENGER_TEST.verifyToken }],
      ['nothing', {}],
    ])('refuses %s with 403', async (_name, q) => {
      const res = await t.app.inject(query(q));
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain('1158201444');
    });
  });

  describe('POST signature', () => {
    const body = textEnvelope('SIG_USER', [{ mid: 'm.sig', text: 'xin chào' }]);
    const good = signMessenger(body)['x-hub-signature-256']!;

    it.each([
      ['no signature', {}, 401, 'signature-missing'],
      [
        'sha1 only',
        { 'x-hub-signature': 'sha1=74432bfe572675092cc81b5ac903ff3f971b04e5' },
        401,
        'signature-missing',
      ],
      [
        'a wrong prefix',
        { 'x-hub-signature-256': good.replace('sha256', 'sha1') },
        401,
        'signature-malformed',
      ],
      ['trailing junk', { 'x-hub-signature-256': `${good}00` }, 401, 'signature-malformed'],
      [
        'one byte changed',
        { 'x-hub-signature-256': good.slice(0, -2) + (good.endsWith('00') ? '11' : '00') },
        403,
        'signature-mismatch',
      ],
      ['another secret', signMessenger(body, 'someone-else'), 403, 'signature-mismatch'],
    ])('refuses %s, stores and sends nothing', async (_name, headers, status, reason) => {
      const res = await post(t, body, { 'content-type': 'application/json', ...headers });
      expect(res.statusCode).toBe(status);
      expect(res.json()).toHaveProperty('message');
      await t.services.inbox.idle();
      expect(await t.services.inboxRepo.counts()).toEqual({});
      expect(await t.services.contacts.get('messenger', 'SIG_USER')).toBeUndefined();
      expect(graph.requests).toEqual([]);
      expect(t.services.rejected.get(`messenger:${reason}`)).toBe(1);
    });

    it('accepts a secret being rotated in (second of two)', async () => {
      await t.close();
      t = await startTestApp({
        env: {
          ...messengerEnv(graph.url),
          MESSENGER_APP_SECRET: `new-secret,${MESSENGER_TEST.appSecret}`,
        },
      });
      expect((await post(t, body)).statusCode).toBe(200);
      const other = textEnvelope('SIG_USER', [{ mid: 'm.sig.2', text: 'menu' }]);
      expect((await post(t, other, signMessenger(other, 'new-secret'))).statusCode).toBe(200);
      await t.services.inbox.idle();
      expect(graph.messages()).toHaveLength(2);
    });
  });

  it('answers 400 to signed bytes that are not JSON, and stores nothing', async () => {
    const body = '{"object":"page","entry":[';
    const res = await post(t, body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'Bad Request',
      message: 'The request body is not valid JSON.',
    });
    expect(await t.services.inboxRepo.counts()).toEqual({});
  });

  it('answers 400 to a signed JSON body that is not an envelope', async () => {
    const res = await post(t, '{"object":"page","entry":{"id":"x"}}');
    expect(res.statusCode).toBe(400);
  });

  it('keeps JSON parsing of other routes untouched (the raw parser is scoped)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/simulator/api/messages',
      payload: { userId: 'sim1', text: 'xin chào' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ replies: unknown[] }>().replies.length).toBeGreaterThan(0);
  });

  describe.each(fs.readdirSync(MESSENGER_FIXTURES).filter((f) => f.endsWith('.json')))(
    'fixture %s',
    (file) => {
      it('is acknowledged and handled without an error reply', async () => {
        // Single events are wrapped; signed envelopes are sent byte for byte.
        const raw = fs.readFileSync(`${MESSENGER_FIXTURES}/${file}`, 'utf8');
        const body =
          JSON.parse(raw).object === 'page' ? raw : JSON.stringify(fixtureEnvelope(file));
        const res = await post(t, body);
        expect(res.statusCode).toBe(200);
        expect(res.body).toBe('EVENT_RECEIVED');
        await t.services.inbox.idle();
        const counts = await t.services.inboxRepo.counts();
        expect(counts.failed).toBeUndefined();
        expect(counts.pending).toBeUndefined();
        const sent = graph.messages();
        for (const m of sent) expect(m.body.message?.text ?? '').not.toContain(ERROR_TEXT);
        // Echoes and receipts get no answer; everything a person did gets one.
        const silent = ['echo.json', 'doc-delivery-event.json', 'doc-read-event.json'].includes(
          file,
        );
        expect(sent.length > 0).toBe(!silent);
      });
    },
  );

  it('answers an attachment politely that only text is understood', async () => {
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: 'PAGE',
          time: 1,
          messaging: [
            {
              sender: { id: 'PIC_USER' },
              recipient: { id: 'PAGE' },
              timestamp: 1_700_000_000_000,
              message: {
                mid: 'm.pic',
                attachments: [{ type: 'image', payload: { url: 'https://x/y.jpg' } }],
              },
            },
          ],
        },
      ],
    });
    expect((await post(t, body)).statusCode).toBe(200);
    await t.services.inbox.idle();
    expect(graph.messages()[0]!.body.message?.text).toContain('chỉ đọc được tin nhắn chữ');
  });

  it('opens the flow of an m.me link: Get Started with a ref greets the new user', async () => {
    const body = JSON.stringify(fixtureEnvelope('postback-get-started-referral.json'));
    expect((await post(t, body)).statusCode).toBe(200);
    await t.services.inbox.idle();
    const [reply] = graph.messages();
    expect(reply!.body.recipient?.id).toBe('0');
    expect(reply!.body.message?.text).toContain('Xin chào anh/chị!');
    expect(reply!.body.message?.quick_replies?.map((q) => q.payload)).toContain('ABOUT');
  });
});

describe.each(BACKENDS)('Messenger inbound guarantees ($name)', (backend) => {
  let graph: FakeGraphApi;
  let t: TestApp;
  beforeEach(async () => {
    graph = new FakeGraphApi();
    t = await startTestApp({ env: messengerEnv(await graph.start()), backend });
  });
  afterEach(async () => {
    await t.close();
    await graph.close();
  });

  it('runs one turn for a duplicate delivery of the same mid', async () => {
    const body = textEnvelope('DUP_USER', [{ mid: 'm.dup.1', text: 'xin chào' }]);
    expect((await post(t, body)).statusCode).toBe(200);
    expect((await post(t, body)).statusCode).toBe(200);
    await t.services.inbox.idle();
    expect(graph.messages()).toHaveLength(1);
    expect(await t.services.inboxRepo.counts()).toEqual({ done: 1 });
  });

  it('answers a batch of 3 events in one request in order', async () => {
    const body = textEnvelope('BATCH_USER', [
      { mid: 'm.b.1', text: 'xin chào' },
      { mid: 'm.b.2', text: 'English' },
      { mid: 'm.b.3', text: 'menu' },
    ]);
    expect((await post(t, body)).statusCode).toBe(200);
    await t.services.inbox.idle();
    const texts = graph.messages().map((m) => m.body.message?.text ?? '');
    expect(texts).toHaveLength(3);
    expect(texts[0]).toMatch(/^Xin chào anh\/chị!/);
    expect(texts[1]).toMatch(/^Switched to English\./);
    expect(texts[2]).toMatch(/^What would you like to know\?/);
    for (const m of graph.messages()) expect(m.body.messaging_type).toBe('RESPONSE');
  });
});

describe.each(BACKENDS)('Messenger human agent on $name', (backend) => {
  const START = Date.parse('2026-03-02T09:00:00+07:00');
  const OUR_APP = '1517776481860111';
  let graph: FakeGraphApi;
  let t: TestApp;
  const clock = new ManualClock(START);
  beforeEach(async () => {
    clock.set(START);
    graph = new FakeGraphApi();
    t = await startTestApp({
      backend,
      clock,
      env: {
        ...messengerEnv(await graph.start()),
        MESSENGER_APP_ID: OUR_APP,
        AGENT_PAUSE_MINUTES: '20',
      },
    });
  });
  afterEach(async () => {
    await t.close();
    await graph.close();
  });

  const echo = (mid: string, appId?: string) =>
    JSON.stringify({
      object: 'page',
      entry: [
        {
          id: 'PAGE',
          time: clock.now(),
          messaging: [
            {
              sender: { id: 'PAGE' },
              recipient: { id: 'AGENT_USER' },
              timestamp: clock.now(),
              message: {
                is_echo: true,
                mid,
                text: 'Chào anh, em là cán bộ Sở',
                ...(appId ? { app_id: Number(appId) } : {}),
              },
            },
          ],
        },
      ],
    });
  const deliver = async (body: string) => {
    expect((await post(t, body)).statusCode).toBe(200);
    await t.services.inbox.idle();
  };
  const userSays = (mid: string, text: string) =>
    deliver(textEnvelope('AGENT_USER', [{ mid, text }], clock.now()));
  const repliesTo = () =>
    graph.messages().filter((m) => m.body.recipient?.id === 'AGENT_USER').length;

  it('stays quiet after a human answered from the Page, and speaks again after AGENT_PAUSE_MINUTES', async () => {
    // Our own send's echo changes nothing: the bot answers.
    await deliver(echo('m.ours', OUR_APP));
    await userSays('m.1', 'xin chào');
    expect(repliesTo()).toBeGreaterThan(0);
    const before = repliesTo();

    await deliver(echo('m.human'));
    expect((await t.services.contacts.get('messenger', 'AGENT_USER'))?.agentPausedUntil).toBe(
      START + 20 * 60_000,
    );
    await userSays('m.2', 'menu');
    clock.advance(19 * 60_000);
    await userSays('m.3', 'xin chào');
    expect(repliesTo()).toBe(before);

    clock.advance(60_000);
    await userSays('m.4', 'xin chào');
    expect(repliesTo()).toBeGreaterThan(before);
    // The human echo and four messages were recorded; our own echo never was.
    expect(await t.services.inboxRepo.counts()).toEqual({ done: 5 });
  });
});
