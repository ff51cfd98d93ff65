import type { Kysely } from 'kysely';
import { conversationKey, type ChannelId } from '../core/events.js';
import type { Database } from '../store/schema.js';
import { bumpStats } from './repo.js';

/** Stands in for a conversation key in inbox rows once the person's data is erased. */
export const ERASED_CONVERSATION = 'erased';

/**
 * Erases what the database holds about one person on one channel: registrations (already
 * cancelled by the caller so waitlists moved on), their notices, the consent ledger, the contact
 * row, and the conversation key of processed inbox rows (`currentEventId`, the event of the turn
 * that asked, is included although it is still being processed). Dialog state is forgotten by
 * the caller (it lives in botbuilder storage, SQL or Redis). Only an anonymous counter remains.
 */
export async function eraseUserData(
  db: Kysely<Database>,
  who: { channel: ChannelId; userId: string; currentEventId?: string | undefined },
): Promise<{ registrations: number; consents: number }> {
  const { channel, userId } = who;
  return db.transaction().execute(async (trx) => {
    const ids = (
      await trx
        .selectFrom('registrations')
        .select('id')
        .where('channel', '=', channel)
        .where('user_id', '=', userId)
        .execute()
    ).map((r) => Number(r.id));
    if (ids.length > 0) {
      await trx.deleteFrom('registration_notices').where('registration_id', 'in', ids).execute();
      await trx.deleteFrom('registrations').where('id', 'in', ids).execute();
    }
    const consents = await trx
      .deleteFrom('consents')
      .where('channel', '=', channel)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    await trx
      .deleteFrom('contacts')
      .where('channel', '=', channel)
      .where('user_id', '=', userId)
      .execute();
    const conversation = conversationKey({ channel, userId });
    // Pending events are left alone: they are later messages that still need their turn.
    await trx
      .updateTable('inbox')
      .set({ conversation: ERASED_CONVERSATION })
      .where('conversation', '=', conversation)
      .where('status', '!=', 'pending')
      .execute();
    if (who.currentEventId !== undefined) {
      await trx
        .updateTable('inbox')
        .set({ conversation: ERASED_CONVERSATION })
        .where('channel', '=', channel)
        .where('event_id', '=', who.currentEventId)
        .execute();
    }
    await bumpStats(trx, ['erasure:total']);
    return { registrations: ids.length, consents: Number(consents.numDeletedRows) };
  });
}
