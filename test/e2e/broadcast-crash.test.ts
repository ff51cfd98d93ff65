import { describe, expect, it, vi } from 'vitest';
import type { BroadcastReport } from '../../src/broadcast/report.js';
import { openStore } from '../../src/store/db.js';
import { tempDir } from '../helpers/app.js';
import { seedContacts, type SeedContact } from '../helpers/contacts.js';
import { startPlatform, type Platform, type PlatformId } from '../helpers/platforms.js';
import { adminCall } from '../helpers/admin-api.js';
import { startServer, type ServerProcess } from '../helpers/process.js';

const TOKEN = 'e2e-crash-admin-token-0123456789';
const call = <T>(server: ServerProcess, method: 'GET' | 'POST', url: string, body?: unknown) =>
  adminCall<T>(server.url, TOKEN, method, url, body);
const H = 3600_000;
const DAY = 24 * H;
const MESSAGE = {
  vi: 'Lễ khai mạc Tuần lễ Học tập suốt đời diễn ra lúc 8 giờ ngày 01/10.',
  en: 'The opening ceremony of the Lifelong Learning Week is at 8:00 on 1 October.',
};
const IDS: PlatformId[] = ['messenger', 'viber', 'zalo'];
const range = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const key = (channel: string, userId: string) => `${channel}:${userId}`;

/** Opted-in people inside each platform's rules, in both languages; Zalo and Viber partly billed. */
const ELIGIBLE: SeedContact[] = [
  ...range(60, (i) => ({
    channel: 'messenger' as const,
    userId: `m-${i}`,
    locale: i % 3 === 0 ? ('en' as const) : ('vi' as const),
    lastInboundAt: Date.now() - (i % 10) * H,
  })),
  // 1,000 on Viber: four broadcast_message batches (300, 300, 300, 100), one a second.
  ...range(1000, (i) => ({
    channel: 'viber' as const,
    userId: `v-${i}`,
    locale: 'vi' as const,
    followed: true,
    lastInboundAt: Date.now() - (i % 2 === 0 ? 2 * H : 3 * DAY),
  })),
  ...range(80, (i) => ({
    channel: 'zalo' as const,
    userId: `z-${i}`,
    locale: i % 4 === 0 ? ('en' as const) : ('vi' as const),
    followed: true,
    lastInboundAt: Date.now() - (i % 5 === 0 ? 3 * DAY : H),
  })),
];

/** Opted in but outside the rules: a `skipped` row each, and nothing sent. */
const SKIPPED: SeedContact[] = [
  { channel: 'messenger', userId: 'm-late', lastInboundAt: Date.now() - 30 * H },
  { channel: 'zalo', userId: 'z-late', followed: true, lastInboundAt: Date.now() - 8 * DAY },
  { channel: 'viber', userId: 'v-gone', followed: false },
];

/** Never opted in: not even a row. */
const SILENT: SeedContact[] = [
  { channel: 'messenger', userId: 'm-silent', optedIn: false },
  { channel: 'zalo', userId: 'z-silent', followed: true, optedIn: false },
  { channel: 'viber', userId: 'v-silent', followed: true, optedIn: false },
];

/** Delivery rows by status, as `channel:userId` keys. */
async function rowsByStatus(dataDir: string): Promise<Map<string, Set<string>>> {
  const store = await openStore({ dataDir });
  try {
    const rows = await store.db
      .selectFrom('deliveries')
      .select(['channel', 'user_id', 'status'])
      .execute();
    const by = new Map<string, Set<string>>();
    for (const r of rows) {
      const set = by.get(r.status) ?? new Set<string>();
      set.add(key(r.channel, r.user_id));
      by.set(r.status, set);
    }
    return by;
  } finally {
    await store.close();
  }
}

