import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { tempDir } from '../helpers/app.js';
import { seedContacts, type SeedContact } from '../helpers/contacts.js';
import { startFakePlatform } from '../helpers/fake-platform.js';
import { call, startServer, waitDone } from './processes.js';

const H = 3600_000;

describe('a server killed with SIGKILL in the middle of a broadcast', () => {
  it('resumes on restart: every eligible person gets it exactly once, apart from "unknown" ones', async () => {
    const dataDir = tempDir();
    const now = Date.now();
    const contacts: SeedContact[] = [
      ...Array.from({ length: 120 }, (_, i) => ({ channel: 'zalo' as const, userId: `z${i}` })),
      ...Array.from({ length: 60 }, (_, i) => ({ channel: 'messenger' as const, userId: `m${i}` })),
      // Not eligible: must receive nothing, before or after the crash.
      { channel: 'zalo', userId: 'z-old', lastInboundAt: now - 8 * 24 * H },
      { channel: 'messenger', userId: 'm-old', lastInboundAt: now - 30 * H },
      { channel: 'zalo', userId: 'z-no', optedIn: false },
    ];
    const seed = await openStore({ dataDir });
    await seedContacts(seed, contacts, now);
    await seed.close();

    const platform = await startFakePlatform();
    const env = {
      DATA_DIR: dataDir,
      FAKE_PLATFORM_URL: platform.url,
      BROADCAST_RATE_ZALO: '200',
      BROADCAST_RATE_MESSENGER: '200',
    };
    try {
      const first = await startServer(env);
      let killedAt = 0;
      // Answers slowly, and kills the server from inside the 60th request, before answering
      // it: that send (and those in flight with it) are in the database as `sending`.
      platform.answer = () => {
        if (platform.received.length === 60 && killedAt === 0) {
          killedAt = platform.received.length;
          first.child.kill('SIGKILL');
          return { delayMs: 60_000 };
        }
        return { delayMs: 5 };
      };
      const { id } = await call<{ id: number }>(first, 'POST', '/broadcasts', {
        message: { vi: 'Lễ khai mạc' },
        segment: {},
      });
      expect(await first.exited).toBeNull(); // killed by a signal
      expect(killedAt).toBe(60);

      platform.answer = () => undefined;
      const second = await startServer(env);
      try {
        const report = await waitDone(second, id);
        expect(report.status).toBe('done');
        const full = await call<{ counts: Record<string, number> }>(
          second,
          'GET',
          `/broadcasts/${id}`,
        );

        const store = await openStore({ dataDir });
        const rows = await store.db
          .selectFrom('deliveries')
          .select(['user_id', 'status'])
          .execute();
        await store.close();
        const got = new Map<string, number>();
        for (const r of platform.received) got.set(r.userId, (got.get(r.userId) ?? 0) + 1);

        const unknown = rows.filter((r) => r.status === 'unknown');
        const sent = rows.filter((r) => r.status === 'sent');
        expect(unknown.length).toBeGreaterThan(0);
        expect(sent.length + unknown.length).toBe(180);
        for (const r of sent) expect(got.get(r.user_id), r.user_id).toBe(1);
        for (const r of unknown) expect(got.get(r.user_id) ?? 0).toBeLessThanOrEqual(1);
        expect([...got.values()].filter((n) => n > 1)).toEqual([]);
        for (const old of ['z-old', 'm-old', 'z-no']) expect(got.has(old)).toBe(false);
        expect(full.counts).toMatchObject({
          total: 182,
          sent: sent.length,
          unknown: unknown.length,
          skipped: 2,
          pending: 0,
          sending: 0,
        });
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      await platform.close();
    }
  }, 60_000);
});
