import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { ChannelId, Locale } from '../core/events.js';
import { isUniqueViolation } from '../store/db.js';
import type { Database, RegistrationTable } from '../store/schema.js';
import { confirmationCode } from './validate.js';

/** A registration as the rest of the code sees it. */
export interface Registration {
  id: number;
  code: string;
  courseId: string;
  sessionId: string;
  channel: ChannelId;
  userId: string;
  /** Null once the registration is cancelled (the personal fields are cleared). */
  fullName: string | null;
  phone: string | null;
  province: string;
  audience: string;
  locale: Locale;
  status: RegistrationTable['status'];
  consentId: number | null;
  createdAt: number;
  confirmedAt: number | null;
  cancelledAt: number | null;
}

/** The consent that accompanies a registration (written in the same transaction). */
export interface ConsentInput {
  purpose: string;
  noticeVersion: string;
  /** When the person said yes. */
  at: number;
}

/** What a registration needs. */
export interface RegisterInput {
  courseId: string;
  sessionId: string;
  /**
   * The session's capacity from the catalogue; a function is read again once the session's lock
   * is held, so a capacity change saved meanwhile counts.
   */
  capacity: number | (() => number);
  channel: ChannelId;
  userId: string;
  fullName: string;
  phone: string;
  province: string;
  audience: string;
  locale: Locale;
  /** Put the person on the waitlist when the session is full (otherwise answer `full`). */
  waitlist: boolean;
  consent: ConsentInput;
  now: number;
}

/** How a registration attempt ended. */
export type RegisterResult =
  | { kind: 'confirmed'; registration: Registration }
  | { kind: 'waitlisted'; registration: Registration; position: number }
  | { kind: 'full' }
  | { kind: 'duplicate'; existing: Registration };

/** Admin filters over registrations. */
export interface RegistrationFilter {
  courseId?: string;
  sessionId?: string;
  province?: string;
  audience?: string;
  channel?: string;
  status?: RegistrationTable['status'];
  /** Registered at or after (epoch ms). */
  from?: number;
  /** Registered before (epoch ms). */
  to?: number;
  /** Part of the confirmation code, the name or the phone number. */
  search?: string;
}

/** Seats of one session. */
export interface SeatCount {
  taken: number;
  waitlist: number;
}

type Db = Kysely<Database> | Transaction<Database>;

const LIVE = ['confirmed', 'waitlisted'] as const;

function toRegistration(row: Selectable<RegistrationTable>): Registration {
  return {
    id: Number(row.id),
    code: row.code,
    courseId: row.course_id,
    sessionId: row.session_id,
    channel: row.channel as ChannelId,
    userId: row.user_id,
    fullName: row.full_name,
    phone: row.phone,
    province: row.province,
    audience: row.audience,
    locale: row.locale === 'en' ? 'en' : 'vi',
    status: row.status,
    consentId: row.consent_id === null ? null : Number(row.consent_id),
    createdAt: Number(row.created_at),
    confirmedAt: row.confirmed_at === null ? null : Number(row.confirmed_at),
    cancelledAt: row.cancelled_at === null ? null : Number(row.cancelled_at),
  };
}

/** Adds `by` to anonymous counters (they survive erasure; they hold no personal data). */
export async function bumpStats(db: Db, keys: string[], by = 1): Promise<void> {
  if (keys.length === 0) return;
  // One statement for all keys: this runs inside the session lock, where round trips count.
  await db
    .insertInto('registration_stats')
    .values([...new Set(keys)].map((key) => ({ key, n: by })))
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        n: eb('registration_stats.n', '+', eb.ref('excluded.n')),
      })),
    )
    .execute();
}

/**
 * Registrations with their rules: capacity (under a per-session row lock, on SQLite and
 * PostgreSQL alike), one live registration per phone and session, and a first-come waitlist.
 */
