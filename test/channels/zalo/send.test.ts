import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ZaloChannel } from '../../../src/channels/zalo/channel.js';
import { TOKENS_KEY, type StoredZaloTokens } from '../../../src/channels/zalo/tokens.js';
import {
  OutsideWindowError,
  RateLimitedError,
  TokenInvalidError,
} from '../../../src/core/errors.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { APP_ID, APP_SECRET, zaloEnv } from './helpers.js';

const API = 'https://openapi.zalo.test';
const CS = '/v3.0/oa/message/cs';
const ok = (id: string) => ({ error: 0, message: 'Success', data: { message_id: id } });

describe('ZaloChannel.send against a nock Zalo', () => {
  let t: TestApp;
  let zalo: ZaloChannel;
  beforeEach(async () => {
    t = await startTestApp({ env: zaloEnv(API) });
    zalo = t.services.channels.get('zalo') as ZaloChannel;
  });
  afterEach(async () => {
    await t.close();
  });

  it('sends with the seeded access token', async () => {
    const scope = nock(API, { reqheaders: { access_token: 'seed-access' } })
      .post(CS, { recipient: { user_id: 'u1' }, message: { text: 'xin chào' } })
      .reply(200, ok('m1'));
    await expect(zalo.send('u1', { text: 'xin chào' }, { mode: 'reply' })).resolves.toEqual({
      messageIds: ['m1'],
    });
    scope.done();
  });

  it('-216: refreshes once, saves the new pair, retries once and succeeds', async () => {
    const scope = nock(API)
      .post(CS)
      .matchHeader('access_token', 'seed-access')
      .reply(200, { error: -216, message: 'Access token is invalid' })
      .post('/v4/oa/access_token', {
        app_id: APP_ID,
        grant_type: 'refresh_token',
        refresh_token: 'seed-refresh',
      })
      .matchHeader('secret_key', APP_SECRET)
      .reply(200, { access_token: 'new-access', refresh_token: 'new-refresh', expires_in: '90000' })
      .post(CS)
      .matchHeader('access_token', 'new-access')
      .reply(200, ok('m2'));
    await expect(zalo.send('u1', { text: 'hi' }, { mode: 'reply' })).resolves.toEqual({
      messageIds: ['m2'],
    });
    scope.done();
    const stored = await t.services.kv.get<StoredZaloTokens>(TOKENS_KEY);
    expect(stored).toMatchObject({ accessToken: 'new-access', refreshToken: 'new-refresh' });
  });

  it('-216 again after the refresh: gives up with TokenInvalidError (one refresh, two sends)', async () => {
    let refreshes = 0;
    let sends = 0;
    nock(API)
      .post(CS)
      .times(5)
      .reply(() => {
        sends += 1;
        return [200, { error: -216, message: 'invalid' }];
      })
      .post('/v4/oa/access_token')
      .times(5)
      .reply(() => {
        refreshes += 1;
        return [
          200,
          { access_token: `a${refreshes}`, refresh_token: `r${refreshes}`, expires_in: '90000' },
        ];
      });
    await expect(zalo.send('u1', { text: 'hi' }, { mode: 'reply' })).rejects.toBeInstanceOf(
      TokenInvalidError,
    );
    expect({ sends, refreshes }).toEqual({ sends: 2, refreshes: 1 });
  });

  it('-230 (outside the 7-day window) is neither retried nor a reason to refresh', async () => {
    let sends = 0;
    const oauth = nock(API).post('/v4/oa/access_token').reply(200, {});
    nock(API)
      .post(CS)
      .times(3)
      .reply(() => {
        sends += 1;
        return [200, { error: -230, message: 'User has not interacted with OA in 7 days' }];
      });
    const error = await zalo
      .send('u1', { text: 'hi' }, { mode: 'proactive' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutsideWindowError);
    expect(sends).toBe(1);
    expect(oauth.isDone()).toBe(false);
  });

  it('-32 (rate limited) is handed to the caller to back off, not retried here', async () => {
    let sends = 0;
    nock(API)
      .post(CS)
      .times(3)
      .reply(() => {
        sends += 1;
        return [200, { error: -32, message: 'exceed rate limit' }];
      });
    const error = await zalo.send('u1', { text: 'hi' }, { mode: 'reply' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(0);
    expect(sends).toBe(1);
  });

  it('sends a long message as several CS messages in order', async () => {
    const texts: string[] = [];
    nock(API)
      .post(CS)
      .times(3)
      .reply((_uri, body) => {
        texts.push((body as { message: { text: string } }).message.text);
        return [200, ok(`m${texts.length}`)];
      });
    const result = await zalo.send('u1', { text: 'chữ '.repeat(1200) }, { mode: 'reply' });
    expect(result.messageIds).toEqual(['m1', 'm2', 'm3']);
    expect(texts.every((x) => [...x].length <= 2000)).toBe(true);
  });
});
