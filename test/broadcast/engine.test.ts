import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import {
  PlatformError,
  RateLimitedError,
  RecipientUnreachableError,
  TransportError,
} from '../../src/core/errors.js';
import { BACKENDS, startTestApp, type TestApp } from '../helpers/app.js';
import { seedContacts } from '../helpers/contacts.js';
import { FakeChannel } from '../helpers/fake-channel.js';
import { api, report, TOKEN } from './helpers.js';

const H = 3600_000;
// 10:00 in Hanoi: outside quiet hours.
const START = Date.UTC(2026, 9, 1, 3);

describe.each(BACKENDS)('broadcast engine ($name)', (backend) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function setup(options: { viberBatchError?: () => Error | undefined } = {}) {
    const clock = new ManualClock(START);
    const zalo = new FakeChannel('zalo');
    const messenger = new FakeChannel('messenger');
    const viber = new FakeChannel('viber', { batch: true, batchError: options.viberBatchError });
    t = await startTestApp({
      backend,
      clock,
      channels: [zalo, messenger, viber],
      env: { ADMIN_TOKEN: TOKEN },
      // The default allows 40 attempts (the platform window usually ends them first); 8 here.
      broadcastEngine: { retry: { maxAttempts: 8, backoffBaseMs: 2000, backoffMaxMs: 900_000 } },
    });
    return { t, clock, zalo, messenger, viber, tick: () => t!.services.broadcasts.engine.tick() };
  }

  async function create(app: TestApp, body: Record<string, unknown> = {}) {
    const res = await api<{ id: number }>(app.app, 'POST', '/broadcasts', {
      message: { vi: 'Lễ khai mạc lúc 8 giờ', en: 'Opening at 8' },
      segment: {},
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function rows(app: TestApp) {
    return app.services.store.db.selectFrom('deliveries').selectAll().orderBy('id').execute();
  }

  it('sends each eligible person once in their language, skips the rest with the reason', async () => {
    const { t, clock, zalo, messenger, viber, tick } = await setup();
    const now = clock.now();
    await seedContacts(
      t.services.store,
      [
        { channel: 'zalo', userId: 'z1', lastInboundAt: now - H },
        { channel: 'zalo', userId: 'z2', locale: 'en', lastInboundAt: now - H },
        { channel: 'zalo', userId: 'z3', lastInboundAt: now - 8 * 24 * H },
        { channel: 'zalo', userId: 'z4', optedIn: false },
        { channel: 'messenger', userId: 'm1', locale: 'en', lastInboundAt: now - H },
        { channel: 'messenger', userId: 'm2', lastInboundAt: now - 30 * H },
        { channel: 'viber', userId: 'v1', followed: true, lastInboundAt: now - H },
        { channel: 'viber', userId: 'v2', followed: true, lastInboundAt: now - 30 * H },
        { channel: 'viber', userId: 'v3', followed: false, optedIn: false },
      ],
      now,
    );
    const id = await create(t);
    await tick();
    await tick();

    expect(zalo.sent.map((s) => [s.userId, s.message.text])).toEqual([
      ['z1', 'Lễ khai mạc lúc 8 giờ'],
      ['z2', 'Opening at 8'],
    ]);
    expect(messenger.sent.map((s) => [s.userId, s.message.text])).toEqual([['m1', 'Opening at 8']]);
    expect(viber.batches).toEqual([
      { userIds: ['v1', 'v2'], message: { text: 'Lễ khai mạc lúc 8 giờ' } },
    ]);
    const r = await report(t.app, id);
    expect(r.status).toBe('done');
    expect(r.counts).toMatchObject({
      total: 7,
      sent: 5,
      skipped: 2,
      pending: 0,
      unknown: 0,
      billed: 1,
    });
    expect(r.byChannel.zalo?.reasons).toEqual({ 'past-7-days': 1 });
    expect(r.byChannel.messenger?.reasons).toEqual({ 'outside-24h-window': 1 });
    expect(r.plan?.byChannel.viber).toEqual({
      eligibleFree: 1,
      eligibleBilled: 1,
      notEligible: 1,
      reasons: { unsubscribed: 1 },
    });

    // Receipts: by message id (Zalo, Viber) and by watermark (Messenger). Viber's batch id is
    // shared by v1 and v2: v1's receipt is v1's alone.
    const z1 = zalo.sent[0]!.messageId;
    const batchId = viber.sent[0]!.messageId;
    expect(viber.sent.map((s) => s.messageId)).toEqual([batchId, batchId]);
    for (const listener of t.services.receiptListeners) {
      await listener({
        kind: 'receipt',
        channel: 'zalo',
        userId: 'z1',
        eventId: 'r1',
        timestamp: now,
        status: 'read',
        messageIds: [z1],
      });
      await listener({
        kind: 'receipt',
        channel: 'messenger',
        userId: 'm1',
        eventId: 'r2',
        timestamp: now,
        status: 'delivered',
        messageIds: [],
        watermark: now + 1,
      });
      await listener({
        kind: 'receipt',
        channel: 'viber',
        userId: 'v1',
        eventId: 'r3',
        timestamp: now,
        status: 'delivered',
        messageIds: [batchId],
      });
    }
    expect((await report(t.app, id)).counts).toMatchObject({ delivered: 3, read: 1 });
    expect((await report(t.app, id)).byChannel.viber).toMatchObject({ sent: 2, delivered: 1 });

    // A second tick sends nothing more.
    await tick();
    expect(zalo.sent).toHaveLength(2);
  });

  it('leaves the recipients alone when another process read the broadcast as due and started it first', async () => {
    const { t, clock, zalo, messenger, tick } = await setup();
    const now = clock.now();
    await seedContacts(
      t.services.store,
      [
        { channel: 'zalo', userId: 'z1', lastInboundAt: now - H },
        { channel: 'messenger', userId: 'm1', lastInboundAt: now - H },
      ],
      now,
    );
    const id = await create(t);
    // Two workers read the due broadcasts; the first takes the prepare lock, writes the
    // recipients, starts it and lets the lock go; then the second, with its stale read, gets the
    // lock. It used to take the failed start for a cancel and skip every recipient not sent yet.
    const engine = t.services.broadcasts.engine as unknown as {
      deps: { broadcasts: { due(now: number): Promise<unknown[]> } };
      startDue(now: number): Promise<void>;
    };
    const repo = engine.deps.broadcasts;
    const stale = await repo.due(now);
    expect(stale).toHaveLength(1);
    await engine.startDue(now);
    const due = repo.due.bind(repo);
    repo.due = async () => stale;
    try {
      await engine.startDue(now);
    } finally {
      repo.due = due;
    }
    expect((await rows(t)).map((r) => r.status)).toEqual(['pending', 'pending']);
    await tick();
    expect(zalo.sent.map((s) => s.userId)).toEqual(['z1']);
    expect(messenger.sent.map((s) => s.userId)).toEqual(['m1']);
    expect((await report(t.app, id)).counts).toMatchObject({ sent: 2, skipped: 0 });
  });

  it('backs off on a 429 (whole channel paused) and sends once the platform allows it', async () => {
    const { t, clock, zalo, tick } = await setup();
    await seedContacts(
      t.services.store,
      [
        { channel: 'zalo', userId: 'a' },
        { channel: 'zalo', userId: 'b' },
      ],
      clock.now(),
    );
    zalo.fail = (_user, call) =>
      call <= 2 ? new RateLimitedError('slow down', 30_000, -32) : undefined;
    await create(t, { segment: { channels: ['zalo'] } });
    await tick();
    expect(zalo.sent).toHaveLength(0);
    const waiting = await rows(t);
    expect(waiting.map((r) => [r.status, r.reason, r.attempts])).toEqual([
      ['pending', 'rate-limited', 1],
      ['pending', 'rate-limited', 1],
    ]);
    for (const r of waiting)
      expect(Number(r.next_attempt_at)).toBeGreaterThanOrEqual(START + 30_000);

    clock.advance(10_000);
    await tick();
    expect(zalo.calls).toBe(2);

    clock.advance(25_000);
    await tick();
    expect([...zalo.perUser()]).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });

  it('retries transient failures with a doubling backoff, then gives up as failed', async () => {
    const { t, clock, zalo, tick } = await setup();
    await seedContacts(t.services.store, [{ channel: 'zalo', userId: 'a' }], clock.now());
    zalo.fail = () => new TransportError('socket hang up');
    const id = await create(t);
    const waits: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      await tick();
      const [row] = await rows(t);
      if (row!.status !== 'pending') break;
      waits.push(Number(row!.next_attempt_at) - clock.now());
      clock.set(Number(row!.next_attempt_at));
    }
    expect(zalo.calls).toBe(8);
    expect(waits).toHaveLength(7);
    for (let i = 1; i < waits.length; i += 1) expect(waits[i]! / waits[i - 1]!).toBeCloseTo(2, 1);
    const r = await report(t.app, id);
    expect(r.counts).toMatchObject({ failed: 1, pending: 0 });
    expect(r.byChannel.zalo?.reasons).toEqual({ transport: 1 });
    expect(r.status).toBe('done');
  });

  it('marks someone who blocked the bot as unfollowed and opted out', async () => {
    const { t, clock, zalo, tick } = await setup();
    await seedContacts(
      t.services.store,
      [{ channel: 'zalo', userId: 'blocked', followed: true }],
      clock.now(),
    );
    zalo.fail = () => new RecipientUnreachableError('user blocked the OA', -213);
    await create(t);
    await tick();
    const [row] = await rows(t);
    expect([row!.status, row!.reason]).toEqual(['failed', 'unreachable']);
    const contact = await t.services.contacts.get('zalo', 'blocked');
    expect(contact).toMatchObject({ followed: false, optedIn: false });
    const plan = await api<{ plan: { byChannel: Record<string, { reasons: object }> } }>(
      t.app,
      'POST',
      '/broadcasts',
      { message: { vi: 'Lần 2' }, segment: {}, dryRun: true },
    );
    expect(plan.body.plan.byChannel.zalo?.reasons).toEqual({ unfollowed: 1 });
  });

  it('sends Viber batches of up to 300 people', async () => {
    const { t, clock, viber, tick } = await setup();
    await seedContacts(
      t.services.store,
      Array.from({ length: 650 }, (_, i) => ({
        channel: 'viber' as const,
        userId: `v${i}`,
        followed: true,
      })),
      clock.now(),
    );
    await create(t);
    await tick();
    expect(viber.batches.map((b) => b.userIds.length).sort((a, b) => b - a)).toEqual([
      300, 300, 50,
    ]);
    expect(new Set(viber.sent.map((s) => s.userId)).size).toBe(650);
  });

  it('falls back to one-by-one sends when the account cannot broadcast', async () => {
    const { t, clock, viber, tick } = await setup({
      viberBatchError: () =>
        new PlatformError('broadcast not enabled', { permanent: true, platformCode: 3 }),
    });
    await seedContacts(
      t.services.store,
      ['a', 'b', 'c'].map((userId) => ({ channel: 'viber' as const, userId, followed: true })),
      clock.now(),
    );
    const id = await create(t);
    await tick();
    expect(viber.batches).toHaveLength(0);
    expect([...viber.perUser()].sort()).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]);
    expect((await report(t.app, id)).counts).toMatchObject({ sent: 3, failed: 0 });
  });

  it('cancels mid-send: sends in flight finish, nobody else gets it', async () => {
    const { t, clock, zalo, tick } = await setup();
    await seedContacts(
      t.services.store,
      Array.from({ length: 30 }, (_, i) => ({ channel: 'zalo' as const, userId: `z${i}` })),
      clock.now(),
    );
    let open!: () => void;
    zalo.gate = new Promise((resolve) => (open = resolve));
    const inFlight = new Promise<void>((resolve) => {
      zalo.onCall = () => {
        if (zalo.calls === 10) resolve();
      };
    });
    const id = await create(t);
    const sending = tick();
    await inFlight;
    const cancelled = await api<{ status: string }>(t.app, 'POST', `/broadcasts/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    // The sends already on the wire when the cancel was answered: at least the 10 held at the
    // gate, and a round claimed just before the cancel may have reached the platform too.
    const inFlightAtCancel = zalo.calls;
    expect(inFlightAtCancel).toBeGreaterThanOrEqual(10);
    expect(inFlightAtCancel).toBeLessThan(30);
    open();
    await sending;
    await tick();
    const r = await report(t.app, id);
    expect(zalo.sent).toHaveLength(inFlightAtCancel);
    expect(r.status).toBe('cancelled');
    const rest = 30 - inFlightAtCancel;
    expect(r.counts).toMatchObject({
      total: 30,
      sent: inFlightAtCancel,
      skipped: rest,
      pending: 0,
      sending: 0,
    });
    expect(r.byChannel.zalo?.reasons).toEqual({ cancelled: rest });
    expect((await api(t.app, 'POST', `/broadcasts/${id}/cancel`)).status).toBe(200);
  });

  it('waits for the scheduled time and for the end of quiet hours', async () => {
    const { t, clock, zalo, tick } = await setup();
    // 20:30 in Hanoi; scheduled for 21:15, inside quiet hours (21:00-07:00).
    clock.set(Date.UTC(2026, 9, 1, 13, 30));
    await seedContacts(t.services.store, [{ channel: 'zalo', userId: 'z' }], clock.now());
    const res = await api<{ id: number; startsAt: string }>(t.app, 'POST', '/broadcasts', {
      message: { vi: 'Nhắc lịch' },
      segment: {},
      scheduleAt: '2026-10-01T21:15:00+07:00',
    });
    expect(res.body.startsAt).toBe('2026-10-02T00:00:00.000Z');
    await tick();
    clock.set(Date.UTC(2026, 9, 1, 14, 20)); // 21:20: due, but quiet
    await tick();
    expect(zalo.sent).toHaveLength(0);
    expect((await report(t.app, res.body.id)).status).toBe('scheduled');
    clock.set(Date.UTC(2026, 9, 2, 0, 1)); // 07:01
    await tick();
    expect(zalo.sent.map((s) => s.userId)).toEqual(['z']);
  });
});

describe.each(BACKENDS)('deliveries in flight when a process died ($name)', (backend) => {
  it('become unknown (never sent again): all at start-up on SQLite, after the lease on PostgreSQL', async () => {
    const clock = new ManualClock(START);
    const zalo = new FakeChannel('zalo');
    const t = await startTestApp({ backend, clock, channels: [zalo], env: { ADMIN_TOKEN: TOKEN } });
    try {
      await seedContacts(
        t.services.store,
        ['old', 'recent', 'waiting'].map((userId) => ({ channel: 'zalo' as const, userId })),
        clock.now(),
      );
      const res = await api<{ id: number }>(t.app, 'POST', '/broadcasts', {
        message: { vi: 'x' },
        segment: {},
        scheduleAt: new Date(START + 3600_000).toISOString(),
      });
      // Recipients as a crashed process leaves them: two claimed (one long ago), one not yet.
      clock.set(START + 3600_000);
      await t.services.broadcasts.engine.tick();
      zalo.sent.length = 0;
      const db = t.services.store.db;
      await db.deleteFrom('deliveries').execute();
      await db.updateTable('broadcasts').set({ status: 'sending' }).execute();
      const contacts = await db
        .selectFrom('contacts')
        .select(['id', 'user_id'])
        .orderBy('id')
        .execute();
      const at = {
        old: clock.now() - 10 * 60_000,
        recent: clock.now() - 1000,
        waiting: clock.now(),
      };
      await db
        .insertInto('deliveries')
        .values(
          contacts.map((c) => ({
            broadcast_id: res.body.id,
            contact_id: c.id,
            channel: 'zalo',
            user_id: c.user_id,
            status: c.user_id === 'waiting' ? 'pending' : 'sending',
            next_attempt_at: 0,
            created_at: 0,
            updated_at: at[c.user_id as keyof typeof at],
          })),
        )
        .execute();

      const { BroadcastService } = await import('../../src/broadcast/service.js');
      const restarted = new BroadcastService({
        ...t.services,
        config: t.services.config.broadcast,
        timezone: t.services.config.timezone,
      });
      await restarted.engine.tick();
      const rows = await db
        .selectFrom('deliveries')
        .select(['user_id', 'status'])
        .orderBy('user_id')
        .execute();
      expect(rows).toEqual([
        { user_id: 'old', status: 'unknown' },
        { user_id: 'recent', status: backend.db === 'sqlite' ? 'unknown' : 'sending' },
        { user_id: 'waiting', status: 'sent' },
      ]);
      expect(zalo.sent.map((s) => s.userId)).toEqual(['waiting']);
    } finally {
      await t.close();
    }
  });
});
