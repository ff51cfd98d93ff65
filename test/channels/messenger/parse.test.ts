import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEnvelope, type ParseResult } from '../../../src/channels/messenger/parse.js';
import { fixtureEnvelope, MESSENGER_FIXTURES } from '../../helpers/messenger.js';

function parsed(body: unknown): ParseResult {
  const outcome = parseEnvelope(body);
  if (!outcome.ok) throw new Error(outcome.problem);
  return outcome.result;
}

/** What each shared fixture must become (files holding one event are wrapped in an envelope). */
const EXPECTED: Record<string, Pick<ParseResult, 'ignored'> & { events: unknown[] }> = {
  'text.json': {
    events: [
      {
        channel: 'messenger',
        kind: 'message',
        userId: '0',
        eventId: 'AAAA-BBBB-CCCC',
        timestamp: 2222222,
        text: 'text',
      },
    ],
    ignored: [],
  },
  'text-signed.json': {
    events: [
      {
        kind: 'message',
        userId: '1433960459967306',
        eventId: 'mid.1480279487147:4388d3b344',
        timestamp: 1480279487147,
        text: 'Hi',
      },
    ],
    ignored: [],
  },
  'quick-reply.json': {
    events: [
      {
        kind: 'postback',
        userId: '1433960459967306',
        eventId: 'mid.1480279487147:4388d3b344',
        payload: 'MY_PAYLOAD',
        title: 'Red',
      },
    ],
    ignored: [],
  },
  'doc-message-event.json': {
    events: [
      {
        kind: 'postback',
        userId: '<PSID>',
        eventId: 'mid.1457764197618:41d102a3e1ae206a38',
        timestamp: 1458692752478,
        payload: '<DEVELOPER_DEFINED_PAYLOAD>',
        title: 'hello, world!',
      },
    ],
    ignored: [],
  },
  'postback.json': {
    events: [
      {
        kind: 'postback',
        userId: '1433960459967306',
        payload: 'MY_PAYLOAD',
        timestamp: 1480279487147,
      },
    ],
    ignored: [],
  },
  'postback-get-started-referral.json': {
    events: [
      {
        kind: 'follow',
        userId: '0',
        eventId: 'm_1457764197618:41d102a3e1ae206a38',
        ref: 'USER_DEFINED_REFERRAL_PARAM',
      },
    ],
    ignored: [],
  },
  'referral.json': {
    events: [
      { kind: 'referral', userId: '0', ref: 'USER_DEFINED_REFERRAL_PARAM', timestamp: 2222222 },
    ],
    ignored: [],
  },
  'doc-delivery-event.json': {
    events: [
      {
        kind: 'receipt',
        status: 'delivered',
        userId: '<PSID>',
        messageIds: ['mid.1458668856218:ed81099e15d3f4f233'],
        watermark: 1458668856253,
        // The sample has no timestamp: the watermark stands in.
        timestamp: 1458668856253,
      },
    ],
    ignored: [],
  },
  'doc-read-event.json': {
    events: [
      {
        kind: 'receipt',
        status: 'read',
        userId: '<PSID>',
        messageIds: [],
        watermark: 1458668856253,
        timestamp: 1458668856463,
      },
    ],
    ignored: [],
  },
  // Meta's sample echo carries no app_id, which is what a Page inbox answer looks like.
  'echo.json': {
    events: [
      {
        kind: 'agent_reply',
        userId: '111899832631525',
        eventId: 'mid.1480279487147:4388d3b344',
        timestamp: 1480279487147,
      },
    ],
    ignored: [],
  },
};

describe('parseEnvelope over every shared Messenger fixture', () => {
  const files = fs.readdirSync(MESSENGER_FIXTURES).filter((f) => f.endsWith('.json'));

  it('has an expectation for every fixture file', () => {
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s', (file) => {
    const result = parsed(fixtureEnvelope(file));
    const expected = EXPECTED[file]!;
    expect(result.ignored).toEqual(expected.ignored);
    expect(result.events).toHaveLength(expected.events.length);
    expected.events.forEach((e, i) => expect(result.events[i]).toMatchObject(e as object));
    for (const event of result.events) {
      expect(event.channel).toBe('messenger');
      expect(event.eventId).not.toBe('');
      // Messenger sends no locale: the contact's stored choice or Vietnamese applies.
      expect(event.locale).toBeUndefined();
    }
  });
});

const user = { sender: { id: 'U1' }, recipient: { id: 'PAGE' } };
const envelope = (...messaging: unknown[]) => ({
  object: 'page',
  entry: [{ id: 'PAGE', time: 5, messaging }],
});

