import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Channel, SendOptions, SendResult } from '../../src/core/channel.js';
import type { ChannelId, OutboundMessage } from '../../src/core/events.js';
import { ROOT } from '../../src/services.js';
import type { Database } from '../../src/store/schema.js';
import { simulate, tempDir, type TestApp } from '../helpers/app.js';

/** 25/09/2020 10:00 in Vietnam: a week before the 2020 Week, every sample session still open. */
export const BEFORE_WEEK = Date.parse('2020-09-25T10:00:00+07:00');

/** A small catalogue for rule tests: one seat, two seats, and a self-paced course. */
export const SMALL_CATALOGUE = {
  note: 'test catalogue',
  courses: [
    {
      id: 'solo',
      kind: 'safe-internet',
      title: { vi: 'Internet an toàn, hiệu quả cho phụ huynh', en: 'Safe internet for parents' },
      audiences: ['parent', 'worker'],
      sessions: [
        {
          id: 'solo-0210',
          schedule: {
            type: 'scheduled',
            start: '2020-10-02T08:00:00+07:00',
            end: '2020-10-02T10:00:00+07:00',
          },
          place: {
            type: 'venue',
            address: { vi: 'Nhà văn hóa phường Bến Thủy', en: 'Ben Thuy hall' },
          },
          province: 'nghe-an',
          capacity: 1,
        },
      ],
    },
    {
      id: 'pair',
      kind: 'online-course',
      title: { vi: 'Kỹ năng số cho người lao động', en: 'Digital skills for workers' },
      audiences: ['worker'],
      sessions: [
        {
          id: 'pair-0310',
          schedule: {
            type: 'scheduled',
            start: '2020-10-03T19:30:00+07:00',
            end: '2020-10-03T21:00:00+07:00',
          },
          place: { type: 'online', url: 'https://lms.hoctap-nghean.vn/pair' },
          capacity: 2,
        },
      ],
    },
  ],
};

/** A content folder with the shipped content files and the given catalogue. */
export function contentDir(catalogue: unknown = SMALL_CATALOGUE): string {
  const dir = tempDir();
  fs.cpSync(path.join(ROOT, 'content'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'courses.json'), JSON.stringify(catalogue, null, 2));
  return dir;
}

/** One simulator reply as text with its buttons' payloads (what a person sees). */
export type Reply = { text: string; choices?: Array<{ title: string; payload: string }> };

/** Sends text as a user and returns the replies. */
export function say(app: FastifyInstance, userId: string, text: string): Promise<Reply[]> {
  return simulate(app, { userId, text });
}

/** Taps a button (payload) as a user and returns the replies. */
export function tap(app: FastifyInstance, userId: string, payload: string): Promise<Reply[]> {
  return simulate(app, { userId, payload });
}

/** All reply texts of a turn in one string. */
export function all(replies: Reply[]): string {
  return replies.map((r) => r.text).join('\n---\n');
}

/** The last reply of a turn. */
export function last(replies: Reply[]): Reply {
  const reply = replies[replies.length - 1];
  if (!reply) throw new Error('no reply');
  return reply;
}

/** Answers for a registration started on a given session. */
export interface Person {
  name?: string;
  phone?: string;
  province?: string;
  /** Typed when the course has several audiences. */
  audience?: string;
}

/**
 * Registers through the simulator, up to the summary's confirmation question; `confirm` answers
 * it too. Returns the replies of the last turn.
 */
export async function registerUpTo(
  t: TestApp,
  userId: string,
  sessionId: string,
  person: Person = {},
  stop: 'summary' | 'done' = 'done',
): Promise<Reply[]> {
  const steps: string[] = [
    person.name ?? 'Nguyễn Thị Ánh',
    person.phone ?? '0912345678',
    person.province ?? 'Nghệ An',
  ];
  let replies = await tap(t.app, userId, `REGISTER:${sessionId}`);
  if (!all(replies).includes('Họ và tên') && !all(replies).includes('full name')) return replies;
  for (const text of steps) replies = await say(t.app, userId, text);
  if (last(replies).choices?.some((c) => c.payload.startsWith('REG_AUD:')))
    replies = await say(t.app, userId, person.audience ?? '1');
  replies = await say(t.app, userId, 'đồng ý');
  if (stop === 'summary') return replies;
  return say(t.app, userId, 'có');
}

/** A fake platform channel that records what it was asked to send (or fails as told). */
export class FakeChannel implements Channel {
  readonly sent: Array<{ userId: string; message: OutboundMessage; mode: SendOptions['mode'] }> =
    [];
  /** Errors to throw on the next sends, in order. */
  readonly failures: Error[] = [];

  constructor(readonly id: ChannelId) {}

  registerRoutes(): void {}

  async send(userId: string, message: OutboundMessage, options: SendOptions): Promise<SendResult> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push({ userId, message, mode: options.mode });
    return { messageIds: [`m${this.sent.length}`] };
  }
}

/** Every table of the store, with all of its rows serialised (for "no personal data left"). */
export async function dumpAllTables(db: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
  const names =
    dialect === 'sqlite'
      ? (
          await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(
            db,
          )
        ).rows.map((r) => r.name)
      : (
          await sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)
        ).rows.map((r) => r.name);
  const dump: Record<string, string> = {};
  for (const name of names) {
    const rows = await sql`select * from ${sql.table(name)}`.execute(db);
    dump[name] = JSON.stringify(rows.rows);
  }
  return dump;
}
