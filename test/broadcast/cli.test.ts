import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../scripts/broadcast-cli.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { seedContacts } from '../helpers/contacts.js';
import { FakeChannel } from '../helpers/fake-channel.js';
import { TOKEN } from './helpers.js';

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('npm run broadcast (CLI against a running server)', () => {
  let t: TestApp;
  let zalo: FakeChannel;
  let url: string;
  let ticker: NodeJS.Timeout;
  beforeEach(async () => {
    zalo = new FakeChannel('zalo');
    t = await startTestApp({
      channels: [zalo],
      env: { ADMIN_TOKEN: TOKEN, BROADCAST_QUIET_HOURS: 'off' },
    });
    await seedContacts(
      t.services.store,
      [
        { channel: 'zalo', userId: 'a' },
        { channel: 'zalo', userId: 'b', locale: 'en' },
        { channel: 'zalo', userId: 'c', lastInboundAt: Date.now() - 8 * 24 * 3600_000 },
      ],
      Date.now(),
    );
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    ticker = setInterval(() => void t.services.broadcasts.engine.tick(), 20);
  });
  afterEach(async () => {
    clearInterval(ticker);
    await t.close();
  });

  const run = async (args: string[], confirm?: (q: string) => Promise<boolean>) => {
    const out = sink();
    const err = sink();
    const code = await runCli([...args, '--url', url], {
      out: out.stream,
      err: err.stream,
      env: { ADMIN_TOKEN: TOKEN },
      pollMs: 20,
      ...(confirm ? { confirm } : {}),
    });
    return { code, out: out.text(), err: err.text() };
  };

  it('shows the plan, sends with --yes and follows it until done', async () => {
    const r = await run(['--vi', 'Lễ khai mạc', '--en', 'Opening', '--channels', 'zalo', '--yes']);
    expect(r.err).not.toContain('Error');
    expect(r.out).toContain('zalo            2       0             1  (past-7-days 1)');
    expect(r.out).toContain('Eligible: 2 (0 billed); not eligible: 1; in the segment: 3.');
    expect(r.out).toContain(
      'Broadcast #1 is done: sent 2, failed 0, skipped 1, unknown 0, pending 0 of 3.',
    );
    expect(r.code).toBe(0);
    expect(zalo.sent.map((s) => [s.userId, s.message.text])).toEqual([
      ['a', 'Lễ khai mạc'],
      ['b', 'Opening'],
    ]);
  });

  it('sends nothing when the organiser answers no', async () => {
    let asked = '';
    const r = await run(['--vi', 'Thử'], async (q) => {
      asked = q;
      return false;
    });
    expect(asked).toBe('Send to 2 people (0 billed)? [y/N] ');
    expect(r.out).toContain('Not sent.');
    expect(r.code).toBe(1);
    const list = await run(['list']);
    expect(list.out).toContain('#1  cancelled');
    expect(zalo.sent).toHaveLength(0);
  });

  it('reports the server refusal and a bad token clearly', async () => {
    const bad = await run(['--vi', 'x', '--channels', 'sms', '--yes']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      '400: segment.channels.0: must be one of messenger, viber, zalo, simulator.\n',
    );
    const out = sink();
    const err = sink();
    const code = await runCli(['list', '--url', url, '--token', 'wrong-token-0123456789'], {
      out: out.stream,
      err: err.stream,
      env: {},
    });
    expect(code).toBe(2);
    expect(err.text()).toBe('401: The admin token is not valid.\n');
  });
});