describe('parseEnvelope rules', () => {
  it('reads every entry and every messaging item, in order', () => {
    const body = {
      object: 'page',
      entry: [
        {
          id: 'P',
          time: 1,
          messaging: [
            { ...user, timestamp: 1, message: { mid: 'a', text: 'one' } },
            { ...user, timestamp: 2, message: { mid: 'b', text: 'two' } },
          ],
        },
        {
          id: 'P',
          time: 3,
          messaging: [{ ...user, timestamp: 3, message: { mid: 'c', text: 'three' } }],
        },
      ],
    };
    expect(parsed(body).events.map((e) => e.eventId)).toEqual(['a', 'b', 'c']);
  });

  it('maps the Get Started payload to a follow (the bot greets) without a ref', () => {
    const [event] = parsed(
      envelope({ ...user, timestamp: 9, postback: { title: 'Bắt đầu', payload: 'GET_STARTED' } }),
    ).events;
    expect(event).toMatchObject({ kind: 'follow', userId: 'U1', timestamp: 9 });
    expect(event).not.toHaveProperty('ref');
  });

  it('gives a postback without mid the same id on a retry, and a different one for another tap', () => {
    const tap = (payload: string, timestamp = 7) =>
      envelope({ ...user, timestamp, postback: { payload } });
    const first = parsed(tap('ABOUT')).events[0]!.eventId;
    expect(parsed(tap('ABOUT')).events[0]!.eventId).toBe(first);
    expect(parsed(tap('MENU')).events[0]!.eventId).not.toBe(first);
    expect(parsed(tap('ABOUT', 8)).events[0]!.eventId).not.toBe(first);
  });

  it('gives delivery and read receipts of the same watermark different ids', () => {
    const body = envelope(
      { ...user, delivery: { mids: ['m1'], watermark: 100 } },
      { ...user, timestamp: 101, read: { watermark: 100 } },
    );
    const [delivery, read] = parsed(body).events;
    expect(delivery!.eventId).not.toBe(read!.eventId);
  });

  it('turns attachments into an unsupported event naming the media type', () => {
    const body = envelope({
      ...user,
      timestamp: 3,
      message: {
        mid: 'img',
        attachments: [{ type: 'image', payload: { url: 'https://x/y.jpg' } }],
      },
    });
    expect(parsed(body).events).toEqual([
      {
        channel: 'messenger',
        userId: 'U1',
        eventId: 'img',
        timestamp: 3,
        kind: 'unsupported',
        mediaType: 'image',
      },
    ]);
  });

  it('a top-level referral without ref (an ad) just opens the conversation', () => {
    const body = envelope({
      ...user,
      timestamp: 4,
      referral: { source: 'ADS', type: 'OPEN_THREAD', ad_id: '1' },
    });
    expect(parsed(body).events[0]).toMatchObject({ kind: 'follow' });
  });

  it('skips standby items, reactions, optins and broken items, naming only their kind', () => {
    const body = {
      object: 'page',
      entry: [
        {
          id: 'P',
          time: 1,
          standby: [{ ...user, message: { mid: 's', text: 'secret text' } }],
          messaging: [
            { ...user, reaction: { reaction: 'love', mid: 'x' } },
            { ...user, optin: { ref: 'x' } },
            { recipient: { id: 'P' }, message: { mid: 'no-sender', text: 'x' } },
            'not an object',
            { ...user, '<script>': 1 },
          ],
        },
      ],
    };
    const result = parsed(body);
    expect(result.events).toEqual([]);
    expect(result.ignored).toEqual([
      'standby',
      'reaction',
      'optin',
      'invalid',
      'invalid',
      'unknown',
    ]);
    expect(JSON.stringify(result.ignored)).not.toContain('secret');
  });

  it('uses the entry time when an item has no timestamp', () => {
    const [event] = parsed(envelope({ ...user, message: { mid: 'n', text: 'x' } })).events;
    expect(event!.timestamp).toBe(5);
  });

  it.each([
    ['an array', []],
    ['a string', 'hello'],
    ['null', null],
    ['entry that is not an array', { object: 'page', entry: {} }],
  ])('refuses %s', (_name, body) => {
    expect(parseEnvelope(body).ok).toBe(false);
  });

  it('acknowledges other objects and an envelope without entries without events', () => {
    expect(parsed({ object: 'instagram', entry: [] })).toEqual({
      events: [],
      ignored: ['object'],
      warnings: [],
    });
    expect(parsed({ object: 'page' })).toEqual({ events: [], ignored: [], warnings: [] });
  });
});

describe('parseEnvelope: echoes of our sends vs a person answering from the Page', () => {
  const OURS = '1517776481860111';
  const echo = (message: Record<string, unknown>) =>
    envelope({
      sender: { id: 'PAGE' },
      recipient: { id: 'U7' },
      timestamp: 42,
      message: { is_echo: true, mid: 'm.echo', text: 'Chào bạn', ...message },
    });
  const outcome = (body: unknown, appId?: string) => {
    const result = parseEnvelope(body, { appId });
    if (!result.ok) throw new Error(result.problem);
    return result.result.events.length > 0
      ? `${result.result.events[0]!.kind}:${result.result.events[0]!.userId}`
      : result.result.ignored.join(',');
  };

  it.each([
    ['no app_id (Page inbox)', {}, undefined, 'agent_reply:U7'],
    ['no app_id, ours configured', {}, OURS, 'agent_reply:U7'],
    ['the Page inbox app id', { app_id: 263902037430900 }, undefined, 'agent_reply:U7'],
    ['an app id, none configured: ours', { app_id: 1517776481860111 }, undefined, 'echo'],
    ['our configured app id (number)', { app_id: 1517776481860111 }, OURS, 'echo'],
    ['our configured app id (string)', { app_id: OURS }, OURS, 'echo'],
    ['another app id than ours', { app_id: 999 }, OURS, 'agent_reply:U7'],
    ['an empty app_id', { app_id: '' }, OURS, 'agent_reply:U7'],
  ])('%s', (_name, message, appId, expected) => {
    expect(outcome(echo(message), appId)).toBe(expected);
  });

  it('keeps the mid as event id, names the user (recipient), never the text', () => {
    const result = parseEnvelope(echo({}));
    expect(result.ok && result.result.events).toEqual([
      { channel: 'messenger', kind: 'agent_reply', userId: 'U7', eventId: 'm.echo', timestamp: 42 },
    ]);
  });

  it('skips a human echo without a recipient as invalid', () => {
    const body = envelope({ sender: { id: 'PAGE' }, message: { is_echo: true, text: 'x' } });
    expect(outcome(body)).toBe('invalid');
  });
});
