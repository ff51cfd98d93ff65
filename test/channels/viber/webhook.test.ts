import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { ViberChannel } from '../../../src/channels/viber/channel.js';
import { signViberBody } from '../../../src/channels/viber/verify.js';
import type { ViberTextMessage } from '../../../src/channels/viber/wire.js';
import { RecipientUnreachableError } from '../../../src/core/errors.js';
import type { ReceiptEvent } from '../../../src/core/events.js';
import { mountChannel } from '../../../src/core/webhook.js';
import { ContactsRepo } from '../../../src/store/contacts-repo.js';
import { BACKENDS, simulate, startTestApp, type TestApp } from '../../helpers/app.js';
import { FakeViberApi } from '../../fakes/fake-viber-api.js';
import {
  fixture,
  fixtureNames,
  OFFICIAL_SIGNATURE,
  OFFICIAL_TOKEN,
  postCallback,
  textCallback,
  viberEnv,
} from './helpers.js';

let api: FakeViberApi;
beforeAll(async () => {
  api = await FakeViberApi.start(OFFICIAL_TOKEN);
});
afterAll(async () => {
  await api.close();
});

function viber(t: TestApp): ViberChannel {
  return t.services.channels.get('viber') as ViberChannel;
}

/** Every inbox row: what was recorded for processing. */
async function inboxRows(t: TestApp) {
  return t.services.store.db.selectFrom('inbox').select(['event_id', 'kind', 'status']).execute();
}

