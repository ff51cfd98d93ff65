import type { Kysely } from 'kysely';
import type { ChannelId } from '../core/events.js';
import type { Database } from './schema.js';

/** Longest question text kept. */
const MAX_TEXT = 300;

/** A question the bot could not answer, as the admin API shows it. */
export interface UnansweredQuestion {
  id: number;
  text: string;
  channel: string;
  contactId: number | null;
  outcome: 'none' | 'suggested';
  askedAt: number;
}

/**
 * Masks what could identify someone in a question: e-mail addresses and phone-like digit runs
 * (9 or more digits, spaces, dots or dashes allowed in between).
 */
export function maskPersonalData(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu, '[email]')
    .replace(/\+?\d(?:[\s.-]?\d){8,}/g, '[số]')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Questions without an answer, kept so organisers can add answers to content/faq.json. */
export class QuestionsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Keeps a question (masked and cut to 300 characters). */
  async recordUnanswered(question: {
    text: string;
    channel: ChannelId;
    contactId: number | null;
    outcome: 'none' | 'suggested';
    at: number;
  }): Promise<void> {
    const text = [...maskPersonalData(question.text)].slice(0, MAX_TEXT).join('');
    if (!text) return;
    await this.db
      .insertInto('unanswered_questions')
      .values({
        text,
        channel: question.channel,
        contact_id: question.contactId,
        outcome: question.outcome,
        asked_at: question.at,
      })
      .execute();
  }

  /** One page of unanswered questions, newest first, and how many there are in all. */
  async listUnanswered(
    limit: number,
    offset: number,
  ): Promise<{ total: number; items: UnansweredQuestion[] }> {
    const rows = await this.db
      .selectFrom('unanswered_questions')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    const count = await this.db
      .selectFrom('unanswered_questions')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return {
      total: Number(count.n),
      items: rows.map((row) => ({
        id: Number(row.id),
        text: row.text,
        channel: row.channel,
        contactId: row.contact_id === null ? null : Number(row.contact_id),
        outcome: row.outcome,
        askedAt: Number(row.asked_at),
      })),
    };
  }
}
