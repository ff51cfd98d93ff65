/**
 * Registration throughput on SQLite and PostgreSQL: parallel registrations into one session
 * (every one takes the session's row lock), the race for a last seat, and whole registration
 * dialogs through the simulator. Run: npm run bench:registration (PostgreSQL from TEST_DATABASE_URL).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { ManualClock } from '../src/core/clock.js';
import { createLogger } from '../src/logger.js';
import { createServices, ROOT } from '../src/services.js';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BEFORE_WEEK = Date.parse('2020-09-25T10:00:00+07:00');

function content(capacity: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llw-bench-'));
  fs.cpSync(path.join(ROOT, 'content'), dir, { recursive: true });
  const session = (id: string, cap: number) => ({
    id,
    schedule: {
      type: 'scheduled',
      start: '2020-10-02T08:00:00+07:00',
      end: '2020-10-02T10:00:00+07:00',
    },
    place: { type: 'online', url: 'https://lms.hoctap-nghean.vn/b' },
    capacity: cap,
  });
  fs.writeFileSync(
    path.join(dir, 'courses.json'),
    JSON.stringify({
      courses: [
        {
          id: 'big',
          kind: 'online-course',
          title: { vi: 'Lớn', en: 'Big' },
          audiences: ['worker'],
          sessions: [session('big-1', capacity)],
        },
        {
          id: 'one',
          kind: 'safe-internet',
          title: { vi: 'Một chỗ', en: 'One seat' },
          audiences: ['worker'],
          sessions: [session('one-1', 1)],
        },
      ],
    }),
  );
  return dir;
}

async function run(engine: 'sqlite' | 'postgres'): Promise<void> {
  const schema = `bench_${process.pid}_${engine}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'llw-bench-data-')),
    CONTENT_DIR: content(500),
    ...(engine === 'postgres' ? { DATABASE_URL } : {}),
  });
  const clock = new ManualClock(BEFORE_WEEK);
  const services = await createServices(config, {
    clock,
    logger: createLogger('silent'),
    ...(engine === 'postgres' ? { pgSchema: schema } : {}),
  });
  const app = await buildApp(config, services);
  await app.ready();
  const input = (i: number, sessionId: string) => ({
    courseId: sessionId.split('-')[0]!,
    sessionId,
    channel: 'simulator' as const,
    userId: `bench-${sessionId}-${i}`,
    fullName: 'Người Đo Tốc Độ',
    phone: `+849${String(i).padStart(8, '0')}`,
    province: 'ha-noi',
    audience: 'worker',
    locale: 'vi' as const,
    waitlist: true,
    consent: { purpose: 'course-registration', noticeVersion: 'bench', at: BEFORE_WEEK },
  });
  try {
    const n = 1000;
    const parallel = 20;
    let t0 = performance.now();
    for (let i = 0; i < n; i += parallel) {
      await Promise.all(
        Array.from({ length: parallel }, (_, j) =>
          services.registration.register(input(i + j, 'big-1')),
        ),
      );
    }
    let ms = performance.now() - t0;
    const seats = await services.registration.repo.seats('big-1');
    console.log(
      `${engine}: ${n} registrations into one session, ${parallel} at a time: ${ms.toFixed(0)} ms (${(n / (ms / 1000)).toFixed(0)}/s); taken ${seats.taken}, waitlist ${seats.waitlist}`,
    );

    t0 = performance.now();
    const race = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        services.registration.register({ ...input(i, 'one-1'), waitlist: false }),
      ),
    );
    ms = performance.now() - t0;
    console.log(
      `${engine}: 100 parallel for the last seat: ${race.filter((r) => r.kind === 'confirmed').length} confirmed, ${race.filter((r) => r.kind === 'full').length} full, ${ms.toFixed(0)} ms`,
    );

    const dialogs = 50;
    t0 = performance.now();
    for (let i = 0; i < dialogs; i += 1) {
      const userId = `dialog-${i}`;
      const send = (body: Record<string, string>) =>
        app.inject({
          method: 'POST',
          url: '/simulator/api/messages',
          payload: { userId, ...body },
        });
      await send({ payload: 'REGISTER:big-1' });
      for (const text of [
        'Trần Văn Đo',
        `0988${String(i).padStart(6, '0')}`,
        'Hà Nội',
        'đồng ý',
        'có',
      ])
        await send({ text });
    }
    ms = performance.now() - t0;
    console.log(
      `${engine}: ${dialogs} whole registration dialogs (6 turns each): ${ms.toFixed(0)} ms, ${(ms / (dialogs * 6)).toFixed(2)} ms per turn`,
    );
  } finally {
    await app.close();
    await services.close();
    if (engine === 'postgres') {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  }
}

await run('sqlite');
await run('postgres');
