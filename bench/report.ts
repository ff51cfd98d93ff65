/**
 * The results report at the size of a province: 100,000 contacts, 20,000 registrations, 20
 * announcements to 5,000 people each, a week of messages in the daily counters and the inbox.
 * Measures the snapshot (one consistent read) and each export, on SQLite and PostgreSQL.
 * Run: npm run bench:report [-- --contacts 100000] (PostgreSQL from TEST_DATABASE_URL).
 */
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { ManualClock } from '../src/core/clock.js';
import { createLogger } from '../src/logger.js';
import { createServices } from '../src/services.js';
import type { Store } from '../src/store/db.js';
import { bumpDaily } from '../src/store/daily-counts-repo.js';
import { tempDir } from '../test/helpers/app.js';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CONTACTS = arg('contacts', 100_000);
const WEEK = Date.parse('2020-10-02T09:00:00+07:00');
const CHANNELS = ['zalo', 'messenger', 'viber'];
const PROVINCES = ['nghe-an', 'ha-noi', 'ha-tinh', 'cao-bang'];
const AUDIENCES = ['pupil', 'student', 'parent', 'public-servant', 'worker', 'citizen'];

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await insert(rows.slice(i, i + 500));
}

async function seed(store: Store): Promise<void> {
  const { db } = store;
  await insertChunks(
    Array.from({ length: CONTACTS }, (_, i) => ({
      channel: CHANNELS[i % 3]!,
      user_id: `u${i}`,
      first_seen_at: WEEK - (i % 20) * 86_400_000,
      last_inbound_at: WEEK + (i % 5) * 3_600_000,
      opted_in: i % 4 === 0 ? 1 : 0,
    })),
    (chunk) => db.insertInto('contacts').values(chunk).execute(),
  );
  await insertChunks(
    Array.from({ length: CONTACTS / 5 }, (_, i) => ({
      code: `B${i}`,
      course_id: i % 2 ? 'ky-nang-so-co-ban' : 'internet-an-toan-hs-ph',
      session_id: i % 2 ? 'ky-nang-so-co-ban-tu-hoc' : 'internet-an-toan-hs-ph-0210',
      channel: CHANNELS[i % 3]!,
      user_id: `u${i}`,
      province: PROVINCES[i % 4]!,
      audience: AUDIENCES[i % 6]!,
      locale: 'vi',
      status: 'confirmed' as const,
      created_at: WEEK,
    })),
    (chunk) => db.insertInto('registrations').values(chunk).execute(),
  );
  for (let b = 0; b < 20; b += 1) {
    const row = await db
      .insertInto('broadcasts')
      .values({
        status: 'done',
        message: '{"vi":"Thông báo"}',
        segment: '{}',
        schedule_at: WEEK,
        created_at: WEEK,
        updated_at: WEEK,
        started_at: WEEK,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertChunks(
      Array.from({ length: 5_000 }, (_, i) => ({
        broadcast_id: Number(row.id),
        contact_id: ((b * 5_000 + i) % CONTACTS) + 1,
        channel: CHANNELS[i % 3]!,
        user_id: `u${i}`,
        status: i % 10 === 0 ? 'failed' : 'sent',
        reason: i % 10 === 0 ? 'outside-window' : null,
        receipt: i % 3 === 0 ? 'read' : null,
        next_attempt_at: WEEK,
        created_at: WEEK,
        updated_at: WEEK,
        sent_at: WEEK,
      })),
      (chunk) => db.insertInto('deliveries').values(chunk).execute(),
    );
  }
  for (const day of ['2020-10-01', '2020-10-02', '2020-10-03', '2020-10-04', '2020-10-05'])
    await bumpDaily(db, day, {
      'inbound:zalo:message': 40_000,
      'faq:answered:theme': 900,
      'faq:unanswered:none': 120,
    });
}

async function run(name: string, env: Record<string, string>, pgSchema?: string): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: tempDir(),
    ADMIN_TOKEN: 'bench-token-0123456789',
    ...env,
  });
  const services = await createServices(config, {
    logger: createLogger('silent'),
    clock: new ManualClock(Date.parse('2020-10-08T10:00:00+07:00')),
    ...(pgSchema ? { pgSchema } : {}),
  });
  const app = await buildApp(config, services);
  const headers = { authorization: 'Bearer bench-token-0123456789' };
  try {
    await seed(services.store);
    const time = async (label: string, url: string, method: 'GET' | 'POST' = 'GET') => {
      const started = performance.now();
      const res = await app.inject({ method, url, headers });
      const ms = performance.now() - started;
      console.log(
        `${name.padEnd(10)} ${label.padEnd(10)} ${ms.toFixed(0).padStart(6)} ms  ${res.statusCode} ${(res.rawPayload.length / 1024).toFixed(0)} KB`,
      );
    };
    await time('snapshot', '/api/v1/report/snapshots', 'POST');
    await time('snapshot', '/api/v1/report/snapshots', 'POST');
    for (const format of ['docx', 'xlsx', 'html'])
      await time(format, `/api/v1/report?format=${format}`);
  } finally {
    await app.close();
    await services.close();
  }
}

console.log(`${CONTACTS} contacts, ${CONTACTS / 5} registrations, 20 x 5,000 deliveries`);
await run('sqlite', {});
const schema = `bench_report_${process.pid}`;
await run('postgres', { DATABASE_URL }, schema);
const client = new pg.Client({ connectionString: DATABASE_URL });
await client.connect();
await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
await client.end();
