import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { RecipientUnreachableError, TransportError } from '../../src/core/errors.js';
import type { ChannelId } from '../../src/core/events.js';
import { RegistrationScheduler } from '../../src/registration/scheduler.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { BEFORE_WEEK, contentDir, FakeChannel } from './helpers.js';

const H = 3600_000;
const START = Date.parse('2020-10-03T19:30:00+07:00'); // session pair-0310, capacity 2
const SOLO_START = Date.parse('2020-10-02T08:00:00+07:00'); // session solo-0210, capacity 1

describe('reminders the day before and one hour before, within platform windows', () => {
  let t: TestApp;
  let clock: ManualClock;
  let channels: Record<'messenger' | 'zalo' | 'viber', FakeChannel>;
  const dir = contentDir();

  /** Starts the app; `restart` reopens the same data folder. */
  const start = async (restart = false) => {
    t = await startTestApp({
      clock,
      ...(restart ? { config: t.config } : { env: { CONTENT_DIR: dir } }),
      channels: Object.values(channels),
    });
  };
  beforeEach(async () => {
    clock = new ManualClock(BEFORE_WEEK);
    channels = {
      messenger: new FakeChannel('messenger'),
      zalo: new FakeChannel('zalo'),
      viber: new FakeChannel('viber'),
    };
    await start();
  });
  afterEach(async () => {
    await t.close();
  });

  let phone = 0;
  async function registered(
    channel: ChannelId,
    userId: string,
    sessionId = 'pair-0310',
  ): Promise<number> {
    phone += 1;
    const result = await t.services.registration.register({
      courseId: sessionId.startsWith('pair') ? 'pair' : 'solo',
      sessionId,
      channel,
      userId,
      fullName: 'Người Nhận Nhắc',
      phone: `+8490${String(phone).padStart(7, '0')}`,
      province: 'ha-noi',
      audience: 'worker',
      locale: 'vi',
      waitlist: true,
      consent: { purpose: 'course-registration', noticeVersion: 'test', at: clock.now() },
    });
    if (result.kind !== 'confirmed' && result.kind !== 'waitlisted') throw new Error(result.kind);
    return result.registration.id;
  }
  /** The person wrote to the bot at `at` (opens the platform's window). */
  const interacted = (channel: ChannelId, userId: string, at: number, followed?: boolean) =>
    t.services.contacts.touch(channel, userId, at, {
      inboundAt: at,
      ...(followed === undefined ? {} : { followed }),
    });
  const notices = (id: number) => t.services.registration.notices.forRegistrations([id]);

  it('sends the day-before reminder inside Messenger’s 24 h window, once, even across restarts', async () => {
    await interacted('messenger', 'm1', BEFORE_WEEK);
    const id = await registered('messenger', 'm1');
    clock.set(START - 25 * H);
    expect((await t.services.registrationScheduler.tick()).remindersCreated).toBe(0);

    clock.set(START - 24 * H);
    await interacted('messenger', 'm1', START - 24 * H - 2 * H);
    const report = await t.services.registrationScheduler.tick();
    expect(report).toMatchObject({ remindersCreated: 1, sent: 1 });
    expect(channels.messenger.sent).toHaveLength(1);
    const [sent] = channels.messenger.sent;
    expect(sent!.mode).toBe('proactive');
    expect(sent!.userId).toBe('m1');
    expect(sent!.message.text).toContain(
      '⏰ Nhắc lịch: “Kỹ năng số cho người lao động” bắt đầu lúc 19:30 ngày 03/10/2020',
    );
    expect(sent!.message.choices?.map((c) => c.payload)).toEqual(['MY_REGISTRATIONS']);

    // Ticking again, or a second scheduler (another process), sends nothing more.
    await t.services.registrationScheduler.tick();
    await new RegistrationScheduler({
      service: t.services.registration,
      clock,
      log: t.services.log,
    }).tick();
    expect(channels.messenger.sent).toHaveLength(1);

    // Neither does a restart on the same data.
    await t.close();
    channels.messenger = new FakeChannel('messenger');
    await start(true);
    await t.services.registrationScheduler.tick();
    expect(channels.messenger.sent).toHaveLength(0);
    expect(await notices(id)).toEqual([
      expect.objectContaining({ kind: 'day-before', status: 'sent', attempts: 1 }),
    ]);
  });

  it('records reminders it may not send, with the platform rule as the reason', async () => {
    await interacted('messenger', 'm-old', BEFORE_WEEK);
    await interacted('zalo', 'z-old', BEFORE_WEEK, true);
    const mOld = await registered('messenger', 'm-old');
    const zOld = await registered('zalo', 'z-old');
    clock.set(START - 24 * H);
    await t.services.registrationScheduler.tick();
    expect(await notices(mOld)).toEqual([
      expect.objectContaining({
        kind: 'day-before',
        status: 'skipped',
        reason: 'outside-24h-window',
      }),
    ]);
    expect(await notices(zOld)).toEqual([
      expect.objectContaining({ kind: 'day-before', status: 'skipped', reason: 'past-7-days' }),
    ]);
    expect(channels.messenger.sent).toHaveLength(0);
    expect(channels.zalo.sent).toHaveLength(0);
  });

  it('sends on Zalo within 7 days (billed after 48 h) and not to the waitlisted', async () => {
    await interacted('zalo', 'z-free', START - 24 * H - 10 * H, true);
    await interacted('zalo', 'z-billed', START - 24 * H - 3 * 24 * H, true);
    await interacted('zalo', 'z-waiting', START - 24 * H - H, true);
    const free = await registered('zalo', 'z-free');
    const billed = await registered('zalo', 'z-billed');
    const waiting = await registered('zalo', 'z-waiting');
    clock.set(START - 24 * H);
    await t.services.registrationScheduler.tick();
    expect((await notices(free))[0]).toMatchObject({ status: 'sent', billed: false });
    expect((await notices(billed))[0]).toMatchObject({ status: 'sent', billed: true });
    expect(await notices(waiting)).toEqual([]);
    expect(channels.zalo.sent.map((s) => s.userId).sort()).toEqual(['z-billed', 'z-free']);
  });

  it('skips Viber users who unsubscribed and bills those outside the 24 h session', async () => {
    await interacted('viber', 'v-gone', BEFORE_WEEK, false);
    await interacted('viber', 'v-sub', BEFORE_WEEK, true);
    const gone = await registered('viber', 'v-gone');
    const sub = await registered('viber', 'v-sub');
    clock.set(START - 24 * H);
    await t.services.registrationScheduler.tick();
    expect((await notices(gone))[0]).toMatchObject({ status: 'skipped', reason: 'unsubscribed' });
    expect((await notices(sub))[0]).toMatchObject({ status: 'sent', billed: true });
    expect(channels.viber.sent.map((s) => s.userId)).toEqual(['v-sub']);
  });

  it('sends the hour-before reminder, records a missed day-before as late, and skips what was due before the registration', async () => {
    await interacted('zalo', 'z-early', START - 2 * H, true);
    await interacted('zalo', 'z-late', START - 2 * H, true);
    const early = await registered('zalo', 'z-early');
    clock.set(START - 5 * H);
    const late = await registered('zalo', 'z-late');
    // The server was down for the whole day-before window.
    clock.set(START - 30 * 60_000);
    await t.services.registrationScheduler.tick();
    expect(await notices(early)).toEqual([
      expect.objectContaining({ kind: 'day-before', status: 'skipped', reason: 'late' }),
      expect.objectContaining({ kind: 'hour-before', status: 'sent' }),
    ]);
    expect(await notices(late)).toEqual([
      expect.objectContaining({ kind: 'hour-before', status: 'sent' }),
    ]);
    expect(channels.zalo.sent.map((s) => s.message.text)).toEqual([
      expect.stringContaining('Còn khoảng 1 giờ nữa'),
      expect.stringContaining('Còn khoảng 1 giờ nữa'),
    ]);
    // After the start nothing more is created or sent.
    clock.set(START + H);
    expect(await t.services.registrationScheduler.tick()).toMatchObject({
      remindersCreated: 0,
      sent: 0,
    });
  });

  it('retries a transient send failure and gives up on a permanent one', async () => {
    await interacted('messenger', 'm-flaky', START - 25 * H);
    await interacted('messenger', 'm-blocked', START - 25 * H);
    const flaky = await registered('messenger', 'm-flaky');
    const blocked = await registered('messenger', 'm-blocked');
    channels.messenger.failures.push(
      new TransportError('socket hang up'),
      new RecipientUnreachableError('user blocked the page', 551),
    );
    clock.set(START - 24 * H);
    await t.services.registrationScheduler.tick();
    // The notice is queued once; the outbox retries the send with the one delivery policy.
    expect((await notices(flaky))[0]).toMatchObject({ status: 'sending', attempts: 1 });
    expect(await t.services.outboxRepo.forConversation('messenger:m-flaky')).toEqual([
      { status: 'pending', kind: 'notice' },
    ]);
    expect((await notices(blocked))[0]).toMatchObject({ status: 'failed', reason: 'unreachable' });
    expect(await t.services.contacts.get('messenger', 'm-blocked')).toMatchObject({
      followed: false,
    });
    clock.advance(60_000);
    await t.services.registrationScheduler.tick();
    await t.services.outbox.poll();
    await t.services.outbox.idle();
    expect((await notices(flaky))[0]).toMatchObject({ status: 'sent', reason: null, attempts: 1 });
    expect(channels.messenger.sent.map((s) => s.userId)).toEqual(['m-flaky']);
    // Nobody was told "something went wrong" by the turn-error handler.
    expect(channels.messenger.sent.every((s) => s.message.text.includes('Nhắc lịch'))).toBe(true);
  });

  it('tells a promoted Messenger user only inside the window; the notice stays recorded', async () => {
    await interacted('messenger', 'holder', BEFORE_WEEK);
    await interacted('messenger', 'waiter', BEFORE_WEEK - 48 * H);
    await registered('messenger', 'holder', 'solo-0210');
    const waiter = await registered('messenger', 'waiter', 'solo-0210');
    const [holder] = await t.services.registration.repo.listByUser('messenger', 'holder');
    await t.services.registration.cancel(holder!, (await t.services.engine()).adapter);
    expect(await notices(waiter)).toEqual([
      expect.objectContaining({
        kind: 'promoted',
        status: 'skipped',
        reason: 'outside-24h-window',
      }),
    ]);
    expect(channels.messenger.sent).toHaveLength(0);
  });
});

