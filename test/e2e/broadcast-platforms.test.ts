import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Plan } from '../../src/broadcast/planner.js';
import type { BroadcastReport } from '../../src/broadcast/report.js';
import { ManualClock } from '../../src/core/clock.js';
import { ROOT } from '../../src/services.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  Person,
  post,
  startPlatform,
  texts,
  type Outgoing,
  type Platform,
  type PlatformId,
} from '../helpers/platforms.js';
import { BEFORE_WEEK } from '../registration/helpers.js';

const TOKEN = 'e2e-admin-token-0123456789';
const H = 3600_000;
const DAY = 24 * H;
const MESSAGE = {
  vi: 'Lễ khai mạc Tuần lễ Học tập suốt đời diễn ra lúc 8 giờ ngày 01/10.',
  en: 'The opening ceremony of the Lifelong Learning Week is at 8:00 on 1 October.',
};

/** What the organiser sees for these contacts, per channel (see the people below). */
const PLAN_BY_CHANNEL = {
  messenger: {
    eligibleFree: 2,
    eligibleBilled: 0,
    notEligible: 2,
    reasons: { 'outside-24h-window': 1, 'not-opted-in': 1 },
  },
  viber: { eligibleFree: 2, eligibleBilled: 1, notEligible: 1, reasons: { unsubscribed: 1 } },
  zalo: { eligibleFree: 2, eligibleBilled: 1, notEligible: 1, reasons: { 'past-7-days': 1 } },
};

/** One message per eligible recipient, in the recipient's language. */
const EXPECTED_SENDS = [
  `messenger:en-1:${MESSAGE.en}`,
  `messenger:vi-1:${MESSAGE.vi}`,
  `viber:en-1:${MESSAGE.en}`,
  `viber:old-1:${MESSAGE.vi}`,
  `viber:vi-1:${MESSAGE.vi}`,
  `zalo:en-1:${MESSAGE.en}`,
  `zalo:old-1:${MESSAGE.vi}`,
  `zalo:vi-1:${MESSAGE.vi}`,
];