export class RegistrationRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Registers a person, or puts them on the waitlist, or answers `full` / `duplicate`. The
   * consent is recorded in the same transaction: nothing is stored unless the registration is.
   */
  async register(input: RegisterInput): Promise<RegisterResult> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.db.transaction().execute((trx) => this.registerIn(trx, input));
      } catch (error) {
        // A code collision or a racing duplicate: the next attempt sees the winner's row.
        if (!isUniqueViolation(error) || attempt >= 3) throw error;
      }
    }
  }

  private async registerIn(
    trx: Transaction<Database>,
    input: RegisterInput,
  ): Promise<RegisterResult> {
    const capacityNow = () =>
      typeof input.capacity === 'function' ? input.capacity() : input.capacity;
    await this.lockSession(trx, input.sessionId, capacityNow(), input.now);
    const capacity = capacityNow();
    const existing = await trx
      .selectFrom('registrations')
      .selectAll()
      .where('session_id', '=', input.sessionId)
      .where('phone', '=', input.phone)
      .where('status', 'in', LIVE)
      .executeTakeFirst();
    if (existing) return { kind: 'duplicate', existing: toRegistration(existing) };

    const { taken } = await this.countIn(trx, input.sessionId);
    const hasSeat = taken < capacity;
    if (!hasSeat && !input.waitlist) return { kind: 'full' };

    const consent = await trx
      .insertInto('consents')
      .values({
        channel: input.channel,
        user_id: input.userId,
        purpose: input.consent.purpose,
        notice_version: input.consent.noticeVersion,
        action: 'given',
        at: input.consent.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const status = hasSeat ? 'confirmed' : 'waitlisted';
    const row = await trx
      .insertInto('registrations')
      .values({
        code: confirmationCode(),
        course_id: input.courseId,
        session_id: input.sessionId,
        channel: input.channel,
        user_id: input.userId,
        full_name: input.fullName,
        phone: input.phone,
        province: input.province,
        audience: input.audience,
        locale: input.locale,
        status,
        consent_id: Number(consent.id),
        created_at: input.now,
        confirmed_at: hasSeat ? input.now : null,
        cancelled_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const registration = toRegistration(row);
    await bumpStats(trx, [
      'consent:given',
      `${status}:total`,
      ...(hasSeat
        ? [
            `confirmed:course:${input.courseId}`,
            `confirmed:session:${input.sessionId}`,
            `confirmed:province:${input.province}`,
            `confirmed:audience:${input.audience}`,
            `confirmed:channel:${input.channel}`,
          ]
        : []),
    ]);
    if (hasSeat) return { kind: 'confirmed', registration };
    return {
      kind: 'waitlisted',
      registration,
      position: await this.positionIn(trx, registration),
    };
  }

  /**
   * Takes the session's row lock (an upsert: a row lock on PostgreSQL, the write lock on SQLite),
   * so registrations and cancellations of one session run one after another.
   */
  private async lockSession(
    trx: Transaction<Database>,
    sessionId: string,
    capacity: number,
    now: number,
  ): Promise<void> {
    await trx
      .insertInto('session_seats')
      .values({ session_id: sessionId, capacity, updated_at: now })
      .onConflict((oc) => oc.column('session_id').doUpdateSet({ capacity, updated_at: now }))
      .execute();
  }

  private async countIn(db: Db, sessionId: string): Promise<SeatCount> {
    const rows = await db
      .selectFrom('registrations')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('session_id', '=', sessionId)
      .where('status', 'in', LIVE)
      .groupBy('status')
      .execute();
    const n = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
    return { taken: n('confirmed'), waitlist: n('waitlisted') };
  }

  private async positionIn(db: Db, registration: Registration): Promise<number> {
    const row = await db
      .selectFrom('registrations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('session_id', '=', registration.sessionId)
      .where('status', '=', 'waitlisted')
      .where('id', '<=', registration.id)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The place of a waitlisted registration in its session's queue (1 = next). */
  async waitlistPosition(registration: Registration): Promise<number> {
    return this.positionIn(this.db, registration);
  }

  /**
   * Runs `work` in one transaction holding the row locks of these sessions, with their seat
   * counts read under the locks: a capacity change or a removal checked against them cannot
   * race a registration (which takes the same lock).
   */
  async withSessionsLocked<T>(
    sessions: ReadonlyArray<{ id: string; capacity: number }>,
    now: number,
    work: (seats: Map<string, SeatCount>, trx: Transaction<Database>) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      const seats = new Map<string, SeatCount>();
      // One order for every caller, so two of them never wait on each other's locks.
      for (const s of [...sessions].sort((a, b) => a.id.localeCompare(b.id))) {
        await this.lockSession(trx, s.id, s.capacity, now);
        seats.set(s.id, await this.countIn(trx, s.id));
      }
      return work(seats, trx);
    });
  }

  /** Seats taken and waitlist length of one session. */
  async seats(sessionId: string): Promise<SeatCount> {
    return this.countIn(this.db, sessionId);
  }

  /** Seats taken and waitlist length of every session that has registrations. */
  async allSeats(): Promise<Map<string, SeatCount>> {
    const rows = await this.db
      .selectFrom('registrations')
      .select(['session_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', 'in', LIVE)
      .groupBy(['session_id', 'status'])
      .execute();
    const seats = new Map<string, SeatCount>();
    for (const r of rows) {
      const s = seats.get(r.session_id) ?? { taken: 0, waitlist: 0 };
      if (r.status === 'confirmed') s.taken = Number(r.n);
      else s.waitlist = Number(r.n);
      seats.set(r.session_id, s);
    }
    return seats;
  }

  /** The live registration of a phone for a session, if any. */
  async findLive(sessionId: string, phone: string): Promise<Registration | undefined> {
    const row = await this.db
      .selectFrom('registrations')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('phone', '=', phone)
      .where('status', 'in', LIVE)
      .executeTakeFirst();
    return row ? toRegistration(row) : undefined;
  }

  /**
   * Ids of the contacts holding a confirmed registration for a course and/or a session (who a
   * broadcast to "people registered for X" reaches). Contacts are joined by channel and user id.
   */
  async registeredContactIds(filter: {
    courseId?: string;
    sessionId?: string;
  }): Promise<Set<number>> {
    const rows = await this.db
      .selectFrom('registrations')
      .innerJoin('contacts', (join) =>
        join
          .onRef('contacts.channel', '=', 'registrations.channel')
          .onRef('contacts.user_id', '=', 'registrations.user_id'),
      )
      .select('contacts.id')
      .distinct()
      .where('registrations.status', '=', 'confirmed')
      .$if(filter.courseId !== undefined, (q) =>
        q.where('registrations.course_id', '=', filter.courseId!),
      )
      .$if(filter.sessionId !== undefined, (q) =>
        q.where('registrations.session_id', '=', filter.sessionId!),
      )
      .execute();
    return new Set(rows.map((r) => Number(r.id)));
  }

  /** A user's registrations, newest first (cancelled ones only when asked). */
  async listByUser(
    channel: ChannelId,
    userId: string,
    options: { includeCancelled?: boolean } = {},
  ): Promise<Registration[]> {
    let query = this.db
      .selectFrom('registrations')
      .selectAll()
      .where('channel', '=', channel)
      .where('user_id', '=', userId);
    if (!options.includeCancelled) query = query.where('status', 'in', LIVE);
    const rows = await query.orderBy('id', 'desc').execute();
    return rows.map(toRegistration);
  }

  /** A registration by id. */
  async get(id: number): Promise<Registration | undefined> {
    const row = await this.db
      .selectFrom('registrations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRegistration(row) : undefined;
  }

  /** A registration by its confirmation code. */
  async getByCode(code: string): Promise<Registration | undefined> {
    const row = await this.db
      .selectFrom('registrations')
      .selectAll()
      .where('code', '=', code.toUpperCase())
      .executeTakeFirst();
    return row ? toRegistration(row) : undefined;
  }

  /**
   * Cancels a live registration: clears its personal fields, frees the seat and promotes the
   * first people on the waitlist (each gets a `promoted` notice), all in one transaction.
   */
  async cancel(
    id: number,
    capacity: (sessionId: string) => number,
    now: number,
  ): Promise<{ cancelled: Registration | undefined; promoted: Registration[] }> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('registrations')
        .select(['session_id'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return { cancelled: undefined, promoted: [] };
      await this.lockSession(trx, row.session_id, capacity(row.session_id), now);
      const cancelled = await trx
        .updateTable('registrations')
        .set({ status: 'cancelled', cancelled_at: now, full_name: null, phone: null })
        .where('id', '=', id)
        .where('status', 'in', LIVE)
        .returningAll()
        .executeTakeFirst();
      if (!cancelled) return { cancelled: undefined, promoted: [] };
      await bumpStats(trx, ['cancelled:total']);
      const promoted = await this.fillIn(trx, row.session_id, capacity(row.session_id), now);
      return { cancelled: toRegistration(cancelled), promoted };
    });
  }

  /** Promotes waitlisted people while the session has free seats (e.g. after capacity grew). */
  async fillSeats(sessionId: string, capacity: number, now: number): Promise<Registration[]> {
    return this.db.transaction().execute(async (trx) => {
      await this.lockSession(trx, sessionId, capacity, now);
      return this.fillIn(trx, sessionId, capacity, now);
    });
  }

  /** Sessions that have people waiting. */
  async sessionsWithWaitlist(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('registrations')
      .select('session_id')
      .distinct()
      .where('status', '=', 'waitlisted')
      .execute();
    return rows.map((r) => r.session_id);
  }

  private async fillIn(
    trx: Transaction<Database>,
    sessionId: string,
    capacity: number,
    now: number,
  ): Promise<Registration[]> {
    const { taken } = await this.countIn(trx, sessionId);
    const free = capacity - taken;
    if (free <= 0) return [];
    const next = await trx
      .selectFrom('registrations')
      .select('id')
      .where('session_id', '=', sessionId)
      .where('status', '=', 'waitlisted')
      .orderBy('id')
      .limit(free)
      .execute();
    const promoted: Registration[] = [];
    for (const { id } of next) {
      const row = await trx
        .updateTable('registrations')
        .set({ status: 'confirmed', confirmed_at: now })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const registration = toRegistration(row);
      promoted.push(registration);
      await trx
        .insertInto('registration_notices')
        .values({
          registration_id: registration.id,
          kind: 'promoted',
          status: 'pending',
          reason: null,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(['registration_id', 'kind']).doNothing())
        .execute();
      await bumpStats(trx, [
        'promoted:total',
        `confirmed:course:${registration.courseId}`,
        `confirmed:session:${registration.sessionId}`,
        `confirmed:province:${registration.province}`,
        `confirmed:audience:${registration.audience}`,
        `confirmed:channel:${registration.channel}`,
      ]);
    }
    return promoted;
  }

  /** Registrations matching the admin filters, oldest first, one page at a time. */
  async query(
    filter: RegistrationFilter,
    page: { offset: number; limit: number },
  ): Promise<{ items: Registration[]; total: number }> {
    let query = this.db.selectFrom('registrations');
    if (filter.courseId) query = query.where('course_id', '=', filter.courseId);
    if (filter.sessionId) query = query.where('session_id', '=', filter.sessionId);
    if (filter.province) query = query.where('province', '=', filter.province);
    if (filter.audience) query = query.where('audience', '=', filter.audience);
    if (filter.channel) query = query.where('channel', '=', filter.channel);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('created_at', '<', filter.to);
    if (filter.search) {
      // Wildcards typed by the organiser are dropped (SQLite has no default LIKE escape).
      const like = `%${filter.search.normalize('NFC').replace(/[\\%_]/g, '')}%`;
      const digits = filter.search.replace(/\D/g, '').replace(/^0/, '');
      query = query.where((eb) =>
        eb.or([
          eb(sql`upper(code)`, 'like', like.toUpperCase()),
          eb(sql`lower(full_name)`, 'like', like.toLowerCase()),
          ...(digits.length >= 3 ? [eb('phone', 'like', `%${digits}%`)] : []),
        ]),
      );
    }
    const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    const rows = await query
      .selectAll()
      .orderBy('id')
      .offset(page.offset)
      .limit(page.limit)
      .execute();
    return { items: rows.map(toRegistration), total: Number(total?.n ?? 0) };
  }

  /** Anonymous counters (for the admin API). */
  async stats(): Promise<Record<string, number>> {
    const rows = await this.db.selectFrom('registration_stats').selectAll().execute();
    return Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
  }
}
