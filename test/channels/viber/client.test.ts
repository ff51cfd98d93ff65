import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { ViberClient } from '../../../src/channels/viber/client.js';
import {
  ChannelError,
  PlatformError,
  RateLimitedError,
  RecipientUnreachableError,
  TokenInvalidError,
  TransportError,
} from '../../../src/core/errors.js';

const API = 'https://chatapi.viber.test';
const TOKEN = '4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f';
const message = {
  receiver: '01234567890A=',
  type: 'text' as const,
  text: 'Xin chào',
  sender: { name: 'Tuần lễ' },
};

const client = new ViberClient({ apiUrl: API, authToken: TOKEN });
afterEach(() => {
  nock.cleanAll();
});

/** Runs a call that must fail and returns its error. */
async function failure(call: Promise<unknown>): Promise<ChannelError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

describe('ViberClient.sendMessage', () => {
  it('posts the message with the token header and keeps the 64-bit token exact (status 0)', async () => {
    const scope = nock(API, { reqheaders: { 'x-viber-auth-token': TOKEN } })
      .post('/pa/send_message', message)
      .reply(
        200,
        '{"status":0,"status_message":"ok","message_token":4912661846655238145,"chat_hostname":"SN-CHAT-01_"}',
        { 'content-type': 'application/json' },
      );
    await expect(client.sendMessage(message)).resolves.toEqual({
      messageToken: '4912661846655238145',
    });
    scope.done();
  });

  it.each([
    [5, 'receiverNotRegistered', RecipientUnreachableError, true],
    [6, 'receiverNotSubscribed', RecipientUnreachableError, true],
    [12, 'tooManyRequests', RateLimitedError, false],
    [2, 'invalidAuthToken', TokenInvalidError, true],
    [3, 'badData', PlatformError, true],
    [10, 'webhookNotSet', PlatformError, false],
    [99, 'unknown', PlatformError, false],
  ])('maps status %i (HTTP 200) to a typed error', async (status, name, type, permanent) => {
    const scope = nock(API)
      .post('/pa/send_message')
      .reply(200, { status, status_message: name, chat_hostname: 'SN-CHAT-01_' });
    const error = await failure(client.sendMessage(message));
    expect(error).toBeInstanceOf(type);
    expect(error.platformCode).toBe(status);
    expect(error.permanent).toBe(permanent);
    expect(error.message).toContain(`status ${status}`);
    expect(error.message).not.toContain(TOKEN);
    scope.done();
  });

  it('asks to wait 10 s on status 12 (Viber sends no Retry-After)', async () => {
    nock(API)
      .post('/pa/send_message')
      .reply(200, { status: 12, status_message: 'tooManyRequests' });
    const error = await failure(client.sendMessage(message));
    expect((error as RateLimitedError).retryAfterMs).toBe(10_000);
  });

  it('honours Retry-After on HTTP 429', async () => {
    nock(API).post('/pa/send_message').reply(429, 'slow down', { 'retry-after': '3' });
    const error = await failure(client.sendMessage(message));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(3000);
  });

  it.each([500, 502, 503])('treats HTTP %i as a transport failure', async (code) => {
    nock(API).post('/pa/send_message').reply(code, '<html>bad gateway</html>');
    const error = await failure(client.sendMessage(message));
    expect(error).toBeInstanceOf(TransportError);
    expect(error.permanent).toBe(false);
  });

  it('treats a network failure as a transport failure without leaking the token', async () => {
    nock(API)
      .post('/pa/send_message')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const error = await failure(client.sendMessage(message));
    expect(error).toBeInstanceOf(TransportError);
    expect(error.message).toBe('Viber send_message: ECONNRESET');
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(TOKEN);
  });

  it('times out a silent API', async () => {
    const slow = new ViberClient({ apiUrl: API, authToken: TOKEN, timeoutMs: 50 });
    nock(API).post('/pa/send_message').delay(1000).reply(200, { status: 0, message_token: 1 });
    const error = await failure(slow.sendMessage(message));
    expect(error).toBeInstanceOf(TransportError);
    expect(error.message).toContain('no answer within 50 ms');
    slow.close();
  });

  it.each([
    ['HTML with HTTP 200', 200, '<html>proxy</html>'],
    ['JSON without status', 200, '{"ok":true}'],
    ['HTTP 404', 404, 'not found'],
  ])('refuses %s as a platform error', async (_name, code, body) => {
    nock(API).post('/pa/send_message').reply(code, body);
    expect(await failure(client.sendMessage(message))).toBeInstanceOf(PlatformError);
  });
});

describe('ViberClient.broadcastMessage', () => {
  it('returns the receivers of a partial failed_list and the exact 64-bit message token', async () => {
    const receivers = ['u1', 'u2', 'u3', 'u4'];
    const { receiver: _receiver, ...base } = message;
    const scope = nock(API)
      .post('/pa/broadcast_message', { ...base, broadcast_list: receivers })
      .reply(
        200,
        '{"status":0,"status_message":"ok","message_token":5741311803571721087,"failed_list":[{"receiver":"u2","status":6,"status_message":"Not subscribed"},{"receiver":"u4","status":5,"status_message":"Not registered"}]}',
      );
    await expect(client.broadcastMessage({ ...base, broadcast_list: receivers })).resolves.toEqual({
      failed: [
        { receiver: 'u2', status: 6, status_message: 'Not subscribed' },
        { receiver: 'u4', status: 5, status_message: 'Not registered' },
      ],
      messageToken: '5741311803571721087',
    });
    scope.done();
  });

  it('refuses more than 300 receivers before calling Viber', async () => {
    const { receiver: _receiver, ...base } = message;
    const list = Array.from({ length: 301 }, (_, i) => `u${i}`);
    await expect(client.broadcastMessage({ ...base, broadcast_list: list })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('ViberClient: other methods', () => {
  it('set_webhook sends the URL and event types and returns the answer', async () => {
    const body = {
      url: 'https://bot.example.vn/webhooks/viber',
      event_types: ['delivered', 'seen'],
      send_name: false,
      send_photo: false,
    };
    nock(API)
      .post('/pa/set_webhook', body)
      .reply(200, { status: 0, status_message: 'ok', event_types: ['delivered', 'seen'] });
    await expect(client.setWebhook(body)).resolves.toEqual({
      status: 0,
      status_message: 'ok',
      event_types: ['delivered', 'seen'],
    });
  });

  it('get_account_info and get_user_details return bigints as exact strings', async () => {
    nock(API)
      .post('/pa/get_account_info', {})
      .reply(
        200,
        '{"status":0,"id":"pa:75346594275468546724","name":"Bot","subscribers_count":35201}',
      );
    nock(API)
      .post('/pa/get_user_details', { id: 'u1' })
      .reply(
        200,
        '{"status":0,"message_token":4912661846655238145,"user":{"id":"u1","language":"vi","api_version":10}}',
      );
    await expect(client.getAccountInfo()).resolves.toMatchObject({ subscribers_count: 35201 });
    await expect(client.getUserDetails('u1')).resolves.toMatchObject({
      message_token: '4912661846655238145',
      user: { language: 'vi' },
    });
  });
});
