import type { Generated, Kysely, Selectable } from 'kysely';
import type { ChannelId } from '../core/events.js';
import type { Millis } from '../store/schema.js';
import type { Database } from '../store/schema.js';
import type { Campaign, CampaignKind } from './model.js';

/** Tables of migration 050. */
export type CampaignTables = {
  campaigns: {
    id: Generated<number>;
    ref: string;
    name: string;
    name_key: string;
    kind: string;
    place: string;
    province: string;
    flow: string | null;
    created_at: Millis;
    retired_at: Millis | null;
  };
  campaign_arrivals: {
    id: Generated<number>;
    campaign_id: number | null;
    unknown_ref: string | null;
    channel: string;
    contact_id: number | null;
    first_contact: number;
    at: Millis;
  };
};

/** One arrival through a link, as the figures read it. */
export interface Arrival {
  campaignId: number | null;
  channel: ChannelId;
  contactId: number | null;
  firstContact: boolean;
  at: number;
}

/** A registration or an announcements opt-in by a contact, at a time. */
export interface Conversion {
  contactId: number;
  at: number;
  what: 'registration' | 'optIn';
}

function toCampaign(row: Selectable<CampaignTables['campaigns']>): Campaign {
  return {
    id: Number(row.id),
    ref: row.ref,
    name: row.name,
    kind: row.kind as CampaignKind,
    place: row.place,
    province: row.province,
    flow: row.flow,
    createdAt: Number(row.created_at),
    retiredAt: row.retired_at === null ? null : Number(row.retired_at),
  };
}

/** Whether a database error is a unique-key violation (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Campaign sources and the arrivals through their links. */
export class CampaignsRepo {
  private readonly db: Kysely<Database & CampaignTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<CampaignTables>();
  }

  async insert(values: Omit<CampaignTables['campaigns'], 'id' | 'retired_at'>): Promise<Campaign> {
    const row = await this.db
      .insertInto('campaigns')
      .values({ ...values, retired_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCampaign(row);
  }

  async byId(id: number): Promise<Campaign | undefined> {
    const row = await this.db
      .selectFrom('campaigns')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toCampaign(row) : undefined;
  }

  async byRef(ref: string): Promise<Campaign | undefined> {
    const row = await this.db
      .selectFrom('campaigns')
      .selectAll()
      .where('ref', '=', ref)
      .executeTakeFirst();
    return row ? toCampaign(row) : undefined;
  }

  /** Which of a ref and a folded name are taken already. */
  async taken(ref: string, nameKey: string): Promise<{ ref: boolean; name: boolean }> {
    const rows = await this.db
      .selectFrom('campaigns')
      .select(['ref', 'name_key'])
      .where((eb) => eb.or([eb('ref', '=', ref), eb('name_key', '=', nameKey)]))
      .execute();
    return {
      ref: rows.some((r) => r.ref === ref),
      name: rows.some((r) => r.name_key === nameKey),
    };
  }

  async list(): Promise<Campaign[]> {
    const rows = await this.db.selectFrom('campaigns').selectAll().orderBy('id').execute();
    return rows.map(toCampaign);
  }

  async retire(id: number, now: number): Promise<Campaign | undefined> {
    await this.db
      .updateTable('campaigns')
      .set({ retired_at: now })
      .where('id', '=', id)
      .where('retired_at', 'is', null)
      .execute();
    return this.byId(id);
  }

  async addArrival(arrival: {
    campaignId: number | null;
    unknownRef: string | null;
    channel: ChannelId;
    contactId: number | null;
    firstContact: boolean;
    at: number;
  }): Promise<void> {
    await this.db
      .insertInto('campaign_arrivals')
      .values({
        campaign_id: arrival.campaignId,
        unknown_ref: arrival.unknownRef,
        channel: arrival.channel,
        contact_id: arrival.contactId,
        first_contact: arrival.firstContact ? 1 : 0,
        at: arrival.at,
      })
      .execute();
  }

  /** Arrivals in [from, to). */
  async arrivals(from: number, to: number): Promise<Arrival[]> {
    const rows = await this.db
      .selectFrom('campaign_arrivals')
      .select(['campaign_id', 'channel', 'contact_id', 'first_contact', 'at'])
      .where('at', '>=', from)
      .where('at', '<', to)
      .orderBy('at')
      .execute();
    return rows.map((r) => ({
      campaignId: r.campaign_id === null ? null : Number(r.campaign_id),
      channel: r.channel as ChannelId,
      contactId: r.contact_id === null ? null : Number(r.contact_id),
      firstContact: r.first_contact === 1,
      at: Number(r.at),
    }));
  }

  /** Contacts first seen in [from, to), by channel (whatever brought them). */
  async newContacts(
    from: number,
    to: number,
  ): Promise<Array<{ channel: ChannelId; contacts: number }>> {
    const rows = await this.db
      .selectFrom('contacts')
      .select((eb) => ['channel', eb.fn.countAll<number | string>().as('n')])
      .where('first_seen_at', '>=', from)
      .where('first_seen_at', '<', to)
      .groupBy('channel')
      .orderBy('channel')
      .execute();
    return rows.map((r) => ({ channel: r.channel as ChannelId, contacts: Number(r.n) }));
  }

  /** Registrations (any outcome) and announcement opt-ins of these contacts in [from, to). */
  async conversions(contactIds: number[], from: number, to: number): Promise<Conversion[]> {
    const out: Conversion[] = [];
    // Bounded chunks keep the IN lists inside every engine's parameter limit.
    for (let i = 0; i < contactIds.length; i += 500) {
      const ids = contactIds.slice(i, i + 500);
      const registrations = await this.db
        .selectFrom('registrations')
        .innerJoin('contacts', (join) =>
          join
            .onRef('contacts.channel', '=', 'registrations.channel')
            .onRef('contacts.user_id', '=', 'registrations.user_id'),
        )
        .select(['contacts.id as contactId', 'registrations.created_at as at'])
        .where('contacts.id', 'in', ids)
        .where('registrations.created_at', '>=', from)
        .where('registrations.created_at', '<', to)
        .execute();
      for (const r of registrations)
        out.push({ contactId: Number(r.contactId), at: Number(r.at), what: 'registration' });
      const optIns = await this.db
        .selectFrom('audit_log')
        .select(['actor', 'at'])
        .where('action', '=', 'subscription.opt_in')
        .where(
          'actor',
          'in',
          ids.map((id) => `contact:${id}`),
        )
        .where('at', '>=', from)
        .where('at', '<', to)
        .execute();
      for (const o of optIns)
        out.push({
          contactId: Number(o.actor.slice('contact:'.length)),
          at: Number(o.at),
          what: 'optIn',
        });
    }
    return out;
  }
}
