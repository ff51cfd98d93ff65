import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { RedisCoordinator } from '../../src/coord/redis-coordinator.js';
import { InboxRepo } from '../../src/store/inbox-repo.js';
import { api, report, TOKEN } from '../broadcast/helpers.js';
import { BACKENDS, simulate, startTestApp, type TestApp } from '../helpers/app.js';
import {
  all,
  BEFORE_WEEK,
  contentDir,
  dumpAllTables,
  last,
  registerUpTo,
  say,
  tap,
} from './helpers.js';

const NAME = 'Trịnh Thị Xoá';
const PHONE = '0944556677';
const FOLDED_PHONE = '944556677';

describe.each(BACKENDS)('data rights on $name', (backend) => {
  let t: TestApp;
  const clock = new ManualClock(BEFORE_WEEK);
  beforeEach(async () => {
    clock.set(BEFORE_WEEK);
    t = await startTestApp({
      backend,
      clock,
      env: { CONTENT_DIR: contentDir(), ADMIN_TOKEN: TOKEN },
    });
  });
  afterEach(async () => {
    await t.close();
  });

  /** An unanswered question that names its author (masking catches phones, not names). */
  const QUESTION = `Tôi là ${NAME}, nhà văn hóa có chỗ gửi xe máy không?`;

  /** Sends an announcement to every subscriber now; returns the broadcast id. */
  async function announce(text: string): Promise<number> {
    const res = await api<{ id: number }>(t.app, 'POST', '/broadcasts', {
      message: { vi: text },
      segment: {},
    });
    expect(res.status).toBe(201);
    await t.services.broadcasts.engine.tick();
    return res.body.id;
  }

  /** Every key of this test's Redis prefix, with its string value. */
  async function redisDump(): Promise<string> {
    if (!(t.services.coord instanceof RedisCoordinator)) return '';
    const client = t.services.coord.client;
    const prefix = t.services.keys.botState('').replace(/state:$/, '');
    const keys = await client.keys(`${prefix}*`);
    const entries: string[] = [];
    for (const key of keys) {
      const type = await client.type(key);
      entries.push(`${key}=${type === 'string' ? await client.get(key) : type}`);
    }
    return entries.join('\n');
  }

  const dump = async () =>
    JSON.stringify(await dumpAllTables(t.services.store.db, t.services.store.dialect));
  const botStateKey = (user: string) => `simulator/conversations/${user}/`;
  // Dialog state is in the SQL store on every backend (it commits with the turn's outbox rows).
  const hasDialogState = async (user: string) => {
    const row = await t.services.store.db
      .selectFrom('bot_state')
      .select('key')
      .where('key', '=', botStateKey(user))
      .executeTakeFirst();
    return row !== undefined;
  };

  it('"dữ liệu của tôi" shows everything stored about the user', async () => {
    await registerUpTo(t, 'viewer', 'pair-0310', {
      name: NAME,
      phone: PHONE,
      province: 'Hải Dương',
    });
    await say(t.app, 'viewer', 'bật thông báo');
    await announce('Lễ khai mạc lúc 8 giờ');
    clock.set(BEFORE_WEEK + 3600_000);
    await tap(t.app, 'viewer', 'SUBSCRIBE:events');
    await say(t.app, 'viewer', QUESTION);
    const data = last(await say(t.app, 'viewer', 'dữ liệu của tôi'));
    expect(data.text).toContain('• Tài khoản: simulator');
    expect(data.text).toContain(
      `họ tên: ${NAME}; điện thoại: 0944 556 677; tỉnh/thành phố: Hải Phòng; đối tượng: Người lao động`,
    );
    expect(data.text).toContain(
      '• Đồng ý “đăng ký khóa học” (thông báo 2026-12-v2) lúc 10:00 ngày 25/09/2020',
    );
    // The announcement subscription, its history, what was sent and the kept question.
    expect(data.text).toContain('• Nhận thông báo: đang bật, chủ đề: sự kiện');
    expect(data.text).toContain(
      '• Bật nhận thông báo (tất cả các chủ đề) lúc 10:00 ngày 25/09/2020\n' +
        '• Bật nhận thông báo (sự kiện) lúc 11:00 ngày 25/09/2020',
    );
    expect(data.text).toContain('• Thông báo đã gửi cho anh/chị: 1');
    expect(data.text).toContain(
      `(1):\n  – “Tôi là ${NAME}, nhà văn hóa có chỗ gửi xe máy không?” lúc 11:00 ngày 25/09/2020`,
    );
    expect(data.choices?.map((c) => c.payload)).toEqual([
      'DELETE_MY_DATA',
      'WITHDRAW_CONSENT',
      'MENU',
    ]);
    // Asked in English, shown in English (the message's language, for this turn).
    expect(last(await say(t.app, 'viewer', 'my data')).text).toContain('The data I keep about you');

    await say(t.app, 'viewer', 'hủy nhận tin');
    const off = last(await say(t.app, 'viewer', 'dữ liệu của tôi')).text;
    expect(off).toContain('• Nhận thông báo: không');
    expect(off).toMatch(/• Tắt nhận thông báo lúc 11:00 ngày 25\/09\/2020\n/);
  });

  it('"my data" of someone who only chatted says there is no registration or subscription', async () => {
    const data = last(await say(t.app, 'newcomer', 'xem dữ liệu của tôi')).text;
    expect(data).toContain('• Nhận thông báo: không');
    expect(data).toContain('• Không có đăng ký nào.');
    expect(data).not.toContain('Thông báo đã gửi');
    expect(data).not.toContain('Câu hỏi tôi chưa trả lời được');
  });

  it('"xóa dữ liệu" asks first; "không" keeps everything', async () => {
    await registerUpTo(t, 'keeper', 'pair-0310', { name: NAME, phone: PHONE });
    expect(last(await say(t.app, 'keeper', 'xóa dữ liệu')).text).toContain(
      'Xóa toàn bộ dữ liệu của anh/chị? Mọi đăng ký (1)',
    );
    expect(last(await say(t.app, 'keeper', 'không')).text).toContain('Không xóa gì cả');
    expect(await dump()).toContain(NAME);
  });

  it('"xóa dữ liệu" + yes leaves no personal data in any table, keeps others’ data and anonymous counts', async () => {
    await registerUpTo(t, 'other', 'solo-0210', { name: 'Người Khác Hẳn', phone: '0900111222' });
    await tap(t.app, 'other', 'SUBSCRIBE:events');
    await say(t.app, 'other', 'Cho hỏi nhà văn hóa có wifi miễn phí không?');
    await registerUpTo(t, 'eraser', 'pair-0310', { name: NAME, phone: PHONE });
    // A waitlist entry and a notice row too.
    await tap(t.app, 'eraser', 'REGISTER:solo-0210');
    await say(t.app, 'eraser', 'có');
    for (const text of [NAME, PHONE, 'Nghệ An', '1', 'đồng ý', 'có'])
      await say(t.app, 'eraser', text);
    const [otherReg] = await t.services.registration.repo.listByUser('simulator', 'other');
    await t.services.registration.cancel(otherReg!, (await t.services.engine()).adapter); // eraser promoted, told
    // An announcement subscription (audit log), an announcement received (a delivery) and a
    // question kept for the organisers, whose platform event id is known to the test.
    await say(t.app, 'eraser', 'bật thông báo');
    const broadcast = await announce('Lễ khai mạc lúc 8 giờ');
    expect(all(t.services.simulator!.take('eraser'))).toContain('Lễ khai mạc');
    await simulate(t.app, { userId: 'eraser', text: QUESTION, messageId: 'mid.Q7xK2' });
    await say(t.app, 'eraser', 'English');
    const contactId = (await t.services.contacts.get('simulator', 'eraser'))!.id;
    const before = await dump();
    for (const needle of [NAME, FOLDED_PHONE, 'eraser', `contact:${contactId}`, 'mid.Q7xK2'])
      expect(before).toContain(needle);
    expect(await hasDialogState('eraser')).toBe(true);
    expect((await report(t.app, broadcast)).counts).toMatchObject({ total: 2, sent: 2 });

    await tap(t.app, 'eraser', 'DELETE_MY_DATA');
    const done = last(
      await simulate(t.app, { userId: 'eraser', text: 'yes', messageId: 'mid.Y3pL9' }),
    );
    expect(done.text).toContain('All your data has been deleted (2 registrations)');

    const after = await dump();
    for (const needle of [
      NAME,
      'Trinh Thi',
      FOLDED_PHONE,
      'eraser',
      `contact:${contactId}`,
      'mid.Q7xK2',
      'mid.Y3pL9',
    ])
      expect(after).not.toContain(needle);
    expect(await hasDialogState('eraser')).toBe(false);
    expect(await redisDump()).not.toContain('eraser');
    // No row refers to the erased contact by its id either.
    const db = t.services.store.db;
    expect(
      await db.selectFrom('deliveries').select('id').where('contact_id', '=', contactId).execute(),
    ).toEqual([]);
    expect(
      await db
        .selectFrom('unanswered_questions')
        .select('id')
        .where('contact_id', '=', contactId)
        .execute(),
    ).toEqual([]);
    // Someone else's data is untouched and the counters remain.
    expect(after).toContain('other');
    expect(after).toContain('wifi miễn phí');
    expect(await t.services.contacts.get('simulator', 'other')).toMatchObject({
      optedIn: true,
      topics: ['events'],
    });
    const stats = await t.services.registration.repo.stats();
    expect(stats).toMatchObject({
      'erasure:total': 1,
      'confirmed:total': 2,
      'waitlisted:total': 1,
      'promoted:total': 1,
    });
    // The broadcast report still counts the announcement the erased person got.
    const counts = await report(t.app, broadcast);
    expect(counts.counts).toMatchObject({ total: 2, sent: 2 });
    // The erasure itself is on record, without who asked (accountability).
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'detail'])
      .where('action', '=', 'data_subject.erased')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('data-subject');
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({
      channel: 'simulator',
      registrations: 2,
      consents: 2,
      subscriptionRecords: 1,
      deliveries: 1,
      questions: 1,
    });
    // The seat the erased person held went back: the session is free again.
    expect(await t.services.registration.repo.seats('solo-0210')).toEqual({
      taken: 0,
      waitlist: 0,
    });

    // The person can come back as a new contact.
    const back = await say(t.app, 'eraser', 'xin chào');
    expect(last(back).text).toContain('Xin chào');
  });

  it('after the edition’s retention, erases contacts who did not write since; a user still writing stays until RETENTION_DAYS_AFTER_EDITION after their last message', async () => {
    const DAY = 24 * 3600_000;
    // Edition ends 07/10/2020 (its last moment: 08/10/2020 00:00 +07:00); default retention 90.
    const PURGE = Date.parse('2020-10-08T00:00:00+07:00') + 90 * DAY;
    for (const user of ['gone-after-edition', 'still-here']) {
      await say(t.app, user, 'bật thông báo');
      await say(t.app, user, QUESTION);
    }
    await say(t.app, 'gone-after-edition', 'English');
    const broadcast = await announce('Lễ khai mạc lúc 8 giờ');
    const goneId = (await t.services.contacts.get('simulator', 'gone-after-edition'))!.id;
    const db = t.services.store.db;
    const mentions = async () =>
      (await dump()).includes('gone-after-edition') ||
      (await dump()).includes(`contact:${goneId}`) ||
      (await redisDump()).includes('gone-after-edition');
    expect(await mentions()).toBe(true);
    // A citizen who still chats after the edition is a current user.
    clock.set(PURGE - 10 * DAY);
    await say(t.app, 'still-here', 'xin chào');

    clock.set(PURGE - 60_000);
    expect((await t.services.registration.purgeExpired()).contacts).toBe(0);
    expect(await t.services.contacts.get('simulator', 'gone-after-edition')).toMatchObject({
      optedIn: true,
    });

    clock.set(PURGE);
    expect((await t.services.registration.purgeExpired()).contacts).toBe(1);
    expect(await mentions()).toBe(false);
    expect(await t.services.contacts.get('simulator', 'gone-after-edition')).toBeUndefined();
    const questions = await db.selectFrom('unanswered_questions').select('contact_id').execute();
    expect(questions).toHaveLength(1);
    expect(
      await db.selectFrom('deliveries').select('id').where('contact_id', '=', goneId).execute(),
    ).toEqual([]);
    // The broadcast report still counts the announcement, anonymously.
    expect((await report(t.app, broadcast)).counts).toMatchObject({ total: 2, sent: 2 });
    expect(await t.services.contacts.get('simulator', 'still-here')).toMatchObject({
      optedIn: true,
    });
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'detail'])
      .where('action', '=', 'retention.contacts_erased')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({
      contacts: 1,
      subscriptionRecords: 1,
      deliveries: 1,
      questions: 1,
    });
    expect((await t.services.registration.repo.stats())['purged:contacts']).toBe(1);

    // The current user goes RETENTION_DAYS_AFTER_EDITION after their last message.
    clock.set(PURGE + 80 * DAY - 60_000);
    expect((await t.services.registration.purgeExpired()).contacts).toBe(0);
    clock.set(PURGE + 80 * DAY);
    expect((await t.services.registration.purgeExpired()).contacts).toBe(1);
    expect(await t.services.contacts.get('simulator', 'still-here')).toBeUndefined();
    const left = await dump();
    expect(left).not.toContain('still-here');
    expect(left).not.toContain(NAME);
    // And the one who comes back afterwards is simply a new contact.
    expect(last(await say(t.app, 'gone-after-edition', 'xin chào')).text).toContain('Xin chào');
  });

  it('"rút lại đồng ý" cancels registrations, clears their personal fields and records the withdrawal', async () => {
    await registerUpTo(t, 'withdrawer', 'pair-0310', { name: NAME, phone: PHONE });
    expect(last(await say(t.app, 'withdrawer', 'rút lại đồng ý')).text).toContain(
      'Các đăng ký đang có (1) sẽ bị hủy',
    );
    expect(last(await say(t.app, 'withdrawer', 'có')).text).toContain('1 đăng ký đã được hủy');
    const history = await t.services.registration.consents.history('simulator', 'withdrawer');
    expect(history.map((h) => h.action)).toEqual(['given', 'withdrawn']);
    const [r] = await t.services.registration.repo.listByUser('simulator', 'withdrawer', {
      includeCancelled: true,
    });
    expect(r).toMatchObject({ status: 'cancelled', fullName: null, phone: null });
    expect(await dump()).not.toContain(NAME);
    expect(last(await say(t.app, 'withdrawer', 'withdraw consent')).text).toContain(
      'không có gì để rút lại',
    );
  });
});

