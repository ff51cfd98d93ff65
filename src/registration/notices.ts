import type { BotAdapter } from 'botbuilder-core';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { findSession, sessionStart, type Catalogue } from '../content/courses.js';
import { messageWithChoices, referenceFor } from '../core/adapter.js';
import type { Clock } from '../core/clock.js';
import { ChannelError } from '../core/errors.js';
import type { Locale } from '../core/events.js';
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

/** A transient send failure is tried again on the next ticks, up to this many attempts. */
const MAX_ATTEMPTS = 3;

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
      catalogue: Catalogue;
      contacts: ContactsRepo;
      t: Translate;
      timezone: string;
      clock: Clock;
      log: Logger;
    },
  ) {}

  /** Creates the reminder rows that are due now (idempotent: one row per registration and kind). */
  async createDueReminders(): Promise<number> {
    const { db, catalogue } = this.deps;
    const now = this.deps.clock.now();
    let created = 0;
    for (const course of catalogue.courses) {
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

  /** Sends every pending notice (or the given registrations' ones) through the adapter. */
  async deliverPending(adapter: BotAdapter, registrationIds?: number[]): Promise<number> {
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
    for (const row of rows) if ((await this.deliver(Number(row.id), adapter)) === 'sent') sent += 1;
    return sent;
  }

  /** Claims one pending notice and sends it, or records why it was not sent. */
  async deliver(
    id: number,
    adapter: BotAdapter,
  ): Promise<'sent' | 'skipped' | 'failed' | 'retry' | 'taken'> {
    const { db, repo, contacts } = this.deps;
    const now = this.deps.clock.now();
    const claimed = await db
      .updateTable('registration_notices')
      .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), updated_at: now }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
    if (!claimed) return 'taken';
    const finish = async (
      status: 'sent' | 'skipped' | 'failed' | 'pending',
      reason: string | null,
      billed = false,
    ) => {
      await db
        .updateTable('registration_notices')
        .set({ status, reason, billed: billed ? 1 : 0, updated_at: this.deps.clock.now() })
        .where('id', '=', id)
        .execute();
    };

    const registration = await repo.get(Number(claimed.registration_id));
    if (!registration || registration.status !== 'confirmed') {
      await finish('skipped', 'not-confirmed');
      return 'skipped';
    }
    const ref = findSession(this.deps.catalogue, registration.sessionId);
    if (!ref) {
      await finish('skipped', 'unknown-session');
      return 'skipped';
    }
    const start = sessionStart(ref.session);
    if (claimed.kind !== 'promoted' && (start === undefined || start <= now)) {
      await finish('skipped', 'too-late');
      return 'skipped';
    }
    const contact = await contacts.get(registration.channel, registration.userId);
    const eligibility = proactiveEligibility(
      contact ?? { channel: registration.channel, lastInboundAt: null, followed: null },
      now,
    );
    if (!eligibility.eligible) {
      await finish('skipped', eligibility.reason);
      return 'skipped';
    }
    const locale: Locale = contact?.locale ?? registration.locale;
    try {
      await this.send(adapter, registration, locale, this.text(claimed.kind, registration, locale));
    } catch (error) {
      const code = error instanceof ChannelError ? error.code : 'ERR_UNKNOWN';
      const retry =
        error instanceof ChannelError && !error.permanent && claimed.attempts < MAX_ATTEMPTS;
      this.deps.log.warn(
        { noticeId: id, kind: claimed.kind, channel: registration.channel, code },
        retry ? 'notice not sent; will retry' : 'notice not sent',
      );
      await finish(retry ? 'pending' : 'failed', code);
      return retry ? 'retry' : 'failed';
    }
    await finish('sent', null, eligibility.billed);
    return 'sent';
  }

  private text(kind: NoticeKind, registration: Registration, locale: Locale): string {
    const { t, timezone, catalogue } = this.deps;
    const ref = findSession(catalogue, registration.sessionId)!;
    return t(locale, `registration:notice.${kind}`, {
      title: courseTitle(ref.course, locale, t),
      when: sessionWhen(ref.session, locale, timezone, t),
      place: sessionPlace(ref.session, locale, t),
      code: registration.code,
    });
  }

  /** A proactive message; a send failure is rethrown (the adapter's turn-error handler would hide it). */
  private async send(
    adapter: BotAdapter,
    registration: Registration,
    locale: Locale,
    text: string,
  ): Promise<void> {
    let failure: Error | undefined;
    const choices = [
      { title: this.deps.t(locale, 'registration:menu.mine'), payload: MY_REGISTRATIONS },
    ];
    await adapter.continueConversation(
      referenceFor(registration.channel, registration.userId, locale),
      async (context) => {
        try {
          await context.sendActivity(messageWithChoices(text, choices));
        } catch (error) {
          failure = error instanceof Error ? error : new Error('send failed', { cause: error });
        }
      },
    );
    if (failure) throw failure;
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
