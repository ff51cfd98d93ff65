import { sql, type Kysely, type Transaction } from 'kysely';
import { conversationKey, type ChannelId } from '../core/events.js';
import type { Database } from '../store/schema.js';
import { bumpStats } from './repo.js';

/** Stands in for a platform id in rows kept, anonymous, after the person was erased. */
export const ERASED = 'erased';

/** Audit-log action of the anonymous record every erasure leaves. */
export const ERASURE_ACTION = 'data_subject.erased';

/** Audit-log action of the anonymous record of a retention purge of inactive contacts. */
export const RETENTION_ACTION = 'retention.contacts_erased';

/** How many rows an erasure removed or anonymised, per kind (numbers only: never who). */
export interface ErasureCounts {
  registrations: number;
  /** Entries of the registration consent ledger. */
  consents: number;
  /** Announcement opt-in / opt-out entries of the audit log. */
  subscriptionRecords: number;
  /** Broadcast deliveries kept for the reports, unlinked from the person. */
  deliveries: number;
  /** Unanswered questions the person asked. */
  questions: number;
  /** Inbox rows of the conversation (event ids and the conversation key). */
  inboxEvents: number;
  /** Quiz attempts (with their answers). */
  quizAttempts: number;
  /** Nominations of self-learners the person made (the nominee's name, story and contact). */
  nominations: number;
}

/**
 * Erases what the database holds about one person on one channel, in one transaction:
 * registrations (the caller cancelled the live ones first so waitlists moved on) and their
 * notices; the consent ledger and the announcement opt-in history; the questions they asked;
 * quiz attempts and nominations the person made; the contact row; the processed inbox rows of the conversation and the current event's row
 * (platform event ids can be looked up at the platform). Broadcast deliveries stay for the
 * reports' counts, unlinked: no contact, no platform user or message id; one not sent yet is
 * skipped and one in flight becomes unknown, both with the reason "erased". Dialog state is
 * forgotten by the caller (botbuilder storage, SQL or Redis).
 *
 * What remains is anonymous: a counter and one audit record that an erasure happened (when, on
 * which channel, how many rows of each kind), which is how the controller can show it honoured
 * the request (accountability) without keeping who asked.
 */
export async function eraseUserData(
  db: Kysely<Database>,
  who: { channel: ChannelId; userId: string; currentEventId?: string | undefined },
  now: number,
): Promise<ErasureCounts> {
  const { channel } = who;
  return db.transaction().execute(async (trx) => {
    const counts = await eraseInTransaction(trx, who, now);
    await trx
      .insertInto('audit_log')
      .values({
        at: now,
        actor: 'data-subject',
        action: ERASURE_ACTION,
        detail: JSON.stringify({ channel, ...counts }),
      })
      .execute();
    await bumpStats(trx, ['erasure:total']);
    return counts;
  });
}

/**
 * The same erasure for a contact whose retention ran out (nobody asked, so no audit record per
 * person: the caller records one total). Done only if, inside the transaction, the contact still
 * exists and has not interacted after `inactiveSince` (a message racing the purge keeps them);
 * returns undefined when skipped.
 */
export async function eraseInactiveContact(
  db: Kysely<Database>,
  who: { channel: ChannelId; userId: string },
  inactiveSince: number,
  now: number,
): Promise<ErasureCounts | undefined> {
  return db.transaction().execute(async (trx) => {
    const stale = await trx
      .selectFrom('contacts')
      .select('id')
      .where('channel', '=', who.channel)
      .where('user_id', '=', who.userId)
      .where(lastActivity, '<=', inactiveSince)
      .executeTakeFirst();
    if (stale === undefined) return undefined;
    return eraseInTransaction(trx, who, now);
  });
}

/** A contact's last interaction, or when it was first seen if it never wrote (SQL). */
export const lastActivity = sql<number>`coalesce(last_inbound_at, first_seen_at)`;

