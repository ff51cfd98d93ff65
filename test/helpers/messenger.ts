import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Real-world samples (byte-exact copies; see test/fixtures/messenger/SOURCES.md). */
export const MESSENGER_FIXTURES = path.resolve(import.meta.dirname, '../fixtures/messenger');

/** App secret, page token and verify token the Messenger tests configure. */
export const MESSENGER_TEST = {
  appSecret: 'test-app-secret',
  pageToken: 'EAAtestPAGEtokenSECRETvalue123',
  verifyToken: 'verify-me-please',
};

/** MESSENGER_* settings for startTestApp, pointing at a fake Graph API. */
export function messengerEnv(apiUrl: string): Record<string, string> {
  return {
    MESSENGER_APP_SECRET: MESSENGER_TEST.appSecret,
    MESSENGER_PAGE_ACCESS_TOKEN: MESSENGER_TEST.pageToken,
    MESSENGER_VERIFY_TOKEN: MESSENGER_TEST.verifyToken,
    MESSENGER_API_URL: apiUrl,
    MESSENGER_GRAPH_VERSION: 'v25.0',
  };
}

/** Signs a body as Meta does: headers for app.inject. */
export function signMessenger(
  body: string | Buffer,
  secret = MESSENGER_TEST.appSecret,
): Record<string, string> {
  const hex = createHmac('sha256', secret).update(body).digest('hex');
  return { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${hex}` };
}

/**
 * A signed "text" webhook from `userId` as the benches send it: signed both ways Meta signs
 * (`X-Hub-Signature` SHA-1, which Bottender checks, and SHA-256, which the project checks).
 */
export function signedTextRequest(
  route: string,
  userId: string,
  mid: string,
  text: string,
): { path: string; body: string; headers: Record<string, string> } {
  const body = textEnvelope(userId, [{ mid, text }], Date.now());
  const sha1 = createHmac('sha1', MESSENGER_TEST.appSecret).update(body).digest('hex');
  return {
    path: route,
    body,
    headers: { ...signMessenger(body), 'x-hub-signature': `sha1=${sha1}` },
  };
}

/** The exact bytes of a fixture. */
export function readFixture(name: string): string {
  return fs.readFileSync(path.join(MESSENGER_FIXTURES, name), 'utf8');
}

/** A fixture as a full webhook envelope (files that hold one `messaging` item get wrapped). */
export function fixtureEnvelope(name: string): { object: string; entry: unknown[] } {
  const parsed = JSON.parse(readFixture(name)) as Record<string, unknown>;
  if (parsed.object === 'page') return parsed as { object: string; entry: unknown[] };
  return { object: 'page', entry: [{ id: '<PAGE_ID>', time: 1458692752478, messaging: [parsed] }] };
}

/** One text message from a user, as a webhook envelope. */
export function textEnvelope(
  userId: string,
  texts: Array<{ mid: string; text: string }>,
  timestamp = 1_700_000_000_000,
): string {
  return JSON.stringify({
    object: 'page',
    entry: [
      {
        id: 'PAGE',
        time: timestamp,
        messaging: texts.map((t, i) => ({
          sender: { id: userId },
          recipient: { id: 'PAGE' },
          timestamp: timestamp + i,
          message: { mid: t.mid, text: t.text },
        })),
      },
    ],
  });
}
