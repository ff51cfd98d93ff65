import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../src/services.js';
import { FakeViberApi } from '../../fakes/fake-viber-api.js';

const TOKEN = 'setup-token-1234';

/** Runs `npm run setup:viber -- <args>` (through tsx) and returns exit code and output. */
async function setup(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      [path.join(ROOT, 'scripts', 'setup-viber.ts'), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run setup:viber', () => {
  let api: FakeViberApi;
  beforeAll(async () => {
    api = await FakeViberApi.start(TOKEN);
  });
  afterAll(async () => {
    await api.close();
  });

  it('calls set_webhook with the event types we handle and prints Viber’s answer', async () => {
    const env = { VIBER_AUTH_TOKEN: TOKEN, VIBER_BOT_NAME: 'Bot', VIBER_API_URL: api.url };
    const result = await setup(['https://bot.example.vn/webhooks/viber'], env);
    expect(result.code).toBe(0);
    expect(api.callsTo('set_webhook').map((c) => c.body)).toEqual([
      {
        url: 'https://bot.example.vn/webhooks/viber',
        event_types: [
          'delivered',
          'seen',
          'failed',
          'subscribed',
          'unsubscribed',
          'conversation_started',
        ],
        send_name: false,
        send_photo: false,
      },
    ]);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 0, status_message: 'ok' });

    const refused = await setup(['https://bot.example.vn/webhooks/viber'], {
      ...env,
      VIBER_AUTH_TOKEN: 'not-the-token',
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('status 2 (invalidAuthToken)');
    expect(refused.stderr).not.toContain('not-the-token');
  });

  it.each([
    [[], 'Usage: npm run setup:viber'],
    [['http://bot.example.vn/webhooks/viber'], 'https://'],
  ])('refuses %j before calling Viber', async (args, message) => {
    const before = api.calls.length;
    const result = await setup(args, {
      VIBER_AUTH_TOKEN: TOKEN,
      VIBER_BOT_NAME: 'Bot',
      VIBER_API_URL: api.url,
    });
    expect(result.code).toBe(64);
    expect(result.stderr).toContain(message);
    expect(api.calls.length).toBe(before);
  });
});
