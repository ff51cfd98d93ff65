import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WEBHOOK_PATH } from '../../../src/channels/messenger/channel.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import {
  MESSENGER_TEST,
  messengerEnv,
  signMessenger,
  textEnvelope,
} from '../../helpers/messenger.js';
import { FakeGraphApi } from '../../fakes/fake-graph-api.js';

describe('Messenger end to end against a local fake Graph API', () => {
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

  it('answers a signed "xin chào" with the greeting and the menu as quick replies', async () => {
    const body = textEnvelope(
      'PSID_E2E',
      [{ mid: 'm.e2e.1', text: 'xin chào' }],
      1_750_000_000_000,
    );
    // The Graph API is slow: the webhook must be acknowledged without waiting for the reply.
    graph.hold();
    const res = await t.app.inject({
      method: 'POST',
      url: WEBHOOK_PATH,
      payload: body,
      headers: signMessenger(body),
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('EVENT_RECEIVED');
    graph.release();
    await t.services.inbox.idle();

    const sent = graph.messages();
    expect(sent).toHaveLength(1);
    const { query, body: request } = sent[0]!;
    expect(graph.requests[0]!.path).toBe('/v25.0/me/messages');
    expect(request.messaging_type).toBe('RESPONSE');
    expect(request.recipient).toEqual({ id: 'PSID_E2E' });
    expect(request.message?.text).toContain('Chuyển đổi số thúc đẩy Học tập suốt đời');
    const payloads = request.message?.quick_replies?.map((q) => q.payload) ?? [];
    expect(payloads).toContain('ABOUT');
    expect(payloads).toContain('LANG:TOGGLE');
    for (const q of request.message?.quick_replies ?? [])
      expect([...q.title].length).toBeLessThanOrEqual(20);
    expect(query.access_token).toBe(MESSENGER_TEST.pageToken);
    expect(query.appsecret_proof).toBe(
      createHmac('sha256', MESSENGER_TEST.appSecret).update(MESSENGER_TEST.pageToken).digest('hex'),
    );

    // The 24-hour window opens at the user's message; Messenger sends no locale.
    const contact = await t.services.contacts.get('messenger', 'PSID_E2E');
    expect(contact?.lastInboundAt).toBe(1_750_000_000_000);
    expect(contact?.locale).toBeNull();
  });

  it('a quick-reply tap on ABOUT answers about the Week', async () => {
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: 'PAGE',
          time: 1,
          messaging: [
            {
              sender: { id: 'PSID_QR' },
              recipient: { id: 'PAGE' },
              timestamp: 1_750_000_000_000,
              message: {
                mid: 'm.qr',
                text: 'Giới thiệu Tuần lễ',
                quick_reply: { payload: 'ABOUT' },
              },
            },
          ],
        },
      ],
    });
    const res = await t.app.inject({
      method: 'POST',
      url: WEBHOOK_PATH,
      payload: body,
      headers: signMessenger(body),
    });
    expect(res.statusCode).toBe(200);
    await t.services.inbox.idle();
    expect(graph.messages()[0]!.body.message?.text).toContain('01/10/2020');
  });
});
