import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { dropSchema, tempDir } from '../helpers/app.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from '../helpers/env.js';
import {
  post,
  startPlatform,
  type Outgoing,
  type Platform,
  type PlatformId,
} from '../helpers/platforms.js';
import { startServer, type ServerProcess } from '../helpers/process.js';

// Each person asks three things in a row; each answer is recognised by words only it holds.
const ASKED = [
  { text: 'xin chào', answer: 'Xin chào anh/chị' },
  { text: 'chủ đề năm nay là gì', answer: 'Chủ đề của Tuần lễ' },
  { text: 'kinh phí lấy từ đâu', answer: 'kinh phí' },
] as const;
const PEOPLE = 5;

/** The questions a person's messages answered, in the order the platform received them. */
function answered(received: Outgoing[]): number[] {
  return received.flatMap((m) => {
    const k = ASKED.findIndex((a) => m.text.includes(a.answer));
    return k === -1 ? [] : [k];
  });
}

// Two real server processes (`npm start`) on one PostgreSQL schema and one Redis key prefix,
// with all three platforms on. Every webhook reaches both processes at once, as a platform's
// retry after a slow ack lands on the other process behind a load balancer; each person's next
// message goes out as soon as the previous one was acknowledged, often to the other process.
describe('two server processes on one PostgreSQL + Redis', () => {
  const schema = uniqueName('scale');
  const platforms: Platform[] = [];
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.end();
    for (const id of ['messenger', 'viber', 'zalo'] as PlatformId[])
      platforms.push(await startPlatform(id));
    const env: Record<string, string> = Object.assign({}, ...platforms.map((p) => p.env), {
      DATABASE_URL: `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: uniqueName('scale'),
    });
    // One process first: it creates the schema; the second starts on a migrated database.
    servers.push(await startServer({ ...env, DATA_DIR: tempDir() }));
    servers.push(await startServer({ ...env, DATA_DIR: tempDir() }));
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) {
      if (s.child.exitCode === null) s.child.kill('SIGTERM');
      await s.exited;
    }
    for (const p of platforms) await p.close();
    await dropSchema(schema);
  });

  it(
    'runs every turn once, keeps each conversation in order, and refreshes the Zalo token once',
    { timeout: 180_000 },
    async () => {
      const zalo = platforms.find((p) => p.id === 'zalo')!;
      // The token runs out just as traffic starts: both processes meet -216 on their first sends.
      zalo.tokens!.expire();
      const refreshesBefore = zalo.tokens!.refreshes();

      const converse = async (platform: Platform, person: number) => {
        const userId = `${platform.id}-scale-${person}`;
        for (const [k, asked] of ASKED.entries()) {
          const hook = platform.text(userId, asked.text, Date.now());
          // Alternate which process the first copy reaches; the retry goes to the other.
          const order = (person + k) % 2 === 0 ? servers : [...servers].reverse();
          const statuses = await Promise.all(order.map((s) => post(s.url, hook)));
          expect(statuses, `${userId} message ${k}`).toEqual([200, 200]);
        }
      };
      await Promise.all(
        platforms.flatMap((platform) =>
          Array.from({ length: PEOPLE }, (_, person) => converse(platform, person)),
        ),
      );

      for (const platform of platforms)
        for (let person = 0; person < PEOPLE; person += 1) {
          const userId = `${platform.id}-scale-${person}`;
          const mine = () => platform.sent().filter((m) => m.userId === userId);
          await vi.waitFor(() => expect(answered(mine()).length).toBeGreaterThanOrEqual(3), {
            timeout: 60_000,
            interval: 250,
          });
        }
      // Late duplicates would arrive after the answers: give them time to show.
      await new Promise((r) => setTimeout(r, 1500));
      for (const platform of platforms)
        for (let person = 0; person < PEOPLE; person += 1) {
          const userId = `${platform.id}-scale-${person}`;
          const mine = platform.sent().filter((m) => m.userId === userId);
          // Once each, in the order asked: no turn ran twice, none overtook the one before.
          expect(answered(mine), userId).toEqual([0, 1, 2]);
        }
      expect(zalo.tokens!.refreshes() - refreshesBefore).toBe(1);
      expect(zalo.tokens!.reusedRefreshTokens()).toBe(0);
      for (const s of servers) expect(s.output()).not.toMatch(/"level":(50|60)/);
    },
  );
});
