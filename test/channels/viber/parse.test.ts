import { describe, expect, it } from 'vitest';
import {
  isPayload,
  parseViberCallback,
  ViberParseError,
} from '../../../src/channels/viber/parse.js';
import { fixture, fixtureNames, textCallback } from './helpers.js';

// What each shared fixture must become. A new fixture file without a row here fails the suite.
const EXPECTED: Record<string, unknown> = {
  'conversation-started.json': {
    kind: 'conversation_started',
    userId: '01234567890A=',
    locale: 'en',
    subscribed: false,
    context: 'context information',
  },
  'delivered.json': {
    kind: 'events',
    events: [
      {
        channel: 'viber',
        kind: 'receipt',
        status: 'delivered',
        userId: '3SQNc4FPUQmysaM/AQEhXg==',
        eventId: 'delivered:5466297578174182639',
        timestamp: 1595324677891,
        messageIds: ['5466297578174182639'],
      },
    ],
  },
  'failed.json': {
    kind: 'events',
    events: [
      {
        channel: 'viber',
        kind: 'receipt',
        status: 'failed',
        userId: 'jc9HsWTZ2Yf2NkRZ8KcNug==',
        eventId: 'failed:4912661846655238145',
        timestamp: 1457764197627,
        messageIds: ['4912661846655238145'],
        reason: 'message validation failed',
      },
    ],
  },
  'message-doc-fields.json': {
    kind: 'events',
    events: [
      {
        channel: 'viber',
        kind: 'message',
        userId: '01234567890A=',
        eventId: '4912661846655238145',
        timestamp: 1457764197627,
        locale: 'en',
        text: 'a message to the service',
      },
    ],
  },
  'message.json': {
    kind: 'events',
    events: [
      {
        channel: 'viber',
        kind: 'message',
        userId: '01234567890A=',
        eventId: '4912661846655238145',
        timestamp: 1457764197627,
        text: '批封廟根縄華勢田郎報株聞。変宝長独部鉱内出殺反提似惑金参勧車査真測。見名基現画府日室事集百藤米。発目本当党考万名東拓学早職表治月佐。町要静子呉遊推写間確長無読死覧件一盛治融。',
      },
    ],
  },
  'seen-captured.json': {
    kind: 'events',
    events: [
      {
        channel: 'viber',
        kind: 'receipt',
        status: 'read',
        userId: '3SQNc4FPUQmysaM/AQEhXg==',
        eventId: 'seen:5466297467809468529',
        timestamp: 1595324652811,
        messageIds: ['5466297467809468529'],
      },
    ],
  },
  'seen.json': {
    kind: 'events',
    events: [
      {
        channel: 'viber',
        kind: 'receipt',
        status: 'read',
        userId: 'jc9HsWTZ2Yf2NkRZ8KcNug==',
        eventId: 'seen:4912661846655238145',
        timestamp: 1457764197627,
        messageIds: ['4912661846655238145'],
      },
    ],
  },
  'subscribed.json': {
    kind: 'events',
    events: [
      {
        channel: 'viber',
        kind: 'follow',
        userId: 'jc9HsWTZ2Yf2NkRZ8KcNug==',
        eventId: 'subscribed:4912661846655238145',
        timestamp: 1457764197627,
        locale: 'en',
      },
    ],
  },
  'unsubscribed-captured.json': {
    kind: 'events',
    events: [
      {
        channel: 'viber',
        kind: 'unfollow',
        userId: '3SQNc4FPUQmysaM/AQEhXg==',
        eventId: 'unsubscribed:5466394919049723652',
        timestamp: 1595347885535,
      },
    ],
  },
  'unsubscribed.json': {
    kind: 'events',
    events: [
      {
        channel: 'viber',
        kind: 'unfollow',
        userId: 'jc9HsWTZ2Yf2NkRZ8KcNug==',
        eventId: 'unsubscribed:4912661846655238145',
        timestamp: 1457764197627,
      },
    ],
  },
  'webhook-signed.json': { kind: 'webhook' },
  'webhook.json': { kind: 'webhook' },
};

