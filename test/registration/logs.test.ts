import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ManualClock } from '../../src/core/clock.js';
import { TransportError } from '../../src/core/errors.js';
import { createLogger } from '../../src/logger.js';
import { createServices } from '../../src/services.js';
import { testConfig, type TestApp } from '../helpers/app.js';
import { uniqueName } from '../helpers/env.js';
import { BEFORE_WEEK, contentDir, FakeChannel, registerUpTo, say, tap } from './helpers.js';

describe('logs', () => {
  it('never contain names or phone numbers, even at trace level and on failures', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const clock = new ManualClock(BEFORE_WEEK);
    const messenger = new FakeChannel('messenger');
    const config = testConfig({ CONTENT_DIR: contentDir(), LOG_LEVEL: 'trace' });
    const services = await createServices(config, {
      clock,
      logger: createLogger('trace', sink),
      keyPrefix: uniqueName('llwlogs'),
      channels: [messenger],
    });
    const app = await buildApp(config, services);
    await app.ready();
    const t: TestApp = { app, services, config, close: async () => undefined };
    try {
      await registerUpTo(t, 'logged', 'solo-0210', {
        name: 'Bùi Thị Kín Đáo',
        phone: '0955123123',
      });
      await services.contacts.touch('messenger', 'm-log', BEFORE_WEEK, { inboundAt: BEFORE_WEEK });
      await services.registration.register({
        courseId: 'pair',
        sessionId: 'pair-0310',
        channel: 'messenger',
        userId: 'm-log',
        fullName: 'Bùi Thị Kín Đáo',
        phone: '+84955123124',
        province: 'ha-noi',
        audience: 'worker',
        locale: 'vi',
        waitlist: false,
        consent: { purpose: 'course-registration', noticeVersion: 'test', at: BEFORE_WEEK },
      });
      messenger.failures.push(new TransportError('boom'));
      await services.contacts.touch('messenger', 'm-log', Date.parse('2020-10-02T19:00:00+07:00'), {
        inboundAt: Date.parse('2020-10-02T19:00:00+07:00'),
      });
      clock.set(Date.parse('2020-10-02T19:30:00+07:00'));
      await services.registrationScheduler.tick();
      await tap(app, 'logged', 'DELETE_MY_DATA');
      await say(app, 'logged', 'có');
    } finally {
      await app.close();
      await services.close();
    }
    const log = lines.join('');
    expect(log).toContain('message not sent; will retry');
    for (const secret of ['Kín Đáo', 'Kin Dao', '955123123', '0955 123', '955123124'])
      expect(log).not.toContain(secret);
  });
});