describe('POST /webhooks/viber (SQLite)', () => {
  let t: TestApp;
  let receipts: ReceiptEvent[];
  beforeEach(async () => {
    api.calls.length = 0;
    t = await startTestApp({ env: viberEnv(api.url) });
    receipts = [];
    t.services.receiptListeners.push(async (e) => {
      receipts.push(e);
    });
  });
  afterEach(async () => {
    await t.close();
  });

  // What each shared fixture does end to end: the HTTP answer, the rows recorded, the API calls.
  const EFFECTS: Record<string, { inbox: string[]; sends: number; receipts?: number }> = {
    'conversation-started.json': { inbox: [], sends: 0 },
    'delivered.json': { inbox: ['receipt'], sends: 0, receipts: 1 },
    'failed.json': { inbox: ['receipt'], sends: 0, receipts: 1 },
    'message-doc-fields.json': { inbox: ['message'], sends: 1 },
    'message.json': { inbox: ['message'], sends: 1 },
    'seen-captured.json': { inbox: ['receipt'], sends: 0, receipts: 1 },
    'seen.json': { inbox: ['receipt'], sends: 0, receipts: 1 },
    'subscribed.json': { inbox: ['follow'], sends: 1 },
    'unsubscribed-captured.json': { inbox: ['unfollow'], sends: 0 },
    'unsubscribed.json': { inbox: ['unfollow'], sends: 0 },
    'webhook-signed.json': { inbox: [], sends: 0 },
    'webhook.json': { inbox: [], sends: 0 },
  };

  it('knows the effect of every fixture file', () => {
    expect(fixtureNames()).toEqual(Object.keys(EFFECTS).sort());
  });

  it.each(fixtureNames())('handles %s', async (name) => {
    const res = await postCallback(t.app, fixture(name));
    expect(res.statusCode).toBe(200);
    await t.services.inbox.idle();
    const effect = EFFECTS[name]!;
    const rows = await inboxRows(t);
    expect(rows.map((r) => r.kind)).toEqual(effect.inbox);
    expect(rows.every((r) => r.status === 'done')).toBe(true);
    expect(api.callsTo('send_message')).toHaveLength(effect.sends);
    expect(receipts).toHaveLength(effect.receipts ?? 0);
  });

  it('accepts the official signature vector, in the header or in ?sig=', async () => {
    const body = fixture('webhook-signed.json');
    const byHeader = await postCallback(t.app, body, {
      headers: { 'x-viber-content-signature': OFFICIAL_SIGNATURE },
    });
    const byQuery = await postCallback(t.app, body, {
      headers: {},
      url: `/webhooks/viber?sig=${OFFICIAL_SIGNATURE}`,
    });
    expect([byHeader.statusCode, byQuery.statusCode]).toEqual([200, 200]);
  });

  const message = textCallback('xin chào');
  const good = signViberBody(message, OFFICIAL_TOKEN);
  const changed = `${good.slice(0, 20)}${good[20] === 'a' ? 'b' : 'a'}${good.slice(21)}`;

  it.each<[string, Record<string, string>, string, number, string]>([
    ['no signature at all', {}, '', 401, 'signature-missing'],
    [
      'a wrong signature',
      { 'x-viber-content-signature': 'ab'.repeat(32) },
      '',
      403,
      'signature-mismatch',
    ],
    [
      'one hex digit changed',
      { 'x-viber-content-signature': changed },
      '',
      403,
      'signature-mismatch',
    ],
    ['trailing junk', { 'x-viber-content-signature': `${good}ff` }, '', 403, 'signature-malformed'],
    [
      'uppercase hex',
      { 'x-viber-content-signature': good.toUpperCase() },
      '',
      403,
      'signature-malformed',
    ],
    [
      'a sha256= prefix',
      { 'x-viber-content-signature': `sha256=${good}` },
      '',
      403,
      'signature-malformed',
    ],
    ['a wrong ?sig=', {}, `?sig=${changed}`, 403, 'signature-mismatch'],
    [
      'a good ?sig= behind a bad header',
      { 'x-viber-content-signature': changed },
      `?sig=${good}`,
      403,
      'signature-mismatch',
    ],
  ])('refuses %s and processes nothing', async (_name, headers, query, status, counter) => {
    const res = await postCallback(t.app, message, { headers, url: `/webhooks/viber${query}` });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ error: status === 401 ? 'Unauthorized' : 'Forbidden' });
    await t.services.inbox.idle();
    expect(await inboxRows(t)).toEqual([]);
    expect(await t.services.contacts.count()).toBe(0);
    expect(api.calls).toEqual([]);
    expect(t.services.rejected.get(`viber:${counter}`)).toBe(1);
  });

  it('refuses a body changed after signing', async () => {
    const res = await postCallback(t.app, message.replace('xin chào', 'xin chao'), {
      headers: { 'x-viber-content-signature': good },
    });
    expect(res.statusCode).toBe(403);
    expect(await inboxRows(t)).toEqual([]);
  });

  it('accepts a good ?sig= when the header is absent', async () => {
    const res = await postCallback(t.app, message, {
      headers: {},
      url: `/webhooks/viber?sig=${good}`,
    });
    expect(res.statusCode).toBe(200);
    await t.services.inbox.idle();
    expect(api.callsTo('send_message')).toHaveLength(1);
  });

  it('answers 400 to a signed body that is not JSON, and records nothing', async () => {
    const res = await postCallback(t.app, '{"event":"message",');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'Bad Request',
      message: 'The request body is not valid JSON.',
    });
    expect(await inboxRows(t)).toEqual([]);
    expect(t.services.rejected.get('viber:unreadable')).toBe(1);
  });

  it('reads the body raw whatever the content type says', async () => {
    const res = await postCallback(t.app, message, {
      headers: { 'content-type': 'text/plain', 'x-viber-content-signature': good },
    });
    expect(res.statusCode).toBe(200);
  });

  it('keeps its raw-body parser to itself: other routes still read JSON', async () => {
    const replies = await simulate(t.app, { userId: 'sim1', text: 'xin chào' });
    expect(replies[0]!.choices?.[0]?.payload).toBe('ABOUT');
  });

  it('keeps a 64-bit message_token exact as the event id', async () => {
    await postCallback(t.app, textCallback('xin chào', { token: '9223372036854775807' }));
    await t.services.inbox.idle();
    expect((await inboxRows(t)).map((r) => r.event_id)).toEqual(['9223372036854775807']);
  });

  it.each([
    ['vi', 'Xin chào anh/chị! Tôi là Trợ lý ảo', 'Giới thiệu Tuần lễ'],
    ['en-US', 'Hello! I am the virtual assistant', 'About the Week'],
  ])(
    'answers conversation_started (language %s) with the welcome in the response body only',
    async (language, greeting, firstButton) => {
      const res = await postCallback(
        t.app,
        `{"event":"conversation_started","timestamp":1727760000000,"chat_hostname":"SN-1_","message_token":5741311803571721004,"type":"open","context":"","user":{"id":"newUser==","name":"B","language":"${language}","country":"VN","api_version":10},"subscribed":false}`,
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.json<ViberTextMessage>();
      expect(body.type).toBe('text');
      expect(body.text).toContain(greeting);
      expect(body.sender).toEqual({ name: 'Tuần lễ Học tập suốt đời' });
      expect(body).not.toHaveProperty('receiver');
      expect(body.keyboard?.Buttons[0]).toMatchObject({ ActionBody: 'ABOUT', Text: firstButton });
      expect(body.keyboard?.Buttons.map((b) => b.ActionBody)).toContain('LANG:TOGGLE');
      await t.services.inbox.idle();
      expect(api.calls).toEqual([]);
      expect(await inboxRows(t)).toEqual([]);
      expect(await t.services.contacts.count()).toBe(0);
    },
  );

  it('welcomes a returning user in the language they chose before', async () => {
    await t.services.contacts.touch('viber', 'back==', 1);
    await t.services.contacts.setLocale('viber', 'back==', 'en');
    const res = await postCallback(
      t.app,
      '{"event":"conversation_started","timestamp":1,"message_token":5741311803571721005,"type":"open","user":{"id":"back==","language":"vi"},"subscribed":true}',
    );
    expect(res.json<ViberTextMessage>().text).toContain('Hello!');
  });

  it('still welcomes (in Viber’s language) when the contact lookup fails', async () => {
    class SickContacts extends ContactsRepo {
      override async get(): Promise<undefined> {
        throw new Error('database unavailable');
      }
    }
    const channel = new ViberChannel(t.config.viber!, {
      contacts: new SickContacts(t.services.store.db),
      log: t.services.log,
    });
    const app = Fastify();
    await app.register(async (scope) =>
      mountChannel(scope, channel, {
        inbox: t.services.inbox,
        log: t.services.log,
        welcome: (locale) => t.services.welcome(locale),
        countRejected: () => undefined,
      }),
    );
    try {
      const res = await postCallback(
        app,
        '{"event":"conversation_started","timestamp":1,"message_token":5741311803571721008,"type":"open","user":{"id":"sick==","language":"en"},"subscribed":false}',
      );
      expect(res.statusCode).toBe(200);
      expect(res.json<ViberTextMessage>().text).toContain('Hello!');
    } finally {
      await app.close();
      await channel.close();
    }
  });

  it('answers a keyboard tap (text = ActionBody) like a button', async () => {
    await postCallback(
      t.app,
      textCallback('ABOUT', { trackingData: 'llw1:["ABOUT","LANG:TOGGLE"]' }),
    );
    await t.services.inbox.idle();
    const texts = api.callsTo('send_message').map((c) => String(c.body.text));
    expect(texts[0]).toContain('01/10/2020');
  });

  it('answers a picture with the polite "text only" message', async () => {
    await postCallback(
      t.app,
      '{"event":"message","timestamp":1,"message_token":5741311803571721006,"sender":{"id":"pic==","language":"vi"},"message":{"type":"picture","media":"https://x/y.jpg"}}',
    );
    await t.services.inbox.idle();
    expect(String(api.callsTo('send_message')[0]?.body.text)).toContain(
      'chỉ đọc được tin nhắn chữ',
    );
  });

  it('never messages a user after they unsubscribed (nothing reaches the API)', async () => {
    const userId = 'jc9HsWTZ2Yf2NkRZ8KcNug==';
    await postCallback(t.app, textCallback('xin chào', { userId }));
    await postCallback(t.app, fixture('unsubscribed.json'));
    await t.services.inbox.idle();
    expect((await t.services.contacts.get('viber', userId))?.followed).toBe(false);
    api.calls.length = 0;
    await expect(
      viber(t).send(userId, { text: 'Thông báo' }, { mode: 'proactive' }),
    ).rejects.toBeInstanceOf(RecipientUnreachableError);
    expect(api.calls).toEqual([]);
  });

  it('answers again once an unsubscribed user writes (writing subscribes them again)', async () => {
    const userId = 'jc9HsWTZ2Yf2NkRZ8KcNug==';
    await postCallback(t.app, fixture('unsubscribed.json'));
    await postCallback(t.app, textCallback('xin chào', { userId }));
    await t.services.inbox.idle();
    expect(api.callsTo('send_message').map((c) => c.body.receiver)).toEqual([userId]);
    expect((await t.services.contacts.get('viber', userId))?.followed).toBe(true);
  });

  it.each([5, 6])('marks the contact unsubscribed when a send gets status %i', async (status) => {
    api.answer('send_message', () => `{"status":${status},"status_message":"nope"}`);
    try {
      await postCallback(t.app, textCallback('xin chào', { userId: 'gone==' }));
      await t.services.inbox.idle();
      expect((await t.services.contacts.get('viber', 'gone=='))?.followed).toBe(false);
      api.calls.length = 0;
      await expect(
        viber(t).send('gone==', { text: 'Thông báo' }, { mode: 'proactive' }),
      ).rejects.toBeInstanceOf(RecipientUnreachableError);
      expect(api.calls).toEqual([]);
    } finally {
      api.answer('send_message', () => `{"status":0,"message_token":${api.token64()}}`);
    }
  });

  it('returns the exact 64-bit message tokens of what it sent', async () => {
    const result = await viber(t).send('u==', { text: 'Xin chào' }, { mode: 'reply' });
    expect(result.messageIds).toHaveLength(1);
    expect(result.messageIds[0]).toMatch(/^\d{19}$/);
    expect(BigInt(result.messageIds[0]!)).toBeGreaterThan(2n ** 53n);
  });
});

describe.each(BACKENDS)('duplicate delivery ($name)', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    api.calls.length = 0;
    t = await startTestApp({ env: viberEnv(api.url), backend });
  });
  afterEach(async () => {
    await t.close();
  });

  it('runs one turn for a message Viber delivers twice', async () => {
    const body = textCallback('xin chào', { userId: 'dup==', token: '5741311803571721777' });
    const [first, second] = await Promise.all([
      postCallback(t.app, body),
      postCallback(t.app, body),
    ]);
    const third = await postCallback(t.app, body);
    expect([first.statusCode, second.statusCode, third.statusCode]).toEqual([200, 200, 200]);
    await t.services.inbox.idle();
    expect(api.callsTo('send_message')).toHaveLength(1);
    expect(await inboxRows(t)).toHaveLength(1);
  });
});