describe('the scheduler as services.start() runs it', () => {
  it('ticks when the services start, with the injected clock, and stops on close', async () => {
    const clock = new ManualClock(BEFORE_WEEK);
    const messenger = new FakeChannel('messenger');
    const t = await startTestApp({
      clock,
      env: { CONTENT_DIR: contentDir() },
      channels: [messenger],
    });
    try {
      await t.services.contacts.touch('messenger', 'm', SOLO_START - 25 * H, {
        inboundAt: SOLO_START - 25 * H,
      });
      await t.services.registration.register({
        courseId: 'solo',
        sessionId: 'solo-0210',
        channel: 'messenger',
        userId: 'm',
        fullName: 'Người Đúng Giờ',
        phone: '+84900000999',
        province: 'ha-noi',
        audience: 'parent',
        locale: 'vi',
        waitlist: false,
        consent: { purpose: 'course-registration', noticeVersion: 'test', at: BEFORE_WEEK },
      });
      clock.set(SOLO_START - 24 * H + 60_000);
      await t.services.start();
      await vi_waitFor(() => messenger.sent.length === 1);
      expect(messenger.sent[0]!.message.text).toContain('Nhắc lịch');
    } finally {
      await t.close();
    }
  });
});

/** Waits (bounded) until a condition holds; the scheduler runs on real timers. */
async function vi_waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error('condition not met in time');
}
