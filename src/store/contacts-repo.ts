import type { Kysely, Selectable } from 'kysely';
import type { ChannelId, Locale } from '../core/events.js';
import type { ContactTable, Database } from './schema.js';

/** A contact as the rest of the code sees it. */
export interface Contact {
  id: number;
  channel: ChannelId;
  userId: string;
  locale: Locale | null;
  firstSeenAt: number;
  lastInboundAt: number | null;
  /** Zalo follow / Viber subscription; null when the platform has not told us. */
  followed: boolean | null;
  optedIn: boolean;
  topics: string[];
  province: string | null;
  audience: string | null;
  agentPausedUntil: number | null;
}

function toContact(row: Selectable<ContactTable>): Contact {
  return {
    id: Number(row.id),
    channel: row.channel as ChannelId,
    userId: row.user_id,
    locale: (row.locale as Locale | null) ?? null,
    firstSeenAt: Number(row.first_seen_at),
    lastInboundAt: row.last_inbound_at === null ? null : Number(row.last_inbound_at),
    followed: row.followed === null ? null : row.followed === 1,
    optedIn: row.opted_in === 1,
    topics: row.topics ? row.topics.split(',').filter(Boolean) : [],
    province: row.province,
    audience: row.audience,
    agentPausedUntil: row.agent_paused_until === null ? null : Number(row.agent_paused_until),
  };
}

/** Who the bot talks to, per channel; one row per (channel, user id). */
export class ContactsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(channel: ChannelId, userId: string): Promise<Contact | undefined> {
    const row = await this.db
      .selectFrom('contacts')
      .selectAll()
      .where('channel', '=', channel)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? toContact(row) : undefined;
  }

  /** Creates the contact if new; records an inbound interaction time and platform state when given. */
  async touch(
    channel: ChannelId,
    userId: string,
    now: number,
    changes: { inboundAt?: number; locale?: Locale; followed?: boolean } = {},
  ): Promise<Contact> {
    await this.db
      .insertInto('contacts')
      .values({
        channel,
        user_id: userId,
        locale: changes.locale ?? null,
        first_seen_at: now,
        last_inbound_at: changes.inboundAt ?? null,
        followed: changes.followed === undefined ? null : changes.followed ? 1 : 0,
      })
      .onConflict((oc) => oc.columns(['channel', 'user_id']).doNothing())
      .execute();
    const set: Partial<Record<keyof ContactTable, unknown>> = {};
    if (changes.followed !== undefined) set.followed = changes.followed ? 1 : 0;
    if (Object.keys(set).length > 0 || changes.inboundAt !== undefined) {
      await this.db
        .updateTable('contacts')
        .set((eb) => ({
          ...(set as object),
          ...(changes.inboundAt !== undefined
            ? {
                // Events may arrive out of order: keep the latest interaction time.
                last_inbound_at: eb.fn.coalesce(
                  eb
                    .case()
                    .when('last_inbound_at', '<', changes.inboundAt)
                    .then(changes.inboundAt)
                    .else(eb.ref('last_inbound_at'))
                    .end(),
                  eb.val(changes.inboundAt),
                ),
              }
            : {}),
        }))
        .where('channel', '=', channel)
        .where('user_id', '=', userId)
        .execute();
    }
    const contact = await this.get(channel, userId);
    if (!contact) throw new Error('contact vanished after upsert');
    return contact;
  }

  async setLocale(channel: ChannelId, userId: string, locale: Locale): Promise<void> {
    await this.db
      .updateTable('contacts')
      .set({ locale })
      .where('channel', '=', channel)
      .where('user_id', '=', userId)
      .execute();
  }

  async setFollowed(channel: ChannelId, userId: string, followed: boolean): Promise<void> {
    await this.db
      .updateTable('contacts')
      .set({ followed: followed ? 1 : 0, ...(followed ? {} : { opted_in: 0 }) })
      .where('channel', '=', channel)
      .where('user_id', '=', userId)
      .execute();
  }

  async setAgentPause(channel: ChannelId, userId: string, until: number | null): Promise<void> {
    await this.db
      .updateTable('contacts')
      .set({ agent_paused_until: until })
      .where('channel', '=', channel)
      .where('user_id', '=', userId)
      .execute();
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
