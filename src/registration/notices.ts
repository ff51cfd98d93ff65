import type { BotAdapter } from 'botbuilder-core';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { findSession, sessionStart, type Catalogue } from '../content/courses.js';
import type { Clock } from '../core/clock.js';
import { retryDeadline } from '../core/delivery-policy.js';
import type { ChannelId, Locale, OutboundMessage } from '../core/events.js';
import type { OutboxReport } from '../core/outbox.js';
import { proactiveEligibility } from '../core/windows.js';
import type { Translate } from '../i18n.js';
import type { ContactsRepo } from '../store/contacts-repo.js';
import type { Database, RegistrationNoticeTable } from '../store/schema.js';
import { courseTitle, sessionPlace, sessionWhen } from './describe.js';
import type { Registration, RegistrationRepo } from './repo.js';

const HOUR = 3600_000;

/** What the bot tells a registrant without being asked. */
export type NoticeKind = RegistrationNoticeTable['kind'];

/** How long before a session's start each reminder is due. */
export const REMINDER_LEAD: Record<Exclude<NoticeKind, 'promoted'>, number> = {
  'day-before': 24 * HOUR,
  'hour-before': HOUR,
};

/** Where notices are queued: the outbox (one delivery policy for every message). */
export interface NoticeOutbox {
  /** Queues a notice to a person (an outbox row reporting to the notice `ref`). */
  enqueue(
    row: {
      channel: ChannelId;
      userId: string;
      message: OutboundMessage;
      deadline: number;
      ref: number;
    },
    db: Kysely<Database>,
  ): Promise<void>;
  /** Delivers the conversation's due messages now. */
  flush(conversation: string): Promise<void>;
}

/** A notice row as the admin / tests see it. */
export interface Notice {
  id: number;
  registrationId: number;
  kind: NoticeKind;
  status: RegistrationNoticeTable['status'];
  reason: string | null;
  billed: boolean;
  attempts: number;
}

/** The payload of the "my registrations" entry (a button on every notice). */
export const MY_REGISTRATIONS = 'MY_REGISTRATIONS';

/**
 * Reminders (the day before and one hour before a session) and waitlist promotions. Each is a
 * durable row per registration and kind, claimed before it is sent: a restart or a second
 * process never sends one twice. A notice goes out only where the platform lets the bot start
 * a conversation (proactiveEligibility); otherwise it is recorded as skipped with the reason.
 */
