import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { ZaloClient } from '../../../src/channels/zalo/client.js';
import {
  OutsideWindowError,
  PlatformError,
  RateLimitedError,
  RecipientUnreachableError,
  TokenInvalidError,
  TransportError,
} from '../../../src/core/errors.js';
import { fixture } from './helpers.js';

const API = 'https://openapi.zalo.test';
const OAUTH = 'https://oauth.zalo.test';
const client = new ZaloClient({ apiUrl: API, oauthUrl: OAUTH, appId: 'app1', appSecret: 'sec1' });
const body = { recipient: { user_id: 'u1' }, message: { text: 'xin chào' } };
const success = JSON.parse(fixture('api/message_cs.response.official-docs.json').toString('utf8'));

describe('ZaloClient.sendMessage', () => {
  it('posts the CS message with the access_token header and returns the message id', async () => {
    const scope = nock(API, { reqheaders: { access_token: 'tok-1' } })
      .post('/v3.0/oa/message/cs', body)
      .reply(200, success);
    await expect(client.sendMessage('tok-1', body)).resolves.toBe('63ecf43f0df7dba892e6');
    scope.done();
  });

  it.each<[number, new (...args: never[]) => Error, boolean]>([
    [-216, TokenInvalidError, true],
    [-220, TokenInvalidError, true],
    [-230, OutsideWindowError, true],
    [-232, OutsideWindowError, true],
    [-213, RecipientUnreachableError, true],
    [-32, RateLimitedError, false],
    [-201, PlatformError, true],
    [-124, PlatformError, false],
  ])('maps error %i (HTTP 200) to a typed error', async (code, type, permanent) => {
    const scope = nock(API)
      .post('/v3.0/oa/message/cs')
      .reply(200, { error: code, message: 'nope' });
    const error = await client.sendMessage('tok', body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ platformCode: code, permanent });
    if (error instanceof RateLimitedError) expect(error.retryAfterMs).toBe(60_000);
    scope.done();
  });

  it('maps HTTP 429 with Retry-After, 5xx to transport, other 4xx to a platform error', async () => {
    nock(API).post('/v3.0/oa/message/cs').reply(429, '', { 'retry-after': '7' });
    await expect(client.sendMessage('t', body)).rejects.toMatchObject({
      name: 'RateLimitedError',
      retryAfterMs: 7000,
    });
    nock(API).post('/v3.0/oa/message/cs').reply(502, 'bad gateway');
    await expect(client.sendMessage('t', body)).rejects.toBeInstanceOf(TransportError);
    nock(API).post('/v3.0/oa/message/cs').reply(404, 'no');
    await expect(client.sendMessage('t', body)).rejects.toBeInstanceOf(PlatformError);
  });

  it('refuses a 200 that is not JSON or lacks a message id', async () => {
    nock(API).post('/v3.0/oa/message/cs').reply(200, '<html>maintenance</html>');
    await expect(client.sendMessage('t', body)).rejects.toBeInstanceOf(PlatformError);
    nock(API).post('/v3.0/oa/message/cs').reply(200, { error: 0, data: {} });
    await expect(client.sendMessage('t', body)).rejects.toThrow(/without a message id/);
  });

  it('turns a network failure into a TransportError', async () => {
    nock(API).post('/v3.0/oa/message/cs').replyWithError('ECONNRESET');
    await expect(client.sendMessage('t', body)).rejects.toBeInstanceOf(TransportError);
  });
});

describe('ZaloClient.refreshTokens (OAuth v4)', () => {
  it('posts the form with secret_key and reads expires_in as a string', async () => {
    const scope = nock(OAUTH, {
      reqheaders: {
        secret_key: 'sec1',
        'content-type': 'application/x-www-form-urlencoded',
      },
    })
      .post('/v4/oa/access_token', {
        app_id: 'app1',
        grant_type: 'refresh_token',
        refresh_token: 'r-old',
      })
      .reply(200, fixture('api/oauth_v4_oa_access_token.response.official-docs.json'), {
        'content-type': 'application/json',
      });
    await expect(client.refreshTokens('r-old')).resolves.toEqual({
      accessToken: 'RfBh5NdqsWzhcX8bDDe_1A463Z34Fhy1GVi63AoTU1InwujqF',
      refreshToken: 'L2Y2BO9Prn_I1SkM08T4J99bZQYVbOBPfTVeRgrLdPK4ZqGX9G',
      expiresInMs: 90_000_000,
    });
    scope.done();
  });

  it('says how to fix a refused refresh token, without echoing it', async () => {
    nock(OAUTH)
      .post('/v4/oa/access_token')
      .reply(200, { error: -14014, error_name: 'Invalid refresh token' });
    const error = await client.refreshTokens('r-secret-value').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenInvalidError);
    expect((error as Error).message).toMatch(/ZALO_REFRESH_TOKEN/);
    expect((error as Error).message).not.toContain('r-secret-value');
  });

  it('refuses an answer without a complete pair', async () => {
    nock(OAUTH).post('/v4/oa/access_token').reply(200, { access_token: 'a', expires_in: '90000' });
    await expect(client.refreshTokens('r')).rejects.toBeInstanceOf(PlatformError);
  });
});
