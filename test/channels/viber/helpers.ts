import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { signViberBody } from '../../../src/channels/viber/verify.js';
import { ROOT } from '../../../src/services.js';

/** Viber's official test token: webhook-signed.json is signed with it. */
export const OFFICIAL_TOKEN = '44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a07050b3';
/** Its published signature of webhook-signed.json. */
export const OFFICIAL_SIGNATURE =
  'd21b343448c8aee33b8e93768ef6ceb64a6ba6163099973a2b8bd028fea510ef';

/** Byte-exact copies of the published Viber samples (see test/fixtures/viber/SOURCES.md). */
export const FIXTURE_DIR = path.join(ROOT, 'test', 'fixtures', 'viber');

/** The JSON fixture files, by name. */
export function fixtureNames(): string[] {
  return fs
    .readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** A fixture's exact bytes. */
export function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(FIXTURE_DIR, name));
}

/** The env that turns the Viber channel on against a given API URL. */
export function viberEnv(apiUrl: string): Record<string, string> {
  return {
    VIBER_AUTH_TOKEN: OFFICIAL_TOKEN,
    VIBER_BOT_NAME: 'Tuần lễ Học tập suốt đời',
    VIBER_API_URL: apiUrl,
  };
}

/** POSTs a body to /webhooks/viber signed as Viber would (or with the given headers instead). */
export async function postCallback(
  app: FastifyInstance,
  body: Buffer | string | object,
  options: { headers?: Record<string, string>; url?: string; token?: string } = {},
) {
  const raw = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const headers = options.headers ?? {
    'x-viber-content-signature': signViberBody(raw, options.token ?? OFFICIAL_TOKEN),
  };
  return app.inject({
    method: 'POST',
    url: options.url ?? '/webhooks/viber',
    headers: { 'content-type': 'application/json', ...headers },
    payload: raw,
  });
}

/** A Viber text message callback, as Viber sends it (64-bit token as a bare number). */
export function textCallback(
  text: string,
  options: { userId?: string; token?: string; language?: string; trackingData?: string } = {},
): string {
  const sender = {
    id: options.userId ?? 'vbUser01+abc/XYZ==',
    name: 'Nguyễn Văn A',
    language: options.language ?? 'vi',
    country: 'VN',
    api_version: 10,
  };
  const message = {
    type: 'text',
    text,
    ...(options.trackingData ? { tracking_data: options.trackingData } : {}),
  };
  return `{"event":"message","timestamp":1727760000000,"chat_hostname":"SN-CHAT-01_","message_token":${options.token ?? '5741311803571721001'},"sender":${JSON.stringify(sender)},"message":${JSON.stringify(message)},"silent":false}`;
}