describe('retention: registration data is purged after the edition', () => {
  let t: TestApp;
  const clock = new ManualClock(BEFORE_WEEK);
  const DAY = 24 * 3600_000;
  // Edition ends 07/10/2020; its last moment in Vietnam is 08/10/2020 00:00 +07:00.
  const EDITION_END = Date.parse('2020-10-08T00:00:00+07:00');

  beforeEach(async () => {
    clock.set(BEFORE_WEEK);
    t = await startTestApp({
      clock,
      env: { CONTENT_DIR: contentDir(), RETENTION_DAYS_AFTER_EDITION: '30' },
    });
  });
  afterEach(async () => {
    await t.close();
  });

  it('keeps data until RETENTION_DAYS_AFTER_EDITION days after the end date, then erases it', async () => {
    await registerUpTo(t, 'kept-a-while', 'pair-0310', { name: NAME, phone: PHONE });
    expect(t.services.registration.retentionEnd()).toBe(EDITION_END + 30 * DAY);

    clock.set(EDITION_END + 30 * DAY - 60_000);
    expect(await t.services.registration.purgeExpired()).toMatchObject({
      registrations: 0,
      consents: 0,
    });
    expect(JSON.stringify(await dumpAllTables(t.services.store.db, 'sqlite'))).toContain(NAME);

    clock.set(EDITION_END + 30 * DAY);
    expect(await t.services.registration.purgeExpired()).toMatchObject({
      registrations: 1,
      consents: 1,
    });
    const after = JSON.stringify(await dumpAllTables(t.services.store.db, 'sqlite'));
    expect(after).not.toContain(NAME);
    expect(after).not.toContain(FOLDED_PHONE);
    expect((await t.services.registration.repo.stats())['purged:registrations']).toBe(1);
  });

  it('never purges a registration made later than the edition before its own retention ran out', async () => {
    clock.set(EDITION_END + 60 * DAY);
    await t.services.registration.register({
      courseId: 'pair',
      sessionId: 'pair-0310',
      channel: 'simulator',
      userId: 'late-comer',
      fullName: NAME,
      phone: '+84944556677',
      province: 'ha-noi',
      audience: 'worker',
      locale: 'vi',
      waitlist: false,
      consent: { purpose: 'course-registration', noticeVersion: 'test', at: clock.now() },
    });
    // Anchored on the session's end (03/10/2020), which is long past: purged with the edition.
    expect((await t.services.registration.purgeExpired()).registrations).toBe(1);
  });

  it('forgets processed inbox rows (who wrote when) after the 48-hour retry window, never pending ones', async () => {
    const HOUR = 3600_000;
    await say(t.app, 'early-bird', 'xin chào');
    clock.set(BEFORE_WEEK + 47 * HOUR);
    await say(t.app, 'late-owl', 'xin chào');
    // An event recorded but not processed yet (a crash before its turn) stays whatever its age.
    await new InboxRepo(t.services.store.db).insertNew(
      [
        {
          kind: 'message',
          channel: 'simulator',
          userId: 'waiting',
          eventId: 'ev-waiting',
          timestamp: BEFORE_WEEK,
          text: 'hello',
        },
      ],
      BEFORE_WEEK,
    );
    clock.set(BEFORE_WEEK + 48 * HOUR + 1);
    expect((await t.services.registration.purgeExpired()).inboxEvents).toBe(1);
    const left = await t.services.store.db
      .selectFrom('inbox')
      .select(['conversation', 'status'])
      .orderBy('id')
      .execute();
    expect(left).toEqual([
      { conversation: 'simulator:late-owl', status: 'done' },
      { conversation: 'simulator:waiting', status: 'pending' },
    ]);
  });

  it('purges dialog state abandoned for 30 days (it can hold a half-typed registration)', async () => {
    await tap(t.app, 'abandoner', 'REGISTER:pair-0310');
    await say(t.app, 'abandoner', NAME);
    expect(JSON.stringify(await dumpAllTables(t.services.store.db, 'sqlite'))).toContain(NAME);
    clock.set(BEFORE_WEEK + 31 * DAY);
    expect((await t.services.registration.purgeExpired()).dialogStates).toBe(1);
    expect(JSON.stringify(await dumpAllTables(t.services.store.db, 'sqlite'))).not.toContain(NAME);
  });
});

describe('erasure on disk (SQLite)', () => {
  it('leaves no trace of the person in the database file once the log is checkpointed', async () => {
    const clock = new ManualClock(BEFORE_WEEK);
    const t = await startTestApp({ clock, env: { CONTENT_DIR: contentDir() } });
    try {
      await registerUpTo(t, 'on-disk', 'pair-0310', { name: NAME, phone: PHONE });
      await tap(t.app, 'on-disk', 'DELETE_MY_DATA');
      expect(last(await say(t.app, 'on-disk', 'có')).text).toContain('Đã xóa toàn bộ dữ liệu');
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(t.services.store.db);
      const file = fs.readFileSync(path.join(t.config.dataDir, 'bot.sqlite'));
      // Deleted rows are zeroed (secure_delete), not left in the pages' free space.
      for (const needle of [NAME, FOLDED_PHONE, 'on-disk'])
        expect(file.includes(Buffer.from(needle))).toBe(false);
    } finally {
      await t.close();
    }
  });
});
