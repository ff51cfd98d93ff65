import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ManualClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/logger.js';
import type { RegisterInput } from '../../src/registration/repo.js';
import { createServices } from '../../src/services.js';
import { BACKENDS, dropSchema, startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { uniqueName } from '../helpers/env.js';
import {
  all,
  BEFORE_WEEK,
  contentDir,
  last,
  registerUpTo,
  say,
  SMALL_CATALOGUE,
  tap,
} from './helpers.js';

function input(
  i: number,
  overrides: Partial<RegisterInput> = {},
): Omit<RegisterInput, 'capacity' | 'now'> {
  return {
    courseId: 'solo',
    sessionId: 'solo-0210',
    channel: 'simulator',
    userId: `racer-${i}`,
    fullName: `Người Thứ ${String.fromCharCode(65 + i)}`,
    phone: `+8491200${String(i).padStart(4, '0')}`,
    province: 'nghe-an',
    audience: 'parent',
    locale: 'vi',
    waitlist: false,
    consent: { purpose: 'course-registration', noticeVersion: 'test', at: BEFORE_WEEK },
    ...overrides,
  };
}

describe.each(BACKENDS)('registration rules on $name', (backend) => {
  let t: TestApp;
  const clock = new ManualClock(BEFORE_WEEK);
  beforeEach(async () => {
    clock.set(BEFORE_WEEK);
    t = await startTestApp({ backend, clock, env: { CONTENT_DIR: contentDir() } });
  });
  afterEach(async () => {
    await t.close();
  });

  it('gives the last seat to exactly one of many parallel registrations', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => t.services.registration.register(input(i))),
    );
    expect(results.filter((r) => r.kind === 'confirmed')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'full')).toHaveLength(11);
    expect(await t.services.registration.repo.seats('solo-0210')).toEqual({
      taken: 1,
      waitlist: 0,
    });
  });

  it('queues parallel waitlisters in distinct positions', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.services.registration.register(input(i, { waitlist: true })),
      ),
    );
    expect(results.filter((r) => r.kind === 'confirmed')).toHaveLength(1);
    const positions = results.flatMap((r) => (r.kind === 'waitlisted' ? [r.position] : []));
    expect(positions.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('registers a phone once per session even when the same person taps twice at once', async () => {
    const same = input(1, { sessionId: 'pair-0310', courseId: 'pair' });
    const results = await Promise.all([
      t.services.registration.register(same),
      t.services.registration.register({ ...same, userId: 'other-account' }),
      t.services.registration.register(same),
    ]);
    expect(results.map((r) => r.kind).sort()).toEqual(['confirmed', 'duplicate', 'duplicate']);
    const rows = await t.services.store.db.selectFrom('registrations').selectAll().execute();
    expect(rows).toHaveLength(1);
    // Another session with the same phone is fine.
    expect((await t.services.registration.register(input(1))).kind).toBe('confirmed');
  });

  it('two people confirming the last seat at once in the chat: one gets it, the other is offered the waitlist', async () => {
    await Promise.all([
      registerUpTo(t, 'chat-a', 'solo-0210', { phone: '0911111111' }, 'summary'),
      registerUpTo(t, 'chat-b', 'solo-0210', { phone: '0922222222' }, 'summary'),
    ]);
    const [a, b] = await Promise.all([say(t.app, 'chat-a', 'có'), say(t.app, 'chat-b', 'có')]);
    const texts = [last(a).text, last(b).text];
    expect(texts.filter((x) => x.includes('Đăng ký thành công'))).toHaveLength(1);
    expect(
      texts.filter((x) => x.includes('chỗ cuối cùng vừa có người đăng ký trước')),
    ).toHaveLength(1);
    const loser = texts[0]!.includes('Đăng ký thành công') ? 'chat-b' : 'chat-a';
    expect(last(await say(t.app, loser, 'có')).text).toContain(
      'Anh/chị đã vào danh sách chờ (vị trí 1)',
    );
  });

  it('cancelling frees the seat, promotes the first on the waitlist and tells them at once', async () => {
    await registerUpTo(t, 'seat-holder', 'solo-0210', { phone: '0911000010' });
    for (const [user, phone] of [
      ['waiter-1', '0911000011'],
      ['waiter-2', '0911000012'],
    ] as const) {
      await tap(t.app, user, 'REGISTER:solo-0210');
      await say(t.app, user, 'có');
      for (const text of ['Đỗ Văn Chờ', phone, 'Hà Tĩnh', '1', 'đồng ý', 'có'])
        await say(t.app, user, text);
    }
    expect(await t.services.registration.repo.seats('solo-0210')).toEqual({
      taken: 1,
      waitlist: 2,
    });
    const code = (await t.services.registration.repo.listByUser('simulator', 'seat-holder'))[0]!
      .code;
    await tap(t.app, 'seat-holder', `REG_CANCEL:${code}`);
    expect(last(await say(t.app, 'seat-holder', 'có')).text).toContain(`Đã hủy đăng ký ${code}`);

    const told = t.services.simulator!.take('waiter-1');
    expect(all(told)).toContain(
      'Tin vui: đã có chỗ cho anh/chị ở “Internet an toàn, hiệu quả cho phụ huynh”',
    );
    expect(t.services.simulator!.take('waiter-2')).toEqual([]);
    const [w1] = await t.services.registration.repo.listByUser('simulator', 'waiter-1');
    const [w2] = await t.services.registration.repo.listByUser('simulator', 'waiter-2');
    expect(w1).toMatchObject({ status: 'confirmed', confirmedAt: BEFORE_WEEK });
    expect(w2!.status).toBe('waitlisted');
    expect(await t.services.registration.repo.waitlistPosition(w2!)).toBe(1);
    const notices = await t.services.registration.notices.forRegistrations([w1!.id]);
    expect(notices).toEqual([expect.objectContaining({ kind: 'promoted', status: 'sent' })]);
    expect(last(await say(t.app, 'waiter-2', 'đăng ký của tôi')).text).toContain(
      'Danh sách chờ (vị trí 1)',
    );
    // A second cancel of the same code changes nothing.
    expect(last(await tap(t.app, 'seat-holder', `REG_CANCEL:${code}`)).text).toContain(
      'không tìm thấy',
    );
  });
});

