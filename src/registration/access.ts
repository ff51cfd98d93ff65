import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

/** An announcement opt-in or opt-out, as the audit log recorded it. */
export interface SubscriptionChange {
  at: number;
  optedIn: boolean;
  topics: string[];
}

/** What the other features keep about a contact (right of access: "my data" shows all of it). */
export interface OtherPersonalData {
  /** Announcement opt-in history, oldest first. */
  subscriptionChanges: SubscriptionChange[];
  /** Announcements sent to the person. */
  announcementsSent: number;
  /** Questions the bot could not answer, newest first (masked text). */
  questions: Array<{ text: string; at: number }>;
}

/** Reads the announcement history, deliveries and unanswered questions of one contact. */
export async function otherPersonalData(
  db: Kysely<Database>,
  contactId: number,
): Promise<OtherPersonalData> {
  const changes = await db
    .selectFrom('audit_log')
    .select(['at', 'action', 'detail'])
    .where('actor', '=', `contact:${contactId}`)
    .where('action', 'in', ['subscription.opt_in', 'subscription.opt_out'])
    .orderBy('id')
    .execute();
  const sent = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('contact_id', '=', contactId)
    .where('status', '=', 'sent')
    .executeTakeFirstOrThrow();
  const questions = await db
    .selectFrom('unanswered_questions')
    .select(['text', 'asked_at'])
    .where('contact_id', '=', contactId)
    .orderBy('id', 'desc')
    .execute();
  return {
    subscriptionChanges: changes.map((c) => ({
      at: Number(c.at),
      optedIn: c.action === 'subscription.opt_in',
      topics: topicsOf(c.detail),
    })),
    announcementsSent: Number(sent.n),
    questions: questions.map((q) => ({ text: q.text, at: Number(q.asked_at) })),
  };
}

function topicsOf(detail: string | null): string[] {
  try {
    const parsed = JSON.parse(detail ?? '{}') as { topics?: unknown };
    return Array.isArray(parsed.topics)
      ? parsed.topics.filter((t): t is string => typeof t === 'string')
      : [];
  } catch {
    return [];
  }
}