// Contacts come only from signed webhooks of the three real channels, people opt in through
// the "Nhận thông báo" menu or by typing "bật thông báo", and the broadcast engine started by
// services.start() sends to the local fake platform APIs over real HTTP.
describe('broadcast to Messenger, Viber and Zalo end to end', () => {
  const clock = new ManualClock(BEFORE_WEEK);
  const platforms = {} as Record<PlatformId, Platform>;
  let t: TestApp;
  let base = '';
  const people = {} as Record<string, Person>;

  const person = (id: PlatformId, userId: string, language?: 'vi' | 'en') =>
    (people[`${id}:${userId}`] = new Person(
      platforms[id],
      userId,
      { base: () => base, idle: () => t.services.inbox.idle(), clock },
      language,
    ));

  async function call<T>(method: 'GET' | 'POST', url: string, body?: unknown) {
    const res = await fetch(`${base}/api/v1${url}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  const report = async (id: number) =>
    (await call<BroadcastReport>('GET', `/broadcasts/${id}`)).body;

  async function untilDone(id: number): Promise<BroadcastReport> {
    await vi.waitFor(async () => expect((await report(id)).status).toBe('done'), {
      timeout: 20_000,
      interval: 25,
    });
    return report(id);
  }

  /** How many messages each fake API had received: what came after is new. */
  const mark = () =>
    Object.fromEntries(Object.values(platforms).map((p) => [p.id, p.sent().length]));

  function since(before: Record<string, number>): Array<Outgoing & { channel: PlatformId }> {
    return Object.values(platforms).flatMap((p) =>
      p
        .sent()
        .slice(before[p.id])
        .map((m) => ({ ...m, channel: p.id })),
    );
  }

  const lines = (sent: Array<Outgoing & { channel: PlatformId }>) =>
    sent.map((m) => `${m.channel}:${m.userId}:${m.text}`).sort();

  beforeAll(async () => {
    for (const id of ['messenger', 'viber', 'zalo'] as const)
      platforms[id] = await startPlatform(id);
    t = await startTestApp({
      clock,
      env: {
        ...platforms.messenger.env,
        ...platforms.viber.env,
        ...platforms.zalo.env,
        ADMIN_TOKEN: TOKEN,
      },
      broadcastEngine: { pollMs: 20 },
    });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    await t.services.start();

    // Messenger: two opt in now (one in English), one opted in 25 hours ago, one never did.
    const mVi = person('messenger', 'vi-1');
    await mVi.type('xin chào');
    expect(texts(await mVi.tap('SUBSCRIBE'))).toContain('Anh/chị có muốn nhận thông báo');
    expect(texts(await mVi.tap('SUBSCRIBE:all'))).toContain('Đã bật thông báo');
    const mEn = person('messenger', 'en-1');
    await mEn.type('English');
    expect(texts(await mEn.type('subscribe'))).toContain('Announcements are on');
    await person('messenger', 'old-1').type('bật thông báo', 25 * H);
    await person('messenger', 'silent-1').type('xin chào');

    // Viber: the platform says each person's language; one unsubscribes from the bot later.
    expect(texts(await person('viber', 'vi-1', 'vi').type('bật thông báo'))).toContain(
      'Đã bật thông báo',
    );
    const vEn = person('viber', 'en-1', 'en');
    await vEn.type('hello');
    expect(texts(await vEn.tap('SUBSCRIBE'))).toContain('Would you like to receive announcements');
    expect(texts(await vEn.tap('SUBSCRIBE:all'))).toContain('Announcements are on');
    await person('viber', 'old-1', 'vi').type('bật thông báo', 30 * H);
    await person('viber', 'gone-1', 'vi').type('bật thông báo');
    clock.advance(1000);
    expect(await post(base, platforms.viber.unsubscribed!('gone-1', clock.now()))).toBe(200);
    await t.services.inbox.idle();

    // Zalo: the menu as numbered text (typed number), then the topic as a button.
    const zVi = person('zalo', 'vi-1');
    await zVi.type('xin chào');
    const menu = ((await t.services.welcome('vi')).choices ?? []).map((c) => c.payload);
    expect(texts(await zVi.type(String(menu.indexOf('SUBSCRIBE') + 1)))).toContain(
      'Anh/chị có muốn nhận thông báo',
    );
    expect(texts(await zVi.tap('SUBSCRIBE:all'))).toContain('Đã bật thông báo');
    const zEn = person('zalo', 'en-1');
    await zEn.type('English');
    expect(texts(await zEn.type('subscribe'))).toContain('Announcements are on');
    await person('zalo', 'old-1').type('bật thông báo', 3 * DAY);
    await person('zalo', 'gone-1').type('bật thông báo', 8 * DAY);
  });

  afterAll(async () => {
    await t?.close();
    for (const p of Object.values(platforms)) await p.close();
  });

  it('dry-runs the plan per channel, sends once per eligible person in their language, counts receipts', async () => {
    const before = mark();
    const dry = await call<{ id: number; status: string; plan: Plan }>('POST', '/broadcasts', {
      message: MESSAGE,
      segment: {},
      dryRun: true,
    });
    expect(dry.status).toBe(201);
    expect(dry.body.status).toBe('draft');
    expect(dry.body.plan).toMatchObject({
      total: 12,
      eligible: 8,
      billed: 2,
      notEligible: 4,
      byChannel: PLAN_BY_CHANNEL,
    });
    expect(since(before)).toEqual([]);
    expect((await report(dry.body.id)).counts.total).toBe(0);

    const queued = await call<{ status: string }>('POST', `/broadcasts/${dry.body.id}/send`);
    expect(queued).toMatchObject({ status: 200, body: { status: 'scheduled' } });
    const done = await untilDone(dry.body.id);
    // Rows only for people who opted in: Viber's "unsubscribed" also withdrew gone-1's opt-in.
    expect(done.counts).toMatchObject({
      total: 10,
      sent: 8,
      skipped: 2,
      failed: 0,
      unknown: 0,
      pending: 0,
      sending: 0,
      billed: 2,
      delivered: 0,
    });
    expect(done.byChannel.messenger).toMatchObject({
      sent: 2,
      skipped: 1,
      reasons: { 'outside-24h-window': 1 },
    });
    expect(done.byChannel.viber).toMatchObject({ total: 3, sent: 3, skipped: 0, billed: 1 });
    expect(done.byChannel.zalo).toMatchObject({
      sent: 3,
      skipped: 1,
      billed: 1,
      reasons: { 'past-7-days': 1 },
    });

    const sent = since(before);
    expect(lines(sent)).toEqual(EXPECTED_SENDS);
    // Messenger marks messages the bot starts; Viber gets one broadcast_message per language.
    expect(sent.filter((m) => m.channel === 'messenger').map((m) => m.mode)).toEqual([
      'proactive',
      'proactive',
    ]);
    const viberIds = new Set(sent.filter((m) => m.channel === 'viber').map((m) => m.messageId));
    expect(viberIds.size).toBe(2);

    // Each platform reports one delivery, as a signed webhook.
    for (const channel of ['messenger', 'viber', 'zalo'] as const) {
      const message = sent.find((m) => m.channel === channel && m.userId === 'vi-1')!;
      clock.advance(1000);
      const hook = platforms[channel].delivered('vi-1', message, clock.now());
      expect(await post(base, hook)).toBe(200);
    }
    await t.services.inbox.idle();
    const after = await report(dry.body.id);
    expect(after.counts.delivered).toBe(3);
    // Viber's vi-1 and old-1 share the broadcast_message token: only vi-1's receipt came.
    for (const channel of ['messenger', 'viber', 'zalo'] as const)
      expect(after.byChannel[channel]?.delivered, channel).toBe(1);
  });

  it('the CLI shows the plan, sends with --yes and follows it until done', async () => {
    const before = mark();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'scripts/broadcast.ts'),
        '--vi',
        MESSAGE.vi,
        '--en',
        MESSAGE.en,
        '--yes',
        '--url',
        base,
      ],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ADMIN_TOKEN: TOKEN } },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, err).toBe(0);

    expect(out).toMatch(/^messenger\s+2\s+0\s+2 {2}\(outside-24h-window 1, not-opted-in 1\)$/m);
    expect(out).toMatch(/^viber\s+2\s+1\s+1 {2}\(unsubscribed 1\)$/m);
    expect(out).toMatch(/^zalo\s+2\s+1\s+1 {2}\(past-7-days 1\)$/m);
    expect(out).toContain('Eligible: 8 (2 billed); not eligible: 4; in the segment: 12.');
    const id = /Broadcast #(\d+) queued\./.exec(out)?.[1];
    expect(id, out).toBeDefined();
    expect(out).toContain(
      `Broadcast #${id} is done: sent 8, failed 0, skipped 2, unknown 0, pending 0 of 10.`,
    );
    expect(lines(since(before))).toEqual(EXPECTED_SENDS);
  });

  it('a broadcast to the people registered for one session reaches only them', async () => {
    const register = async (who: Person, session: string, phone: string) => {
      await who.type(`REGISTER:${session}`);
      for (const answer of ['Trần Thị Học', phone, 'Huế', '3', 'đồng ý']) await who.type(answer);
      expect(texts(await who.type('có'))).toContain('Mã đăng ký của anh/chị');
    };
    // The same user id on every platform: only the channel tells these people apart.
    await register(people['messenger:vi-1']!, 'internet-an-toan-hs-ph-0210', '0988000001');
    await register(people['zalo:vi-1']!, 'internet-an-toan-hs-ph-0510', '0988000002');
    const vVi = people['viber:vi-1']!;
    await register(vVi, 'internet-an-toan-hs-ph-0210', '0988000003');
    await vVi.type('đăng ký của tôi');
    await vVi.type('1');
    expect(texts(await vVi.type('có'))).toContain('Đã hủy đăng ký');

    const plan = async (registered: object) => {
      const res = await call<{ plan: Plan }>('POST', '/broadcasts', {
        message: { vi: 'Nhắc lịch' },
        segment: { registered },
        dryRun: true,
      });
      expect(res.status).toBe(201);
      return res.body.plan;
    };
    const course = await plan({ course: 'internet-an-toan-hs-ph' });
    expect(course).toMatchObject({ total: 2, eligible: 2 });
    expect(Object.keys(course.byChannel).sort()).toEqual(['messenger', 'zalo']);

    const before = mark();
    const res = await call<{ id: number; plan: Plan }>('POST', '/broadcasts', {
      message: { vi: 'Buổi tập huấn ngày 02/10 bắt đầu lúc 8 giờ.', en: 'Training at 8:00.' },
      segment: { registered: { session: 'internet-an-toan-hs-ph-0210' } },
    });
    expect(res.status).toBe(201);
    expect(res.body.plan).toMatchObject({ total: 1, eligible: 1 });
    expect((await untilDone(res.body.id)).counts).toMatchObject({ total: 1, sent: 1 });
    expect(lines(since(before))).toEqual([
      'messenger:vi-1:Buổi tập huấn ngày 02/10 bắt đầu lúc 8 giờ.',
    ]);
  });
});
