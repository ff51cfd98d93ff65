import type { BotAdapter } from 'botbuilder-core';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Content } from '../content/load.js';
import {
  findCourse,
  findSession,
  isOpen,
  nextDay,
  sessionEnd,
  type Course,
  type CourseKind,
  type Session,
} from '../content/courses.js';
import type { Clock } from '../core/clock.js';
import { InvalidInputError } from '../core/errors.js';
import { DEDUPE_TTL_MS } from '../core/inbox.js';
import type { ChannelId, Locale } from '../core/events.js';
import type { Translate } from '../i18n.js';
import type { ContactsRepo } from '../store/contacts-repo.js';
import { OutboxRepo } from '../store/outbox-repo.js';
import { InboxRepo } from '../store/inbox-repo.js';
import type { Database } from '../store/schema.js';
import { ConsentLedger, REGISTRATION_PURPOSE } from './consents.js';
import {
  eraseInactiveContact,
  eraseUserData,
  lastActivity,
  RETENTION_ACTION,
  type ErasureCounts,
} from './erasure.js';
import { Notices, type NoticeOutbox } from './notices.js';
import {
  bumpStats,
  RegistrationRepo,
  type RegisterInput,
  type RegisterResult,
  type Registration,
  type SeatCount,
} from './repo.js';
import { localDayOf, localDayStart } from './time.js';

const DAY = 24 * 3600_000;

/** Dialog state not touched for this long is an abandoned conversation: it is purged. */
export const STALE_DIALOG_STATE_MS = 30 * DAY;

/** A session open for registration, with its seats. */
export interface OpenSession {
  course: Course;
  session: Session;
  seats: SeatCount;
  left: number;
}