describe.each(BACKENDS)('a registration survives a restart on $name', (backend) => {
  it('is still there, listed and cancellable after the services are closed and reopened', async () => {
    const config = testConfig({ CONTENT_DIR: contentDir() }, backend);
    const pgSchema = config.databaseUrl ? uniqueName('restart') : undefined;
    const clock = new ManualClock(BEFORE_WEEK);
    const open = async () => {
      const services = await createServices(config, {
        clock,
        logger: createLogger('silent'),
        keyPrefix: uniqueName('llwrestart'),
        ...(pgSchema ? { pgSchema } : {}),
      });
      const app = await buildApp(config, services);
      await app.ready();
      return {
        app,
        services,
        config,
        close: async () => {
          await app.close();
          await services.close();
        },
      } satisfies TestApp;
    };
    try {
      const first = await open();
      await registerUpTo(first, 'durable', 'pair-0310', {
        name: 'Vũ Thị Bền',
        phone: '0933444555',
      });
      await first.close();

      const second = await open();
      const mine = await say(second.app, 'durable', 'đăng ký của tôi');
      expect(last(mine).text).toContain('Kỹ năng số cho người lao động');
      const [r] = await second.services.registration.repo.listByUser('simulator', 'durable');
      expect(r).toMatchObject({
        fullName: 'Vũ Thị Bền',
        phone: '+84933444555',
        status: 'confirmed',
      });
      await tap(second.app, 'durable', `REG_CANCEL:${r!.code}`);
      expect(last(await say(second.app, 'durable', 'có')).text).toContain('Đã hủy');
      await second.close();
    } finally {
      if (pgSchema) await dropSchema(pgSchema);
    }
  });
});

describe('capacity raised in the catalogue', () => {
  it('promotes waitlisted people on the next scheduler tick', async () => {
    const dir = contentDir();
    const clock = new ManualClock(BEFORE_WEEK);
    const t = await startTestApp({ clock, env: { CONTENT_DIR: dir } });
    try {
      const svc = t.services.registration;
      await svc.register(input(1));
      await svc.register(input(2, { waitlist: true }));
      await svc.register(input(3, { waitlist: true }));
      const grown = structuredClone(SMALL_CATALOGUE);
      grown.courses[0]!.sessions[0]!.capacity = 2;
      fs.writeFileSync(path.join(dir, 'courses.json'), JSON.stringify(grown));
      // Content is read at start-up: the organiser restarts after editing.
      await t.services.close();
      const again = await startTestApp({ clock, config: t.config });
      try {
        const report = await again.services.registrationScheduler.tick();
        expect(report.promoted).toBe(1);
        expect(await again.services.registration.repo.seats('solo-0210')).toEqual({
          taken: 2,
          waitlist: 1,
        });
        expect(
          (await again.services.registration.repo.listByUser('simulator', 'racer-2'))[0]!.status,
        ).toBe('confirmed');
      } finally {
        await again.close();
      }
    } finally {
      await t.app.close();
    }
  });
});
