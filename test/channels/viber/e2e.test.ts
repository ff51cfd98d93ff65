import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signViberBody } from '../../../src/channels/viber/verify.js';
import type { ViberKeyboard } from '../../../src/channels/viber/wire.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { FakeViberApi } from '../../fakes/fake-viber-api.js';
import { OFFICIAL_TOKEN, textCallback, viberEnv } from './helpers.js';

// Both directions over real HTTP: Viber -> our server (listening on a free port) and
// our server -> a fake Viber API (VIBER_API_URL points at it).
describe('Viber end to end', () => {
  let api: FakeViberApi;
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    api = await FakeViberApi.start(OFFICIAL_TOKEN);
    t = await startTestApp({ env: viberEnv(api.url) });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t.close();
    await api.close();
  });

  async function viberPosts(body: string): Promise<number> {
    const res = await fetch(`${base}/webhooks/viber`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-viber-content-signature': signViberBody(body, OFFICIAL_TOKEN),
      },
      body,
    });
    return res.status;
  }

  it('answers a signed "xin chào" with the menu as a Viber keyboard', async () => {
    const userId = 'e2eUser+01/ab==';
    expect(await viberPosts(textCallback('xin chào', { userId }))).toBe(200);
    await t.services.inbox.idle();

    const sends = api.callsTo('send_message');
    expect(sends).toHaveLength(1);
    const [send] = sends;
    expect(send!.token).toBe(OFFICIAL_TOKEN);
    expect(send!.body).toMatchObject({
      receiver: userId,
      type: 'text',
      sender: { name: 'Tuần lễ Học tập suốt đời' },
      min_api_version: 1,
    });
    expect(String(send!.body.text)).toContain('Chuyển đổi số thúc đẩy Học tập suốt đời');
    const keyboard = send!.body.keyboard as ViberKeyboard;
    expect(keyboard.Type).toBe('keyboard');
    expect(keyboard.Buttons.map((b) => b.ActionBody)).toContain('ABOUT');
    expect(keyboard.Buttons.every((b) => b.ActionType === 'reply' && b.Rows === 1)).toBe(true);

    const contact = await t.services.contacts.get('viber', userId);
    expect(contact?.lastInboundAt).toBe(1727760000000);
    expect(contact?.locale).toBe('vi');

    // The user taps "Giới thiệu Tuần lễ": Viber sends the ActionBody as text, with our tracking data.
    expect(
      await viberPosts(
        textCallback('ABOUT', {
          userId,
          token: '5741311803571721999',
          trackingData: String(send!.body.tracking_data),
        }),
      ),
    ).toBe(200);
    await t.services.inbox.idle();
    const about = api.callsTo('send_message').slice(1);
    expect(String(about[0]!.body.text)).toContain('01/10/2020');
  });
});