/** Everything the registration feature does, over the database and the catalogue. */
export class RegistrationService {
  readonly repo: RegistrationRepo;
  readonly consents: ConsentLedger;
  readonly notices: Notices;
  readonly content: Content;
  readonly timezone: string;
  readonly retentionDays: number;

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      content: Content;
      clock: Clock;
      t: Translate;
      contacts: ContactsRepo;
      timezone: string;
      retentionDays: number;
      log: Logger;
      /** Forgets a conversation's dialog state in botbuilder storage (SQL or Redis). */
      forgetConversation: (channel: ChannelId, userId: string) => Promise<void>;
      /** Pushes erased rows off the disk ('soon': after the current turn forgot its state). */
      scrubDisk?: (when: 'now' | 'soon') => void | Promise<void>;
      /** Where notices are queued (the outbox). */
      outbox: NoticeOutbox;
    },
  ) {
    this.repo = new RegistrationRepo(deps.db);
    this.consents = new ConsentLedger(deps.db);
    this.content = deps.content;
    this.timezone = deps.timezone;
    this.retentionDays = deps.retentionDays;
    this.notices = new Notices({
      db: deps.db,
      repo: this.repo,
      catalogue: () => deps.content.courses,
      contacts: deps.contacts,
      t: deps.t,
      timezone: deps.timezone,
      clock: deps.clock,
      log: deps.log,
      outbox: deps.outbox,
    });
  }

  /** The version of the consent notice the user is shown (kept in the locale files). */
  noticeVersion(locale: Locale): string {
    return this.deps.t(locale, 'registration:consent.version');
  }

  /**
   * Contact ids with a confirmed registration for a course and/or session of the catalogue (the
   * broadcast segment `registered`). An id the catalogue does not know is refused, so a typo in a
   * broadcast is a clear error rather than an announcement to nobody.
   */
  async registrants(filter: { course?: string; session?: string }): Promise<Set<number>> {
    const { courses } = this.content;
    if (filter.course !== undefined && !findCourse(courses, filter.course))
      throw new InvalidInputError(
        `segment.registered.course: "${filter.course}" is not a course of content/courses.json.`,
      );
    if (filter.session !== undefined) {
      const ref = findSession(courses, filter.session);
      if (!ref)
        throw new InvalidInputError(
          `segment.registered.session: "${filter.session}" is not a session of content/courses.json.`,
        );
      if (filter.course !== undefined && ref.course.id !== filter.course)
        throw new InvalidInputError(
          `segment.registered.session: "${filter.session}" is not a session of course "${filter.course}".`,
        );
    }
    return this.repo.registeredContactIds({
      ...(filter.course !== undefined ? { courseId: filter.course } : {}),
      ...(filter.session !== undefined ? { sessionId: filter.session } : {}),
    });
  }

  /** Capacity of a session from the catalogue (0 for a session that was removed). */
  capacityOf(sessionId: string): number {
    return findSession(this.content.courses, sessionId)?.session.capacity ?? 0;
  }

  /** Sessions open for registration now (optionally of one kind / course), with their seats. */
  async openSessions(
    filter: { kind?: CourseKind; courseId?: string } = {},
  ): Promise<OpenSession[]> {
    const now = this.deps.clock.now();
    const seats = await this.repo.allSeats();
    const out: OpenSession[] = [];
    for (const course of this.content.courses.courses) {
      if (filter.kind && course.kind !== filter.kind) continue;
      if (filter.courseId && course.id !== filter.courseId) continue;
      if (course.closed) continue;
      for (const session of course.sessions) {
        if (!isOpen(session, now, (iso) => localDayStart(iso, this.timezone))) continue;
        const s = seats.get(session.id) ?? { taken: 0, waitlist: 0 };
        out.push({ course, session, seats: s, left: Math.max(0, session.capacity - s.taken) });
      }
    }
    return out;
  }

  /** Whether a session is open for registration now (its course not closed by the organiser). */
  isOpen(session: Session): boolean {
    if (findSession(this.content.courses, session.id)?.course.closed) return false;
    return isOpen(session, this.deps.clock.now(), (iso) => localDayStart(iso, this.timezone));
  }

  /** Registers (see RegistrationRepo.register) with the catalogue's capacity. */
  async register(input: Omit<RegisterInput, 'capacity' | 'now'>): Promise<RegisterResult> {
    return this.repo.register({
      ...input,
      capacity: () => this.capacityOf(input.sessionId),
      now: this.deps.clock.now(),
    });
  }

  /**
   * Cancels a live registration, promotes the waitlist, and tells the promoted people right
   * away where the platform allows it (the scheduler retries what could not be sent).
   */
  async cancel(
    registration: Registration,
    adapter: BotAdapter | undefined,
  ): Promise<{ cancelled: boolean; promoted: Registration[] }> {
    const result = await this.repo.cancel(
      registration.id,
      (id) => this.capacityOf(id),
      this.deps.clock.now(),
    );
    await this.tellPromoted(result.promoted, adapter);
    return { cancelled: result.cancelled !== undefined, promoted: result.promoted };
  }

  /** Sends the promotion notices of these registrations now (best effort: the scheduler retries). */
  async tellPromoted(promoted: Registration[], adapter: BotAdapter | undefined): Promise<void> {
    if (!adapter || promoted.length === 0) return;
    try {
      await this.notices.deliverPending(
        adapter,
        promoted.map((p) => p.id),
      );
    } catch (error) {
      // The notices stay pending; the scheduler sends them on its next tick.
      this.deps.log.warn({ err: error }, 'could not tell promoted registrants yet');
    }
  }

  /**
   * Withdraws the registration consent: every live registration is cancelled (seats go to the
   * waitlist), personal fields are cleared, and the withdrawal is recorded in the ledger.
   */
  async withdrawConsent(
    channel: ChannelId,
    userId: string,
    locale: Locale,
    adapter: BotAdapter | undefined,
  ): Promise<{ cancelled: number }> {
    const live = await this.repo.listByUser(channel, userId);
    let cancelled = 0;
    for (const registration of live) {
      if ((await this.cancel(registration, adapter)).cancelled) cancelled += 1;
    }
    await this.consents.withdraw(
      channel,
      userId,
      REGISTRATION_PURPOSE,
      this.noticeVersion(locale),
      this.deps.clock.now(),
    );
    return { cancelled };
  }

  /**
   * Erases a person's data (right to erasure): live registrations are cancelled first so the
   * waitlist moves on, then every row about them goes. `inTurn`: the caller is the person's own
   * turn, which forgets its dialog state itself when the turn ends.
   */
  async erase(
    channel: ChannelId,
    userId: string,
    options: { adapter?: BotAdapter; currentEventId?: string; inTurn?: boolean } = {},
  ): Promise<ErasureCounts> {
    for (const registration of await this.repo.listByUser(channel, userId))
      await this.cancel(registration, options.adapter);
    const result = await eraseUserData(
      this.deps.db,
      { channel, userId, currentEventId: options.currentEventId },
      this.deps.clock.now(),
    );
    if (!options.inTurn) await this.deps.forgetConversation(channel, userId);
    await this.deps.scrubDisk?.('soon');
    return result;
  }

  /** When the edition's retention period ends (epoch ms): endDate's last moment + the setting. */
  retentionEnd(): number {
    const end = localDayStart(nextDay(this.content.edition.endDate), this.timezone);
    return end + this.retentionDays * DAY;
  }

  /**
   * Purges registration data whose retention has run out: `retentionDays` after the later of
   * the edition's end and the session's end (for a self-paced course, its closing day or the
   * registration itself), so a registration is never purged before its course took place.
   * Nominations and quiz attempts older than the retention go too. Consents no remaining
   * registration needs go too, abandoned dialog state (which may hold a
   * half-typed registration) after STALE_DIALOG_STATE_MS, and processed inbox rows once the
   * platforms' retry window is over (they would keep who wrote when; after an erasure, receipts
   * of the last replies still arrive for a while).
   */
  async purgeExpired(): Promise<{
    registrations: number;
    consents: number;
    contacts: number;
    dialogStates: number;
    inboxEvents: number;
    nominations: number;
    quizAttempts: number;
  }> {
    const now = this.deps.clock.now();
    const { db } = this.deps;
    const staleStates = await db
      .deleteFrom('bot_state')
      .where('updated_at', '<', now - STALE_DIALOG_STATE_MS)
      .executeTakeFirst();
    const dialogStates = Number(staleStates.numDeletedRows);
    const inboxEvents = await new InboxRepo(db).purgeProcessed(
      now - DEDUPE_TTL_MS,
      localDayOf(this.timezone),
    );
    // Final outbox rows (failed, skipped, unknown) name a platform user: kept as long as inbox rows.
    await new OutboxRepo(db).purgeFinal(now - DEDUPE_TTL_MS);
    const retention = this.retentionDays * DAY;
    const editionEnd = localDayStart(nextDay(this.content.edition.endDate), this.timezone);
    if (editionEnd + retention > now) {
      if (dialogStates + inboxEvents > 0) await this.deps.scrubDisk?.('now');
      return {
        registrations: 0,
        consents: 0,
        contacts: 0,
        dialogStates,
        inboxEvents,
        nominations: 0,
        quizAttempts: 0,
      };
    }

    const rows = await db
      .selectFrom('registrations')
      .select(['id', 'session_id', 'created_at'])
      .execute();
    const expired: number[] = [];
    for (const row of rows) {
      const ref = findSession(this.content.courses, row.session_id);
      let anchor = Number(row.created_at);
      if (ref) {
        const end = sessionEnd(ref.session);
        const s = ref.session.schedule;
        if (end !== undefined) anchor = end;
        else if (s.type === 'self-paced' && s.closes)
          anchor = Math.max(anchor, localDayStart(nextDay(s.closes), this.timezone));
      }
      if (Math.max(editionEnd, anchor) + retention <= now) expired.push(Number(row.id));
    }
    for (let i = 0; i < expired.length; i += 500) {
      const batch = expired.slice(i, i + 500);
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('registration_notices')
          .where('registration_id', 'in', batch)
          .execute();
        await trx.deleteFrom('registrations').where('id', 'in', batch).execute();
      });
    }
    // Nominations and quiz attempts of the edition go before the consents they rest on.
    const nominations = await db
      .deleteFrom('nominations')
      .where('created_at', '<=', now - retention)
      .executeTakeFirst();
    const quizAttempts = await db.transaction().execute(async (trx) => {
      const old = trx
        .selectFrom('quiz_attempts')
        .select('id')
        .where('started_at', '<=', now - retention);
      await trx.deleteFrom('quiz_answers').where('attempt_id', 'in', old).execute();
      return trx
        .deleteFrom('quiz_attempts')
        .where('started_at', '<=', now - retention)
        .executeTakeFirst();
    });
    const consents = await db
      .deleteFrom('consents')
      .where('at', '<=', now - retention)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('registrations')
              .select('registrations.id')
              .whereRef('registrations.consent_id', '=', 'consents.id'),
          ),
        ),
      )
      .executeTakeFirst();
    const purged = {
      registrations: expired.length,
      consents: Number(consents.numDeletedRows),
      contacts: await this.purgeInactiveContacts(now - retention, now),
      dialogStates,
      inboxEvents,
      nominations: Number(nominations.numDeletedRows),
      quizAttempts: Number(quizAttempts.numDeletedRows),
    };
    if (purged.registrations > 0)
      await bumpStats(db, ['purged:registrations'], purged.registrations);
    if (Object.values(purged).some((n) => n > 0)) await this.deps.scrubDisk?.('now');
    return purged;
  }

  /**
   * Erases, through the erasure path, every contact whose last interaction (or first contact,
   * if they never wrote) is at or before `cutoff` and who has no registration still within its
   * retention: platform id, language, province, audience, opt-in and its history, the questions
   * they asked, the inbox rows and dialog state; their broadcast deliveries stay, unlinked, for
   * the reports. Runs only once the edition's retention is over, so `cutoff` is after the
   * edition's end: whoever wrote since is a current user and stays until `retentionDays` after
   * their last message. One anonymous audit row records the totals.
   */
  private async purgeInactiveContacts(cutoff: number, now: number): Promise<number> {
    const { db } = this.deps;
    const totals: Partial<Record<keyof ErasureCounts, number>> = {};
    let contacts = 0;
    let after = 0;
    for (;;) {
      const batch = await db
        .selectFrom('contacts')
        .select(['id', 'channel', 'user_id'])
        .where('id', '>', after)
        .where(lastActivity, '<=', cutoff)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('registrations')
                .select('registrations.id')
                .whereRef('registrations.channel', '=', 'contacts.channel')
                .whereRef('registrations.user_id', '=', 'contacts.user_id'),
            ),
          ),
        )
        .orderBy('id')
        .limit(500)
        .execute();
      for (const row of batch) {
        const who = { channel: row.channel as ChannelId, userId: row.user_id };
        const counts = await eraseInactiveContact(db, who, cutoff, now);
        if (counts === undefined) continue;
        await this.deps.forgetConversation(who.channel, who.userId);
        contacts += 1;
        for (const [kind, n] of Object.entries(counts) as [keyof ErasureCounts, number][])
          totals[kind] = (totals[kind] ?? 0) + n;
      }
      if (batch.length < 500) break;
      after = Number(batch[batch.length - 1]!.id);
    }
    if (contacts > 0) {
      await db
        .insertInto('audit_log')
        .values({
          at: now,
          actor: 'retention',
          action: RETENTION_ACTION,
          detail: JSON.stringify({ contacts, ...totals }),
        })
        .execute();
      await bumpStats(db, ['purged:contacts'], contacts);
    }
    return contacts;
  }
}
