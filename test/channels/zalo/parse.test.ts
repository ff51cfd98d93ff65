import { describe, expect, it } from 'vitest';
import { parseZalo } from '../../../src/channels/zalo/parse.js';
import type { ZaloWebhookEvent } from '../../../src/channels/zalo/wire.js';
import type { InboundEvent } from '../../../src/core/events.js';
import { fixture, webhookFixtures } from './helpers.js';

const RECEIVED_AT = 1_750_000_000_000;
const parse = (body: unknown) => parseZalo(body as ZaloWebhookEvent, { receivedAt: RECEIVED_AT });
const CONSOLE_USER = '4339761418830368433';
const CONSOLE_TS = (n: string) => Number(`16099845271${n}`);

/** What each shared fixture must become (a new fixture without a row fails the first test). */
const EXPECTED: Record<string, InboundEvent[]> = {
  'add_user_to_tag.official-docs.transcribed.json': [],
  'follow.official-docs.json': [
    {
      channel: 'zalo',
      kind: 'follow',
      userId: '24684588352919792',
      eventId: 'follow:24684588352919792:154397978274',
      // 12-digit docs timestamp is not a real time: the receive time stands in.
      timestamp: RECEIVED_AT,
    },
  ],
  'follow.real-capture.raw.json': [
    {
      channel: 'zalo',
      kind: 'follow',
      userId: '8958041078911298472',
      eventId: 'follow:8958041078911298472:1725608725618',
      timestamp: 1725608725618,
    },
  ],
  'user_send_text.official-docs.json': [
    {
      channel: 'zalo',
      kind: 'message',
      userId: '246845883529197922',
      eventId: '96d3cdf3af150460909',
      timestamp: RECEIVED_AT,
      text: 'message',
    },
  ],
  'user_submit_info.official-docs.transcribed.json': [
    {
      channel: 'zalo',
      kind: 'form_submit',
      userId: '246845883529697922',
      eventId: 'user_submit_info:246845883529697922:1540368141908',
      timestamp: 1540368141908,
      fields: {
        name: 'Name Example',
        phone: '84912345678',
        dob: '30/10/1999',
        gender: 'Nam',
        city: 'Thành phố Hồ Chí Minh',
        ward: 'Phường Tân Thuận',
        address: 'Đường số 13, KCX Tân Thuận Đông',
      },
    },
  ],
  'zns_user_received_message.official-docs.transcribed.json': [
    {
      channel: 'zalo',
      kind: 'receipt',
      userId: '84123456789',
      eventId: 'user_received_message:15a0cc0bbb13bd4ce403',
      timestamp: 1602560967477,
      status: 'delivered',
      messageIds: ['15a0cc0bbb13bd4ce403'],
    },
  ],
  // Echoes of what the OA sent (no admin_id): skipped.
  'console-test/oa_send_file.json': [],
  'console-test/oa_send_gif.json': [],
  'console-test/oa_send_image.json': [],
  'console-test/oa_send_list.json': [],
  'console-test/oa_send_text.json': [],
  ...Object.fromEntries(
    [
      ['audio', '78'],
      ['file', '85'],
      ['gif', '76'],
      ['image', '74'],
      ['link', '75'],
      ['sticker', '76'],
      ['video', '83'],
    ].map(([media, ts]) => [
      `console-test/user_send_${media}.json`,
      [
        {
          channel: 'zalo',
          kind: 'unsupported',
          userId: CONSOLE_USER,
          eventId: 'This is message id',
          timestamp: CONSOLE_TS(ts!),
          mediaType: media,
        },
      ],
    ]),
  ),
  'console-test/user_send_text.json': [
    {
      channel: 'zalo',
      kind: 'message',
      userId: CONSOLE_USER,
      eventId: 'This is message id',
      timestamp: 1609984527175,
      text: 'This is testing message',
    },
  ],
};

describe('parseZalo on every shared fixture', () => {
  it('has an expectation for every fixture file', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(webhookFixtures());
  });

  it.each(webhookFixtures())('%s', (name) => {
    const body: unknown = JSON.parse(fixture(name).toString('utf8'));
    expect(parse(body)).toEqual(EXPECTED[name]);
  });
});