// The real server (scripts/start.mjs, as `npm start` runs it) with the real Messenger, Viber and
// Zalo channels against local fake platform APIs; SIGKILLed while Messenger sends are in flight.
describe('a real server killed with SIGKILL in the middle of a broadcast', () => {
  it('resumes on restart: every eligible person gets it exactly once, apart from the "unknown" ones in flight at the kill', async () => {
    const dataDir = tempDir();
    const seed = await openStore({ dataDir });
    await seedContacts(seed, [...ELIGIBLE, ...SKIPPED, ...SILENT], Date.now());
    await seed.close();

    const platforms = {} as Record<PlatformId, Platform>;
    for (const id of IDS) platforms[id] = await startPlatform(id);
    const counts = () => Object.fromEntries(IDS.map((id) => [id, platforms[id].sent().length]));
    const env = {
      ...platforms.messenger.env,
      ...platforms.viber.env,
      ...platforms.zalo.env,
      DATA_DIR: dataDir,
      ADMIN_TOKEN: TOKEN,
      BROADCAST_QUIET_HOURS: 'off',
      // Slow enough that the kill lands mid-way on every channel.
      BROADCAST_RATE_MESSENGER: '10',
      BROADCAST_RATE_ZALO: '10',
      BROADCAST_RATE_VIBER: '1',
    };
    const servers: ServerProcess[] = [];
    try {
      const first = await startServer(env);
      servers.push(first);
      const { id, plan } = await call<{ id: number; plan: { eligible: number } }>(
        first,
        'POST',
        '/broadcasts',
        { message: MESSAGE, segment: {} },
      );
      expect(plan.eligible).toBe(ELIGIBLE.length);

      // A few Messenger sends complete, then the Graph API stops answering: those sent after
      // that are in flight (reached the platform, outcome unknown to the server) at the kill.
      await vi.waitFor(() => expect(platforms.messenger.sent().length).toBeGreaterThanOrEqual(5), {
        timeout: 20_000,
        interval: 5,
      });
      platforms.messenger.hold!();
      const heldFrom = platforms.messenger.sent().length;
      await vi.waitFor(
        () => {
          expect(platforms.messenger.sent().length - heldFrom).toBeGreaterThanOrEqual(3);
          expect(platforms.viber.sent().length).toBeGreaterThan(0);
          expect(platforms.zalo.sent().length).toBeGreaterThan(0);
        },
        { timeout: 20_000, interval: 5 },
      );
      first.child.kill('SIGKILL');
      expect(await first.exited).toBeNull(); // killed by the signal, not a clean exit

      // What the dead process left: rows `sending` were in flight; the rest is pending or done.
      const atKill = await rowsByStatus(dataDir);
      const inFlight = atKill.get('sending') ?? new Set<string>();
      const beforeRestart = counts();
      const held = platforms.messenger
        .sent()
        .slice(heldFrom)
        .map((m) => key('messenger', m.userId));
      // Mid-way on every channel: some sent, some still to send.
      for (const channel of IDS) {
        const total = ELIGIBLE.filter((c) => c.channel === channel).length;
        expect(beforeRestart[channel], channel).toBeGreaterThan(0);
        expect(beforeRestart[channel], channel).toBeLessThan(total);
      }
      expect(atKill.get('pending')?.size ?? 0).toBeGreaterThan(0);
      for (const k of held) expect(inFlight.has(k), k).toBe(true);

      platforms.messenger.release!();
      const second = await startServer(env);
      servers.push(second);
      await vi.waitFor(
        async () =>
          expect((await call<BroadcastReport>(second, 'GET', `/broadcasts/${id}`)).status).toBe(
            'done',
          ),
        { timeout: 60_000, interval: 100 },
      );
      const report = await call<BroadcastReport>(second, 'GET', `/broadcasts/${id}`);
      const after = await rowsByStatus(dataDir);
      const unknown = after.get('unknown') ?? new Set<string>();

      // The report adds up, and "unknown" is exactly what was in flight at the kill.
      const { total, sent, skipped, failed, pending, sending } = report.counts;
      expect(total).toBe(ELIGIBLE.length + SKIPPED.length);
      expect({ pending, sending, failed, skipped }).toEqual({
        pending: 0,
        sending: 0,
        failed: 0,
        skipped: SKIPPED.length,
      });
      expect(sent + report.counts.unknown + skipped + failed).toBe(total);
      expect(report.counts.unknown).toBe(unknown.size);
      expect([...unknown].sort()).toEqual([...inFlight].sort());
      expect(unknown.size).toBeGreaterThanOrEqual(held.length);
      for (const channel of IDS) {
        const c = report.byChannel[channel]!;
        expect(c.sent + c.unknown + c.skipped + c.failed, channel).toBe(c.total);
      }

      // What the platforms received, over both runs.
      const received = new Map<string, number>();
      const afterRestart = new Set<string>();
      const localeOf = new Map(ELIGIBLE.map((c) => [key(c.channel, c.userId), c.locale]));
      for (const channel of IDS)
        platforms[channel].sent().forEach((m, i) => {
          const k = key(channel, m.userId);
          received.set(k, (received.get(k) ?? 0) + 1);
          if (i >= beforeRestart[channel]!) afterRestart.add(k);
          // Each in their own language.
          expect(m.text, k).toBe(localeOf.get(k) === 'en' ? MESSAGE.en : MESSAGE.vi);
        });
      expect([...received].filter(([, n]) => n > 1)).toEqual([]);
      for (const c of ELIGIBLE) {
        const k = key(c.channel, c.userId);
        if (unknown.has(k)) {
          // Never sent again after the restart: at most the one send that was in flight.
          expect(afterRestart.has(k), k).toBe(false);
          expect(received.get(k) ?? 0, k).toBeLessThanOrEqual(1);
        } else expect(received.get(k), k).toBe(1);
      }
      for (const k of held) expect(received.get(k), k).toBe(1);
      for (const c of [...SKIPPED, ...SILENT])
        expect(received.has(key(c.channel, c.userId)), c.userId).toBe(false);
      expect(sent).toBe(ELIGIBLE.length - unknown.size);
    } finally {
      for (const s of servers) {
        if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
        await s.exited;
      }
      for (const p of Object.values(platforms)) await p.close();
    }
  }, 120_000);
});
