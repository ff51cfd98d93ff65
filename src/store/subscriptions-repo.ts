import type { Kysely } from 'kysely';
import type { ChannelId } from '../core/events.js';
import type { Database } from './schema.js';

/**
 * Announcement subscriptions (opt-in and topics) on contacts, each change also written to the
 * audit log in the same transaction: when and how consent was given or withdrawn.
 */
export class SubscriptionsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async set(
    channel: ChannelId,
    userId: string,
    subscription: { optedIn: boolean; topics: string[] },
    now: number,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const contact = await trx
        .updateTable('contacts')
        .set({
          opted_in: subscription.optedIn ? 1 : 0,
          topics: subscription.optedIn ? subscription.topics.join(',') : null,
        })
        .where('channel', '=', channel)
        .where('user_id', '=', userId)
        .returning('id')
        .executeTakeFirst();
      if (!contact) return;
      await trx
        .insertInto('audit_log')
        .values({
          at: now,
          actor: `contact:${contact.id}`,
          action: subscription.optedIn ? 'subscription.opt_in' : 'subscription.opt_out',
          detail: JSON.stringify({ channel, topics: subscription.topics }),
        })
        .execute();
    });
  }
}
