import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe('retention of nominations and quiz attempts', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it('erases them, with the nomination consent, once the retention after the edition ran out', async () => {
    const during = Date.parse('2020-10-03T10:00:00+07:00');
    const clock = new ManualClock(during);
    t = await startTestApp({ clock });
    const { nominations, quiz } = t.services;
    await nominations.create({
      channel: 'zalo',
      userId: 'z1',
      nomineeName: 'Lê Văn Tâm',
      commune: 'Xã Nghi Lộc',
      province: 'nghe-an',
      story: 'Ông Tâm tự học sửa máy tính qua video hướng dẫn.',
      contact: '+84912345678',
      locale: 'vi',
      noticeVersion: 'v1',
      consentAt: during,
    });
    const round = quiz.openRound(during)!;
    await quiz.start(
      round,
      { channel: 'zalo', userId: 'z1', locale: 'vi', province: 'hue' },
      during,
    );

    // Inside the retention: nothing goes.
    clock.set(Date.parse('2020-12-01T00:00:00+07:00'));
    expect(await t.services.registration.purgeExpired()).toMatchObject({
      nominations: 0,
      quizAttempts: 0,
    });
    // 90 days after the edition's end (7 October 2020): both go, and the consent with them.
    clock.set(Date.parse('2021-01-10T00:00:00+07:00'));
    expect(await t.services.registration.purgeExpired()).toMatchObject({
      nominations: 1,
      quizAttempts: 1,
    });
    const db = t.services.store.db;
    expect(await db.selectFrom('nominations').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('quiz_attempts').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('consents').selectAll().execute()).toEqual([]);
  });
});
