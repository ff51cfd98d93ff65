import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WEBHOOK_PATH } from '../../../src/channels/messenger/channel.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { MESSENGER_TEST, messengerEnv, signMessenger } from '../../helpers/messenger.js';
import { FakeGraphApi } from '../../fakes/fake-graph-api.js';

async function metrics(t: TestApp): Promise<string> {
  return (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
}

function policy(field: string, action: string): string {
  return JSON.stringify({
    object: 'page',
    entry: [
      {
        id: 'PAGE_ID',
        time: 1458692752478,
        messaging: [
          {
            recipient: { id: 'PAGE_ID' },
            timestamp: 1458692752478,
            [field]: { action, reason: 'The bot violated our Platform Policies.' },
          },
        ],
      },
    ],
  });
}

/** A signed_request as Meta posts it: base64url(HMAC-SHA256(payload)) + "." + base64url(payload). */
function signedRequest(payload: object, secret = MESSENGER_TEST.appSecret): string {
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const sig = createHmac('sha256', secret).update(encoded).digest('base64url');
  return `${sig}.${encoded}`;
}

describe('Messenger: Meta acting on the app is a warning and a metric', () => {
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

  it.each([
    ['policy_enforcement', 'block'],
    ['policy-enforcement', 'warning'],
  ])('%s (%s): 200, no turn, counted by action', async (field, action) => {
    const body = policy(field, action);
    const res = await t.app.inject({
      method: 'POST',
      url: WEBHOOK_PATH,
      payload: body,
      headers: signMessenger(body),
    });
    expect(res.statusCode).toBe(200);
    await t.services.inbox.idle();
    expect(await t.services.inboxRepo.counts()).toEqual({});
    expect(await metrics(t)).toContain(
      `llw_platform_warnings_total{channel="messenger",kind="policy-enforcement-${action}"} 1`,
    );
  });

  it('a signed deauthorisation callback is acknowledged and counted', async () => {
    const form = new URLSearchParams({
      signed_request: signedRequest({
        algorithm: 'HMAC-SHA256',
        issued_at: 1700000000,
        user_id: '42',
      }),
    }).toString();
    const res = await t.app.inject({
      method: 'POST',
      url: `${WEBHOOK_PATH}/deauthorize`,
      payload: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(200);
    expect(await metrics(t)).toContain(
      'llw_platform_warnings_total{channel="messenger",kind="app-deauthorized"} 1',
    );
  });

  it.each([
    ['signed with another secret', signedRequest({ algorithm: 'HMAC-SHA256' }, 'not-ours')],
    ['not a signed request', 'hello.world'],
    ['missing', ''],
  ])('a deauthorisation callback %s is refused (403) and not counted as one', async (_w, value) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${WEBHOOK_PATH}/deauthorize`,
      payload: new URLSearchParams({ signed_request: value }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(403);
    const text = await metrics(t);
    expect(text).not.toContain('kind="app-deauthorized"');
    expect(text).toContain(
      'llw_webhook_rejected_total{channel="messenger",reason="deauthorize-signature"} 1',
    );
  });
});
