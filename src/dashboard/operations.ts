import type { Kysely } from 'kysely';
import type { Channel } from '../core/channel.js';
import type { ChannelError } from '../core/errors.js';
import type { ChannelId } from '../core/events.js';
import { proactiveEligibility, type IneligibleReason } from '../core/windows.js';
import type { Services } from '../services.js';
import type { Accounts, Actor } from './accounts.js';
import { dashboardDb, type DashboardDatabase } from './schema.js';

/** How answering a citizen's question ended. */
export type AnswerOutcome =
  | { ok: true }
  | { ok: false; reason: 'unknown-question' | 'no-contact' | 'already' | 'channel-off' }
  | { ok: false; reason: 'window'; window: IneligibleReason }
  | { ok: false; reason: 'send-failed'; code: string };

/** An unanswered question with what was done about it. */
export interface QuestionRow {
  id: number;
  text: string;
  channel: string;
  contactId: number | null;
  outcome: string;
  askedAt: number;
  resolution: string | null;
  resolvedBy: string | null;
}

/** Organiser operations shared by the admin API and the dashboard (each one audited). */
export class Operations {
  private readonly db: Kysely<DashboardDatabase>;

  constructor(
    private readonly services: Services,
    private readonly accounts: Accounts,
  ) {
    this.db = dashboardDb(services.store.db);
  }

  /** Unanswered questions, newest first, with their resolution; `open` hides resolved ones. */
  async questions(page: {
    limit: number;
    offset: number;
    open: boolean;
  }): Promise<{ total: number; items: QuestionRow[] }> {
    const base = this.db
      .selectFrom('unanswered_questions as q')
      .leftJoin('question_resolutions as r', 'r.question_id', 'q.id')
      .$if(page.open, (qb) => qb.where('r.action', 'is', null));
    const rows = await base
      .select([
        'q.id',
        'q.text',
        'q.channel',
        'q.contact_id',
        'q.outcome',
        'q.asked_at',
        'r.action',
        'r.actor',
      ])
      .orderBy('q.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    const count = await base
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return {
      total: Number(count.n),
      items: rows.map((r) => ({
        id: Number(r.id),
        text: r.text,
        channel: r.channel,
        contactId: r.contact_id === null ? null : Number(r.contact_id),
        outcome: r.outcome,
        askedAt: Number(r.asked_at),
        resolution: r.action ?? null,
        resolvedBy: r.actor ?? null,
      })),
    };
  }

  /** Whether the citizen who asked can be written to now (the platform's window). */
  async canAnswer(questionId: number): Promise<AnswerOutcome> {
    const target = await this.target(questionId);
    return target.ok ? { ok: true } : target;
  }

  /**
   * Sends the organiser's answer to the citizen who asked, once: the resolution row is the claim
   * (a second click finds it), and a failed send removes it so the answer can be tried again.
   */
  async answer(questionId: number, text: string, actor: Actor): Promise<AnswerOutcome> {
    const target = await this.target(questionId);
    if (!target.ok) return target;
    const now = this.services.clock.now();
    const claimed = await this.db
      .insertInto('question_resolutions')
      .values({ question_id: questionId, action: 'answered', actor: actor.name, at: now })
      .onConflict((oc) => oc.column('question_id').doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0)
      return { ok: false, reason: 'already' };
    try {
      await target.channel.send(target.userId, { text }, { mode: 'proactive' });
    } catch (error) {
      await this.db
        .deleteFrom('question_resolutions')
        .where('question_id', '=', questionId)
        .execute();
      const code = (error as ChannelError).code ?? 'error';
      this.services.log.warn({ code, channel: target.channel.id }, 'organiser answer not sent');
      return { ok: false, reason: 'send-failed', code: String(code) };
    }
    await this.accounts.audit(actor, 'question.answer', { question: questionId });
    return { ok: true };
  }

  /** Marks a question as handled (added to the FAQ, or dismissed); false if it already was. */
  async resolve(questionId: number, action: 'faq' | 'dismissed', actor: Actor): Promise<boolean> {
    const result = await this.db
      .insertInto('question_resolutions')
      .values({ question_id: questionId, action, actor: actor.name, at: this.services.clock.now() })
      .onConflict((oc) => oc.column('question_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** Marks (or unmarks) a registration as attended; false when there is no such registration. */
  async attendance(registrationId: number, attended: boolean, actor: Actor): Promise<boolean> {
    const registration = await this.services.registration.repo.get(registrationId);
    if (!registration) return false;
    if (attended)
      await this.db
        .insertInto('attendance')
        .values({
          registration_id: registrationId,
          marked_by: actor.name,
          marked_at: this.services.clock.now(),
        })
        .onConflict((oc) => oc.column('registration_id').doNothing())
        .execute();
    else
      await this.db
        .deleteFrom('attendance')
        .where('registration_id', '=', registrationId)
        .execute();
    await this.accounts.audit(actor, attended ? 'attendance.mark' : 'attendance.unmark', {
      registration: registration.code,
    });
    return true;
  }

  /** Which of these registrations were marked as attended. */
  async attended(ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('attendance')
      .select('registration_id')
      .where('registration_id', 'in', ids)
      .execute();
    return new Set(rows.map((r) => Number(r.registration_id)));
  }

  private async target(
    questionId: number,
  ): Promise<
    { ok: true; channel: Channel; userId: string } | Exclude<AnswerOutcome, { ok: true }>
  > {
    const question = await this.db
      .selectFrom('unanswered_questions')
      .select(['contact_id'])
      .where('id', '=', questionId)
      .executeTakeFirst();
    if (!question) return { ok: false, reason: 'unknown-question' };
    if (question.contact_id === null) return { ok: false, reason: 'no-contact' };
    const contact = await this.db
      .selectFrom('contacts')
      .select(['channel', 'user_id', 'last_inbound_at', 'followed'])
      .where('id', '=', question.contact_id)
      .executeTakeFirst();
    if (!contact) return { ok: false, reason: 'no-contact' };
    const channel = this.services.channels.get(contact.channel as ChannelId);
    if (!channel) return { ok: false, reason: 'channel-off' };
    const eligibility = proactiveEligibility(
      {
        channel: contact.channel as ChannelId,
        lastInboundAt: contact.last_inbound_at === null ? null : Number(contact.last_inbound_at),
        followed: contact.followed === null ? null : Number(contact.followed) === 1,
      },
      this.services.clock.now(),
    );
    if (!eligibility.eligible)
      return { ok: false, reason: 'window' as const, window: eligibility.reason };
    return { ok: true, channel, userId: contact.user_id };
  }
}
