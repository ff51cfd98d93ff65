import type { ChannelId, Locale } from '../../src/core/events.js';
import type { Store } from '../../src/store/db.js';

/** A contact to seed; everything but channel and user id has a default. */
export interface SeedContact {
  channel: ChannelId;
  userId: string;
  locale?: Locale | null;
  lastInboundAt?: number | null;
  followed?: boolean | null;
  optedIn?: boolean;
  topics?: string[];
  province?: string | null;
  audience?: string | null;
}

/** Inserts contacts directly (as webhooks and the subscription flow would have left them). */
export async function seedContacts(
  store: Store,
  contacts: SeedContact[],
  now: number,
): Promise<void> {
  for (let i = 0; i < contacts.length; i += 500) {
    await store.db
      .insertInto('contacts')
      .values(
        contacts.slice(i, i + 500).map((c) => ({
          channel: c.channel,
          user_id: c.userId,
          locale: c.locale ?? null,
          first_seen_at: now,
          last_inbound_at: c.lastInboundAt === undefined ? now : c.lastInboundAt,
          followed: c.followed === undefined || c.followed === null ? null : c.followed ? 1 : 0,
          opted_in: c.optedIn === false ? 0 : 1,
          topics: c.topics ? c.topics.join(',') : 'all',
          province: c.province ?? null,
          audience: c.audience ?? null,
        })),
      )
      .execute();
  }
}