export class Notices {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      repo: RegistrationRepo;
      /** The live catalogue (the dashboard replaces it when an organiser changes a course). */
      catalogue: () => Catalogue;
      contacts: ContactsRepo;
      t: Translate;
      timezone: string;
      clock: Clock;
      log: Logger;
      outbox: NoticeOutbox;
    },
  ) {}

  /** Creates the reminder rows that are due now (idempotent: one row per registration and kind). */
  async createDueReminders(): Promise<number> {
    const { db } = this.deps;
    const now = this.deps.clock.now();
    let created = 0;
    for (const course of this.deps.catalogue().courses) {
      for (const session of course.sessions) {
        const start = sessionStart(session);
        if (start === undefined || start <= now || start - REMINDER_LEAD['day-before'] > now)
          continue;
        const rows = await db
          .selectFrom('registrations')
          .select(['id', 'confirmed_at'])
          .where('session_id', '=', session.id)
          .where('status', '=', 'confirmed')
          .execute();
        for (const row of rows) {
          for (const kind of ['day-before', 'hour-before'] as const) {
            const due = start - REMINDER_LEAD[kind];
            // Confirmed after the reminder was due: the confirmation already said when and where.
            if (now < due || Number(row.confirmed_at ?? 0) > due) continue;
            const late = kind === 'day-before' && now >= start - REMINDER_LEAD['hour-before'];
            const inserted = await db
              .insertInto('registration_notices')
              .values({
                registration_id: Number(row.id),
                kind,
                status: late ? 'skipped' : 'pending',
                reason: late ? 'late' : null,
                created_at: now,
                updated_at: now,
              })
              .onConflict((oc) => oc.columns(['registration_id', 'kind']).doNothing())
              .executeTakeFirst();
            if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) created += 1;
          }
        }
      }
    }
    return created;
  }

  /** Sends every pending notice (or the given registrations' ones) through the outbox. */
  async deliverPending(_adapter?: BotAdapter, registrationIds?: number[]): Promise<number> {
    let query = this.deps.db
      .selectFrom('registration_notices')
      .select('id')
      .where('status', '=', 'pending')
      .orderBy('id')
      .limit(500);
    if (registrationIds) {
      if (registrationIds.length === 0) return 0;
      query = query.where('registration_id', 'in', registrationIds);
    }
    const rows = await query.execute();
    let sent = 0;
    for (const row of rows) if ((await this.deliver(Number(row.id))) === 'sent') sent += 1;
    return sent;
  }

  /**
   * Checks one pending notice and queues it in the outbox (claiming it in the same transaction),
   * or records why it is not sent; then delivers it now. 'retry': the outbox retries it later.
   */
  async deliver(id: number): Promise<'sent' | 'skipped' | 'failed' | 'retry' | 'taken'> {
    const { db, repo, contacts } = this.deps;
    const now = this.deps.clock.now();
    const notice = await db
      .selectFrom('registration_notices')
      .selectAll()
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (!notice) return 'taken';
    const skip = async (reason: string) => {
      const done = await db
        .updateTable('registration_notices')
        .set((eb) => ({
          status: 'skipped',
          reason,
          attempts: eb('attempts', '+', 1),
          updated_at: now,
        }))
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(done.numUpdatedRows) > 0 ? 'skipped' : 'taken';
    };

    const registration = await repo.get(Number(notice.registration_id));
    if (!registration || registration.status !== 'confirmed') return skip('not-confirmed');
    const ref = findSession(this.deps.catalogue(), registration.sessionId);
    if (!ref) return skip('unknown-session');
    const start = sessionStart(ref.session);
    if (notice.kind !== 'promoted' && (start === undefined || start <= now))
      return skip('too-late');
    const contact = await contacts.get(registration.channel, registration.userId);
    const eligibility = proactiveEligibility(
      contact ?? { channel: registration.channel, lastInboundAt: null, followed: null },
      now,
    );
    if (!eligibility.eligible) return skip(eligibility.reason);
    const locale: Locale = contact?.locale ?? registration.locale;
    const message: OutboundMessage = {
      text: this.text(notice.kind, registration, locale),
      choices: [
        { title: this.deps.t(locale, 'registration:menu.mine'), payload: MY_REGISTRATIONS },
      ],
    };
    const queued = await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('registration_notices')
        .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), updated_at: now }))
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) return false;
      await this.deps.outbox.enqueue(
        {
          channel: registration.channel,
          userId: registration.userId,
          message,
          deadline: retryDeadline(registration.channel, contact?.lastInboundAt ?? null, now),
          ref: id,
        },
        trx,
      );
      return true;
    });
    if (!queued) return 'taken';
    await this.deps.outbox.flush(`${registration.channel}:${registration.userId}`);
    const after = await db
      .selectFrom('registration_notices')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirst();
    const status = after?.status;
    return status === 'sent' || status === 'skipped' || status === 'failed' ? status : 'retry';
  }

  /** Records the outbox's final word on a notice (sent, failed, skipped, unknown). */
  async onReport(report: OutboxReport): Promise<void> {
    if (report.ref === null) return;
    const status = report.status === 'unknown' ? 'failed' : report.status;
    const reason = report.status === 'unknown' ? 'unknown' : report.reason;
    await this.deps.db
      .updateTable('registration_notices')
      .set({ status, reason, billed: report.billed ? 1 : 0, updated_at: this.deps.clock.now() })
      .where('id', '=', report.ref)
      .execute();
    if (status !== 'sent')
      this.deps.log.warn(
        { noticeId: report.ref, channel: report.channel, reason },
        'notice not sent',
      );
  }

  private text(kind: NoticeKind, registration: Registration, locale: Locale): string {
    const { t, timezone, catalogue } = this.deps;
    const ref = findSession(catalogue(), registration.sessionId)!;
    return t(locale, `registration:notice.${kind}`, {
      title: courseTitle(ref.course, locale, t),
      when: sessionWhen(ref.session, locale, timezone, t),
      place: sessionPlace(ref.session, locale, t),
      code: registration.code,
    });
  }

  /** The notices of some registrations (admin, tests). */
  async forRegistrations(ids: number[]): Promise<Notice[]> {
    if (ids.length === 0) return [];
    const rows = await this.deps.db
      .selectFrom('registration_notices')
      .selectAll()
      .where('registration_id', 'in', ids)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      registrationId: Number(r.registration_id),
      kind: r.kind,
      status: r.status,
      reason: r.reason,
      billed: r.billed === 1,
      attempts: Number(r.attempts),
    }));
  }
}
