import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ViberChannel } from '../../../src/channels/viber/channel.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { FakeViberApi } from '../../fakes/fake-viber-api.js';
import { OFFICIAL_TOKEN, viberEnv } from './helpers.js';

const users = (n: number, prefix = 'u') => Array.from({ length: n }, (_, i) => `${prefix}${i}==`);
const announcement = { text: 'Lễ khai mạc Tuần lễ diễn ra sáng 01/10.' };
const ok = (api: FakeViberApi, failed: object[] = []) =>
  `{"status":0,"status_message":"ok","message_token":${api.token64()},"failed_list":${JSON.stringify(failed)}}`;

describe('ViberChannel.sendBatch', () => {
  let api: FakeViberApi;
  let t: TestApp;
  let channel: ViberChannel;
  beforeAll(async () => {
    api = await FakeViberApi.start(OFFICIAL_TOKEN);
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(async () => {
    t = await startTestApp({ env: viberEnv(api.url) });
    channel = t.services.channels.get('viber') as ViberChannel;
  });
  afterEach(async () => {
    api.calls.length = 0;
    await t.close();
  });

  it('sends 300 receivers per broadcast_message and reports a partial failed_list', async () => {
    const all = users(650);
    for (const u of ['u310==', 'u311==']) await t.services.contacts.touch('viber', u, 1);
    api.answer('broadcast_message', (body) => {
      const list = body.broadcast_list as string[];
      return list.includes('u310==')
        ? ok(api, [
            { receiver: 'u310==', status: 6, status_message: 'notSubscribed' },
            { receiver: 'u311==', status: 11, status_message: 'noSuitableDevice' },
          ])
        : ok(api);
    });
    const { failed, messageIds } = await channel.sendBatch(all, announcement);
    const calls = api.callsTo('broadcast_message');
    expect(calls.map((c) => (c.body.broadcast_list as string[]).length)).toEqual([300, 300, 50]);
    expect(calls.flatMap((c) => c.body.broadcast_list as string[])).toEqual(all);
    expect(calls[0]!.body).toMatchObject({
      type: 'text',
      text: announcement.text,
      sender: { name: 'Tuần lễ Học tập suốt đời' },
    });
    expect(failed).toEqual([
      {
        userId: 'u310==',
        reason: 'ERR_RECIPIENT_UNREACHABLE (viber status 6)',
        unreachable: true,
      },
      { userId: 'u311==', reason: 'ERR_PLATFORM (viber status 11)' },
    ]);
    // Everyone reached has the token of their chunk's call (receipts name it); refused ones none.
    expect(messageIds.size).toBe(648);
    expect(messageIds.has('u310==')).toBe(false);
    expect(new Set(messageIds.values()).size).toBe(3);
    expect(messageIds.get('u0==')).toBe(messageIds.get('u299=='));
    expect(messageIds.get('u0==')).not.toBe(messageIds.get('u300=='));
    // The channel reports who is unreachable; the caller marks them (one place: delivery-policy).
    expect((await t.services.contacts.get('viber', 'u310=='))?.followed).toBe(null);
    expect(api.callsTo('send_message')).toEqual([]);
  });

  it('falls back to send_message per user when broadcasting is refused for the account', async () => {
    const all = users(4);
    await t.services.contacts.touch('viber', 'u1==', 1);
    await t.services.contacts.setFollowed('viber', 'u1==', false);
    api.answer('broadcast_message', () => '{"status":99,"status_message":"broadcast not enabled"}');
    api.answer('send_message', (body) =>
      body.receiver === 'u3=='
        ? '{"status":6,"status_message":"notSubscribed"}'
        : `{"status":0,"message_token":${api.token64()}}`,
    );
    const { failed, messageIds } = await channel.sendBatch(all, announcement);
    expect(api.callsTo('broadcast_message')).toHaveLength(1);
    expect([...messageIds.keys()]).toEqual(['u0==', 'u2==']);
    expect(messageIds.get('u0==')).not.toBe(messageIds.get('u2=='));
    // u1 unsubscribed earlier: refused before any API call.
    expect(api.callsTo('send_message').map((c) => c.body.receiver)).toEqual([
      'u0==',
      'u2==',
      'u3==',
    ]);
    expect(failed).toEqual([
      { userId: 'u1==', reason: 'ERR_RECIPIENT_UNREACHABLE', unreachable: true },
      {
        userId: 'u3==',
        reason: 'ERR_RECIPIENT_UNREACHABLE (viber status 6)',
        unreachable: true,
      },
    ]);
  });

  it('reports every user when the token is refused, and calls nothing more', async () => {
    api.answer('broadcast_message', () => '{"status":2,"status_message":"invalidAuthToken"}');
    const { failed } = await channel.sendBatch(users(301), announcement);
    expect(api.calls).toHaveLength(1);
    expect(failed).toHaveLength(301);
    expect(new Set(failed.map((f) => f.reason))).toEqual(
      new Set(['ERR_TOKEN_INVALID (viber status 2)']),
    );
  });

  it('stops at a rate limit and reports the users not sent yet', async () => {
    let n = 0;
    api.answer('broadcast_message', () =>
      ++n === 1 ? ok(api) : '{"status":12,"status_message":"tooManyRequests"}',
    );
    const { failed } = await channel.sendBatch(users(700), announcement);
    expect(api.callsTo('broadcast_message')).toHaveLength(2);
    expect(failed.map((f) => f.userId)).toEqual(users(700).slice(300));
    expect(failed[0]!.reason).toBe('ERR_RATE_LIMITED (viber status 12)');
  });

  it('sends a long announcement in parts, skipping users a part failed for', async () => {
    const text = Array.from({ length: 1000 }, (_, i) => `câu ${i}.`).join(' ');
    let part = 0;
    api.answer('broadcast_message', () =>
      ++part === 1
        ? ok(api, [{ receiver: 'u1==', status: 6, status_message: 'notSubscribed' }])
        : ok(api),
    );
    const { failed } = await channel.sendBatch(users(3), { text });
    const lists = api.callsTo('broadcast_message').map((c) => c.body.broadcast_list);
    expect(lists).toEqual([
      ['u0==', 'u1==', 'u2=='],
      ['u0==', 'u2=='],
    ]);
    expect(failed.map((f) => f.userId)).toEqual(['u1==']);
  });
});
