import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { LightMyRequestResponse } from 'fastify';

/** Byte-exact copies of the published Zalo samples (see test/fixtures/zalo/SOURCES.md). */
export const FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../fixtures/zalo',
);

export const APP_ID = '3349222483842580322';
export const APP_SECRET = 'app-secret-for-tests';
export const OA_SECRET = 'oa-secret-for-tests';

/** Every fixture file under fixtures/zalo (webhook bodies), relative names. */
export function webhookFixtures(): string[] {
  const top = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
  const consoleTests = fs
    .readdirSync(path.join(FIXTURES, 'console-test'))
    .map((f) => `console-test/${f}`);
  return [...top, ...consoleTests].sort();
}

/** A fixture's exact bytes (never re-serialised: the mac is over these bytes). */
export function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(FIXTURES, name));
}

/** The mac as the Zalo docs define it, computed here independently of src/. */
export function mac(raw: Buffer | string, secret = OA_SECRET, appId = APP_ID): string {
  const body = typeof raw === 'string' ? Buffer.from(raw) : raw;
  const timestamp = String(
    (JSON.parse(body.toString('utf8')) as { timestamp?: unknown }).timestamp,
  );
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(appId), body, Buffer.from(timestamp), Buffer.from(secret)]))
    .digest('hex');
}

/** Zalo channel settings for tests; outbound URLs point at a fake (or a nock host). */
export function zaloEnv(
  apiUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ZALO_APP_ID: APP_ID,
    ZALO_APP_SECRET: APP_SECRET,
    ZALO_OA_SECRET_KEY: OA_SECRET,
    ZALO_ACCESS_TOKEN: 'seed-access',
    ZALO_REFRESH_TOKEN: 'seed-refresh',
    ZALO_API_URL: apiUrl,
    ZALO_OAUTH_URL: apiUrl,
    // Fixtures are replays of old events; the freshness tests turn the window back on.
    ZALO_MAX_EVENT_AGE_MINUTES: 'off',
    ...extra,
  };
}

/** Posts a webhook body, signed with the test secret unless `signature` says otherwise. */
export function postWebhook(
  app: FastifyInstance,
  raw: Buffer | string,
  signature: string | null = `mac=${mac(raw)}`,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/webhooks/zalo',
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-zevent-signature': signature }),
    },
    payload: raw,
  });
}

/** A user_send_text body (ids as strings, timestamp a string of epoch ms). */
export function textEvent(
  userId: string,
  text: string,
  msgId: string,
  timestamp = Date.now(),
): string {
  return JSON.stringify({
    app_id: APP_ID,
    sender: { id: userId },
    user_id_by_app: '552177279717587730',
    recipient: { id: '4024926008133882615' },
    event_name: 'user_send_text',
    message: { text, msg_id: msgId },
    timestamp: String(timestamp),
  });
}
