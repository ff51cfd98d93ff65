import type { Kysely, Selectable } from 'kysely';
import type { ChannelId } from '../core/events.js';
import type { Database, NominationTable } from '../store/schema.js';

/** The purpose a nominator consents to (Law 91/2025/QH15: consent per purpose). */
export const NOMINATION_PURPOSE = 'self-learner-nomination';

/** What organisers decide about a nomination. */
export const DECISIONS = { accept: 'accepted', reject: 'rejected', commend: 'commended' } as const;
/** A review decision as the admin API names it. */
export type Decision = keyof typeof DECISIONS;
/** Where a nomination stands. */
export type NominationStatus = NominationTable['status'];

/** A nomination as organisers see it. */
export interface Nomination {
  id: number;
  channel: string;
  nomineeName: string;
  commune: string;
  province: string;
  story: string;
  contact: string;
  locale: string;
  nomineeAgreed: boolean;
  consentId: number;
  status: NominationStatus;
  reviewNote: string | null;
  createdAt: number;
  reviewedAt: number | null;
}

/** Nominations received in a period, by status and by province (counts only, for the report). */
export interface NominationFigures {
  received: number;
  byStatus: Record<NominationStatus, number>;
  /** Per province id: received, and how many the organisers commended. */
  byProvince: Array<{ province: string; received: number; commended: number }>;
}

/** What the dialog gathered, with the consent moment. */
export interface NominationInput {
  channel: ChannelId;
  userId: string;
  nomineeName: string;
  commune: string;
  province: string;
  story: string;
  contact: string;
  locale: string;
  noticeVersion: string;
  consentAt: number;
}

function toNomination(r: Selectable<NominationTable>): Nomination {
  return {
    id: Number(r.id),
    channel: r.channel,
    nomineeName: r.nominee_name,
    commune: r.commune,
    province: r.province,
    story: r.story,
    contact: r.contact,
    locale: r.locale,
    nomineeAgreed: Number(r.nominee_agreed) === 1,
    consentId: Number(r.consent_id),
    status: r.status,
    reviewNote: r.review_note,
    createdAt: Number(r.created_at),
    reviewedAt: r.reviewed_at === null ? null : Number(r.reviewed_at),
  };
}

/** Nominations of exemplary self-learners: recorded with consent, reviewed by organisers. */
export class NominationService {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records the consent and the nomination together (one transaction: never one alone). */
  async create(input: NominationInput): Promise<Nomination> {
    const id = await this.db.transaction().execute(async (trx) => {
      const consent = await trx
        .insertInto('consents')
        .values({
          channel: input.channel,
          user_id: input.userId,
          purpose: NOMINATION_PURPOSE,
          notice_version: input.noticeVersion,
          action: 'given',
          at: input.consentAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const row = await trx
        .insertInto('nominations')
        .values({
          channel: input.channel,
          user_id: input.userId,
          nominee_name: input.nomineeName,
          commune: input.commune,
          province: input.province,
          story: input.story,
          contact: input.contact,
          locale: input.locale,
          consent_id: Number(consent.id),
          nominee_agreed: 1,
          status: 'pending',
          created_at: input.consentAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(row.id);
    });
    return (await this.get(id))!;
  }

  /** The nomination with this id. */
  async get(id: number): Promise<Nomination | undefined> {
    const row = await this.db
      .selectFrom('nominations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toNomination(row) : undefined;
  }

  /** How many nominations a person made (for "my data"). */
  async countByUser(channel: string, userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('nominations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('channel', '=', channel)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** A page of nominations, newest first, optionally by status and province. */
  async list(
    filter: { status?: NominationStatus; province?: string },
    page: { offset: number; limit: number },
  ): Promise<{ items: Nomination[]; total: number }> {
    let q = this.db.selectFrom('nominations');
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.province) q = q.where('province', '=', filter.province);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    const rows = await q
      .selectAll()
      .orderBy('id', 'desc')
      .offset(page.offset)
      .limit(page.limit)
      .execute();
    return { items: rows.map(toNomination), total: Number(total?.n ?? 0) };
  }

  /** Records the organisers' decision (a later review replaces an earlier one). */
  async review(
    id: number,
    decision: Decision,
    note: string | null,
    now: number,
  ): Promise<Nomination | undefined> {
    await this.db
      .updateTable('nominations')
      .set({ status: DECISIONS[decision], review_note: note, reviewed_at: now })
      .where('id', '=', id)
      .execute();
    return this.get(id);
  }

  /** Nominations received in [from, to), by status and province (no names, no stories). */
  async figures(period: { from: number; to: number }): Promise<NominationFigures> {
    const rows = await this.db
      .selectFrom('nominations')
      .select((eb) => ['province', 'status', eb.fn.countAll<number | string>().as('n')])
      .where('created_at', '>=', period.from)
      .where('created_at', '<', period.to)
      .groupBy(['province', 'status'])
      .execute();
    const byStatus: Record<NominationStatus, number> = {
      pending: 0,
      accepted: 0,
      rejected: 0,
      commended: 0,
    };
    const provinces = new Map<string, { province: string; received: number; commended: number }>();
    let received = 0;
    for (const r of rows) {
      const n = Number(r.n);
      received += n;
      byStatus[r.status] += n;
      const p = provinces.get(r.province) ?? { province: r.province, received: 0, commended: 0 };
      p.received += n;
      if (r.status === 'commended') p.commended += n;
      provinces.set(r.province, p);
    }
    const byProvince = [...provinces.values()].sort((a, b) => a.province.localeCompare(b.province));
    return { received, byStatus, byProvince };
  }

  /** Erases one nomination (a nominee's request to the organisers); true when it existed. */
  async erase(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('nominations').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
