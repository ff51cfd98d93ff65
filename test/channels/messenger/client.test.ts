import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessengerApiClient, retryAfterMs } from '../../../src/channels/messenger/client.js';
import type { MessengerConfig } from '../../../src/config.js';
import {
  ChannelError,
  ErrorCode,
  OutsideWindowError,
  PlatformError,
  RateLimitedError,
  RecipientUnreachableError,
  TokenInvalidError,
  TransportError,
} from '../../../src/core/errors.js';

const ORIGIN = 'https://graph.test';
const TOKEN = 'EAAGsecretPageToken0123456789';
const config: MessengerConfig = {
  appSecrets: ['current-secret', 'old-secret'],
  pageAccessToken: TOKEN,
  verifyToken: 'v',
  apiUrl: ORIGIN,
  graphVersion: 'v25.0',
};
const PROOF = createHmac('sha256', 'current-secret').update(TOKEN).digest('hex');

function graphError(code: number, subcode?: number, message = 'Graph says no') {
  return {
    error: {
      message: `${message} (token ${TOKEN})`,
      type: 'OAuthException',
      code,
      ...(subcode === undefined ? {} : { error_subcode: subcode }),
      fbtrace_id: 'AbC',
    },
  };
}

describe('MessengerApiClient', () => {
  let client: MessengerApiClient;
  beforeEach(() => {
    client = new MessengerApiClient(config);
  });
  afterEach(() => {
    client.close();
  });

  it('sends to the configured origin and version with appsecret_proof and RESPONSE for replies', async () => {
    const scope = nock(ORIGIN)
      .post('/v25.0/me/messages', {
        messaging_type: 'RESPONSE',
        recipient: { id: 'PSID1' },
        message: {
          text: 'Xin chào',
          quick_replies: [{ content_type: 'text', title: 'Giới thiệu', payload: 'ABOUT' }],
        },
      })
      .query({ access_token: TOKEN, appsecret_proof: PROOF })
      .reply(200, { recipient_id: 'PSID1', message_id: 'm_123' });
    const id = await client.send(
      'PSID1',
      {
        text: 'Xin chào',
        quick_replies: [{ content_type: 'text', title: 'Giới thiệu', payload: 'ABOUT' }],
      },
      'reply',
    );
    expect(id).toBe('m_123');
    scope.done();
  });

  it('sends proactive messages as UPDATE', async () => {
    const scope = nock(ORIGIN)
      .post(
        '/v25.0/me/messages',
        (body: { messaging_type?: string }) => body.messaging_type === 'UPDATE',
      )
      .query(true)
      .reply(200, { recipient_id: 'PSID1', message_id: 'm_9' });
    await expect(client.send('PSID1', { text: 'Tin mới' }, 'proactive')).resolves.toBe('m_9');
    scope.done();
  });

  it.each([
    [
      '551 user unavailable',
      400,
      graphError(551, 1545041),
      RecipientUnreachableError,
      ErrorCode.Unreachable,
      true,
    ],
    [
      '200/1545041 blocked',
      403,
      graphError(200, 1545041),
      RecipientUnreachableError,
      ErrorCode.Unreachable,
      true,
    ],
    [
      '10/2018278 outside the 24 h window',
      400,
      graphError(10, 2018278),
      OutsideWindowError,
      ErrorCode.OutsideWindow,
      true,
    ],
    [
      '10/2534022 outside the window',
      400,
      graphError(10, 2534022),
      OutsideWindowError,
      ErrorCode.OutsideWindow,
      true,
    ],
    [
      '10/1893063 page restricted',
      400,
      graphError(10, 1893063),
      PlatformError,
      ErrorCode.PageRestricted,
      true,
    ],
    [
      '190 token invalid',
      401,
      graphError(190, 463),
      TokenInvalidError,
      ErrorCode.TokenInvalid,
      true,
    ],
    ['613 rate limited', 400, graphError(613), RateLimitedError, ErrorCode.RateLimited, false],
    ['4 app rate limited', 403, graphError(4), RateLimitedError, ErrorCode.RateLimited, false],
    ['100 invalid parameter', 400, graphError(100), PlatformError, ErrorCode.Platform, true],
    ['2 transient', 503, graphError(2), TransportError, ErrorCode.Transport, false],
    ['500 without a body', 500, '', TransportError, ErrorCode.Transport, false],
  ] as const)('maps %s', async (_name, status, body, type, code, permanent) => {
    const scope = nock(ORIGIN).post('/v25.0/me/messages').query(true).reply(status, body);
    const error = await client.send('PSID1', { text: 'x' }, 'reply').then(
      () => undefined,
      (e: unknown) => e,
    );
    scope.done();
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(ChannelError);
    const channelError = error as ChannelError;
    expect(channelError.code).toBe(code);
    expect(channelError.permanent).toBe(permanent);
    // The token must not leak through the message, the stack, inspection or serialisation.
    for (const text of [
      channelError.message,
      channelError.stack ?? '',
      inspect(error, { depth: 5 }),
      JSON.stringify(error),
    ])
      expect(text).not.toContain(TOKEN);
  });

  it('keeps the Graph code and subcode on the error', async () => {
    nock(ORIGIN)
      .post('/v25.0/me/messages')
      .query(true)
      .reply(400, graphError(10, 2018278, 'outside window'));
    const error = (await client
      .send('PSID1', { text: 'x' }, 'reply')
      .catch((e: unknown) => e)) as ChannelError;
    expect(error.platformCode).toBe('10/2018278');
    expect(error.message).toContain('outside window');
    expect(error.message).toContain('[redacted]');
  });

  it('waits as long as X-Business-Use-Case-Usage says on 613', async () => {
    nock(ORIGIN)
      .post('/v25.0/me/messages')
      .query(true)
      .reply(400, graphError(613), {
        'x-business-use-case-usage': JSON.stringify({
          '123': [{ type: 'messenger', estimated_time_to_regain_access: 5 }],
        }),
      });
    const error = (await client
      .send('PSID1', { text: 'x' }, 'reply')
      .catch((e: unknown) => e)) as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAfterMs).toBe(5 * 60_000);
  });

  it('maps a network failure to a TransportError without the token', async () => {
    nock(ORIGIN).post('/v25.0/me/messages').query(true).replyWithError(`socket hang up ${TOKEN}`);
    const error = (await client
      .send('PSID1', { text: 'x' }, 'reply')
      .catch((e: unknown) => e)) as ChannelError;
    expect(error).toBeInstanceOf(TransportError);
    expect(error.message).not.toContain(TOKEN);
  });

  it('writes the Messenger profile', async () => {
    const scope = nock(ORIGIN)
      .post('/v25.0/me/messenger_profile', {
        get_started: { payload: 'GET_STARTED' },
        greeting: [{ locale: 'default', text: 'Xin chào' }],
        persistent_menu: [
          {
            locale: 'default',
            composer_input_disabled: false,
            call_to_actions: [{ type: 'postback', title: 'Menu', payload: 'MENU' }],
          },
        ],
      })
      .query({ access_token: TOKEN, appsecret_proof: PROOF })
      .reply(200, { result: 'success' });
    await client.setProfile({
      get_started: { payload: 'GET_STARTED' },
      greeting: [{ locale: 'default', text: 'Xin chào' }],
      persistent_menu: [
        {
          locale: 'default',
          composer_input_disabled: false,
          call_to_actions: [{ type: 'postback', title: 'Menu', payload: 'MENU' }],
        },
      ],
    });
    scope.done();
  });
});

describe('retryAfterMs', () => {
  it.each([
    [{}, 60_000],
    [{ 'retry-after': '7' }, 7000],
    [{ 'x-business-use-case-usage': 'not json' }, 60_000],
    [
      {
        'x-business-use-case-usage': JSON.stringify({
          a: [{ estimated_time_to_regain_access: 0 }],
        }),
      },
      60_000,
    ],
  ])('%j -> %d ms', (headers, expected) => {
    expect(retryAfterMs(headers)).toBe(expected);
  });
});