describe('parseViberCallback: every shared fixture', () => {
  it('has an expectation for every fixture file', () => {
    expect(fixtureNames()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(fixtureNames())('%s', (name) => {
    expect(parseViberCallback(fixture(name))).toEqual(EXPECTED[name]);
  });
});

describe('parseViberCallback', () => {
  it('keeps a 64-bit message_token exact (JSON.parse would round it)', () => {
    const raw = fixture('message.json').toString('utf8');
    expect(String((JSON.parse(raw) as { message_token: number }).message_token)).not.toBe(
      '4912661846655238145',
    );
    const parsed = parseViberCallback(raw);
    expect(parsed.kind === 'events' && parsed.events[0]!.eventId).toBe('4912661846655238145');
  });

  it('keeps the largest 64-bit tokens exact and distinct', () => {
    const a = parseViberCallback(textCallback('a', { token: '9223372036854775807' }));
    const b = parseViberCallback(textCallback('a', { token: '9223372036854775806' }));
    expect(a.kind === 'events' && a.events[0]!.eventId).toBe('9223372036854775807');
    expect(b.kind === 'events' && b.events[0]!.eventId).toBe('9223372036854775806');
  });

  it.each([
    ['vi', 'vi'],
    ['en-US', 'en'],
    ['en_GB', 'en'],
    ['ru', undefined],
  ])('normalises sender.language %j to %j', (language, locale) => {
    const parsed = parseViberCallback(textCallback('xin chào', { language }));
    expect(parsed.kind === 'events' && parsed.events[0]!.locale).toBe(locale);
  });

  it.each([
    ['picture', '{"type":"picture","text":"","media":"https://x/y.jpg"}'],
    ['sticker', '{"type":"sticker","sticker_id":46105}'],
    ['location', '{"type":"location","location":{"lat":21.0,"lon":105.8}}'],
    ['contact', '{"type":"contact","contact":{"name":"A","phone_number":"0900000000"}}'],
    ['file', '{"type":"file","media":"https://x/f.pdf","file_name":"f.pdf"}'],
    ['url', '{"type":"url","media":"https://example.com"}'],
  ])('turns a %s message into an unsupported event', (type, message) => {
    const raw = `{"event":"message","timestamp":1,"message_token":5741311803571721002,"sender":{"id":"u1"},"message":${message}}`;
    expect(parseViberCallback(raw)).toEqual({
      kind: 'events',
      events: [
        {
          channel: 'viber',
          kind: 'unsupported',
          mediaType: type,
          userId: 'u1',
          eventId: '5741311803571721002',
          timestamp: 1,
        },
      ],
    });
  });

  it('acknowledges callbacks it does not use without events', () => {
    expect(parseViberCallback('{"event":"client_status","timestamp":1}')).toEqual({
      kind: 'ignored',
      event: 'client_status',
    });
  });

  it('never gives the same event id to the delivered and seen receipts of one message', () => {
    const delivered = parseViberCallback(
      '{"event":"delivered","timestamp":1,"message_token":5741311803571721003,"user_id":"u"}',
    );
    const seen = parseViberCallback(
      '{"event":"seen","timestamp":2,"message_token":5741311803571721003,"user_id":"u"}',
    );
    const ids = [delivered, seen].map((p) => p.kind === 'events' && p.events[0]!.eventId);
    expect(new Set(ids).size).toBe(2);
  });

  it.each([
    ['not JSON', '{"event":'],
    ['an array', '[1,2]'],
    ['no event', '{"timestamp":1}'],
    ['a message without sender', '{"event":"message","timestamp":1,"message":{"type":"text"}}'],
    [
      'a message with an empty sender id',
      '{"event":"message","sender":{"id":""},"message":{"type":"text"}}',
    ],
    ['a message without type', '{"event":"message","sender":{"id":"u"},"message":{}}'],
    ['unsubscribed without user_id', '{"event":"unsubscribed","timestamp":1}'],
    ['conversation_started without user', '{"event":"conversation_started","timestamp":1}'],
  ])('refuses %s with a ViberParseError', (_name, raw) => {
    expect(() => parseViberCallback(raw)).toThrow(ViberParseError);
  });
});

describe('keyboard taps (text equal to an ActionBody)', () => {
  const tracking = 'llw1:["ABOUT","LANG:TOGGLE"]';

  it.each([
    ['ABOUT', undefined, true],
    ['ABOUT:THEME', undefined, true],
    ['LANG:TOGGLE', undefined, true],
    ['LANG:vi', undefined, true],
    ['MENU', undefined, true],
    ['xin chào', undefined, false],
    ['About', undefined, false],
    ['ABOUT THEME', undefined, false],
    ['1', undefined, false],
    ['', undefined, false],
    ['ABOUT', tracking, true],
    ['LANG:TOGGLE', tracking, true],
    // With our tracking data echoed, only what the keyboard offered counts as a tap: an
    // all-capitals "HELLO" typed by the user stays a message.
    ['HELLO', tracking, false],
    ['HELLO', undefined, true],
    ['ABOUT', "someone else's tracking data", true],
  ])('%j with tracking %j is a tap: %s', (text, trackingData, tap) => {
    expect(isPayload(text, trackingData)).toBe(tap);
    const parsed = parseViberCallback(textCallback(text, trackingData ? { trackingData } : {}));
    const event = parsed.kind === 'events' ? parsed.events[0] : undefined;
    expect(event?.kind).toBe(tap ? 'postback' : 'message');
    if (tap) expect(event).toMatchObject({ payload: text });
  });
});