async function eraseInTransaction(
  trx: Transaction<Database>,
  who: { channel: ChannelId; userId: string; currentEventId?: string | undefined },
  now: number,
): Promise<ErasureCounts> {
  const { channel, userId } = who;
  const contact = await trx
    .selectFrom('contacts')
    .select('id')
    .where('channel', '=', channel)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const contactId = contact === undefined ? undefined : Number(contact.id);
  const counts: ErasureCounts = {
    registrations: await eraseRegistrations(trx, channel, userId),
    consents: deleted(
      await trx
        .deleteFrom('consents')
        .where('channel', '=', channel)
        .where('user_id', '=', userId)
        .executeTakeFirst(),
    ),
    subscriptionRecords: 0,
    deliveries: await unlinkDeliveries(trx, channel, userId, now),
    questions: 0,
    inboxEvents: await eraseInbox(trx, channel, userId, who.currentEventId),
    quizAttempts: await eraseQuizAttempts(trx, channel, userId),
    nominations: deleted(
      await trx
        .deleteFrom('nominations')
        .where('channel', '=', channel)
        .where('user_id', '=', userId)
        .executeTakeFirst(),
    ),
  };
  if (contactId !== undefined) {
    // The subscriptions repo names the contact by its row id (never reused: AUTOINCREMENT /
    // bigserial), so these are exactly this person's opt-in changes.
    counts.subscriptionRecords = deleted(
      await trx
        .deleteFrom('audit_log')
        .where('actor', '=', `contact:${contactId}`)
        .executeTakeFirst(),
    );
    // Free text can name the person even with phones and e-mails masked: it goes with them.
    counts.questions = deleted(
      await trx
        .deleteFrom('unanswered_questions')
        .where('contact_id', '=', contactId)
        .executeTakeFirst(),
    );
    await trx.deleteFrom('contacts').where('id', '=', contactId).execute();
  }
  return counts;
}

/** The person's quiz attempts and their answers (the report's figures count what remains). */
async function eraseQuizAttempts(
  trx: Transaction<Database>,
  channel: ChannelId,
  userId: string,
): Promise<number> {
  const ids = (
    await trx
      .selectFrom('quiz_attempts')
      .select('id')
      .where('channel', '=', channel)
      .where('user_id', '=', userId)
      .execute()
  ).map((r) => Number(r.id));
  if (ids.length === 0) return 0;
  await trx.deleteFrom('quiz_answers').where('attempt_id', 'in', ids).execute();
  await trx.deleteFrom('quiz_attempts').where('id', 'in', ids).execute();
  return ids.length;
}

function deleted(result: { numDeletedRows: bigint }): number {
  return Number(result.numDeletedRows);
}

async function eraseRegistrations(
  trx: Transaction<Database>,
  channel: ChannelId,
  userId: string,
): Promise<number> {
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
  return ids.length;
}

/**
 * Keeps the person's deliveries for the broadcast reports without anything that leads back to
 * them. A row still `pending` would otherwise be sent to nobody; a row `sending` is in a
 * platform call right now: whether it arrived cannot be known, and the engine only records
 * outcomes of rows still `sending`, so nothing writes the message id back afterwards.
 */
async function unlinkDeliveries(
  trx: Transaction<Database>,
  channel: ChannelId,
  userId: string,
  now: number,
): Promise<number> {
  const mine = () =>
    trx.updateTable('deliveries').where('channel', '=', channel).where('user_id', '=', userId);
  await mine()
    .set({ status: 'skipped', reason: ERASED, updated_at: now })
    .where('status', '=', 'pending')
    .execute();
  await mine()
    .set({ status: 'unknown', reason: ERASED, updated_at: now })
    .where('status', '=', 'sending')
    .execute();
  const result = await mine()
    .set({ contact_id: null, user_id: ERASED, message_id: null })
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Deletes the conversation's processed inbox rows and the current event's row (the turn that
 * asked for erasure; its bookkeeping update then finds nothing, and a crash before it cannot
 * replay the request). Pending rows are later messages that still need their turn. A platform
 * retry of a deleted event is still dropped by the coordinator's dedupe claim, which holds the
 * event id alone (no user id) and expires after two days.
 */
async function eraseInbox(
  trx: Transaction<Database>,
  channel: ChannelId,
  userId: string,
  currentEventId: string | undefined,
): Promise<number> {
  const processed = await trx
    .deleteFrom('inbox')
    .where('conversation', '=', conversationKey({ channel, userId }))
    .where('status', '!=', 'pending')
    .executeTakeFirst();
  let n = deleted(processed);
  // Messages still waiting for them or kept as failed name them too; the turn that asked for
  // erasure queues its answer after this.
  await trx
    .deleteFrom('outbox')
    .where('conversation', '=', conversationKey({ channel, userId }))
    .execute();
  if (currentEventId !== undefined) {
    n += deleted(
      await trx
        .deleteFrom('inbox')
        .where('channel', '=', channel)
        .where('event_id', '=', currentEventId)
        .executeTakeFirst(),
    );
  }
  return n;
}