describe('parseZalo cases the fixtures lack', () => {
  const base = {
    app_id: '1',
    sender: { id: 'u1' },
    recipient: { id: 'oa1' },
    timestamp: '1750000000123',
  };

  it('turns a #payload our buttons sent back into a postback', () => {
    const [event] = parse({
      ...base,
      event_name: 'user_send_text',
      message: { text: '#ABOUT:THEME', msg_id: 'm1' },
    });
    expect(event).toEqual({
      channel: 'zalo',
      kind: 'postback',
      userId: 'u1',
      eventId: 'm1',
      timestamp: 1750000000123,
      payload: 'ABOUT:THEME',
    });
  });

  it.each(['# ABOUT', '#', 'xin chào #ABOUT', '#hai từ'])('keeps %j as typed text', (text) => {
    const [event] = parse({
      ...base,
      event_name: 'user_send_text',
      message: { text, msg_id: 'm' },
    });
    expect(event).toMatchObject({ kind: 'message', text });
  });

  it('reads an agent echo (sender.admin_id) as agent_reply for the recipient user', () => {
    const events = parse({
      ...base,
      sender: { id: 'oa1', admin_id: 'admin7' },
      recipient: { id: 'u9' },
      event_name: 'oa_send_text',
      message: { text: 'Chào bạn, mình là cán bộ Sở', msg_id: 'agent-msg-1' },
    });
    expect(events).toEqual([
      {
        channel: 'zalo',
        kind: 'agent_reply',
        userId: 'u9',
        eventId: 'agent-msg-1',
        timestamp: 1750000000123,
      },
    ]);
  });

  it('reads user_seen_message with several msg_ids as a read receipt', () => {
    const [event] = parse({
      ...base,
      oa_id: 'oa1',
      sender: { id: 'oa1' },
      recipient: { id: 'u2' },
      event_name: 'user_seen_message',
      message: { msg_ids: ['a', 'b'] },
    });
    expect(event).toEqual({
      channel: 'zalo',
      kind: 'receipt',
      userId: 'u2',
      eventId: 'user_seen_message:u2:1750000000123',
      timestamp: 1750000000123,
      status: 'read',
      messageIds: ['a', 'b'],
    });
  });

  it('names the user, not the OA, in a receipt whose sender is the user', () => {
    const [event] = parse({
      ...base,
      oa_id: 'oa1',
      event_name: 'user_received_message',
      message: { msg_ids: ['a'] },
    });
    expect(event).toMatchObject({ kind: 'receipt', userId: 'u1', status: 'delivered' });
  });

  it('reads unfollow and the chat-now click', () => {
    expect(parse({ ...base, event_name: 'unfollow', follower: { id: 'u3' } })).toEqual([
      {
        channel: 'zalo',
        kind: 'unfollow',
        userId: 'u3',
        eventId: 'unfollow:u3:1750000000123',
        timestamp: 1750000000123,
      },
    ]);
    expect(parse({ ...base, event_name: 'user_click_chatnow', user_id_by_app: 'x' })).toEqual([
      {
        channel: 'zalo',
        kind: 'referral',
        ref: '',
        userId: 'u1',
        eventId: 'user_click_chatnow:u1:1750000000123',
        timestamp: 1750000000123,
      },
    ]);
  });

  it('builds a stable id from event name, user and timestamp when msg_id is absent', () => {
    const body = { ...base, event_name: 'user_send_text', message: { text: 'hi' } };
    expect(parse(body)[0]!.eventId).toBe('user_send_text:u1:1750000000123');
    expect(parse(body)[0]!.eventId).toBe(parse(structuredClone(body))[0]!.eventId);
  });

  it.each<[string, unknown]>([
    ['no user', { ...base, sender: {}, event_name: 'user_send_text', message: { text: 'x' } }],
    ['numeric sender id', { ...base, sender: { id: 5 }, event_name: 'user_send_text' }],
    ['unknown event', { ...base, event_name: 'user_reacted_message' }],
    ['no event name', { ...base }],
    ['follow without follower', { ...base, event_name: 'follow' }],
  ])('ignores a body with %s', (_name, body) => {
    expect(parse(body)).toEqual([]);
  });

  it('keeps form fields bounded and flat', () => {
    const info: Record<string, unknown> = { nested: { deep: { x: 1 } }, list: ['a'] };
    for (let i = 0; i < 50; i++) info[`f${i}`] = 'v'.repeat(1000);
    const [event] = parse({ ...base, event_name: 'user_submit_info', info });
    expect(event?.kind).toBe('form_submit');
    const fields = event?.kind === 'form_submit' ? event.fields : {};
    expect(Object.keys(fields)).toHaveLength(20);
    expect(Object.values(fields).every((v) => v.length === 500)).toBe(true);
  });
});
