import type { Kysely } from 'kysely';
import type { ChannelId } from '../core/events.js';
import type { Database } from '../store/schema.js';
import { bumpStats } from './repo.js';

/** The purpose people consent to when they register (Law 91/2025/QH15: consent per purpose). */
export const REGISTRATION_PURPOSE = 'course-registration';

/** One entry of the consent ledger. */
export interface ConsentEntry {
  id: number;
  purpose: string;
  noticeVersion: string;
  action: 'given' | 'withdrawn';
  at: number;
  channel: ChannelId;
}

/** The consent ledger: append-only records of consents given and withdrawn. */
export class ConsentLedger {
  constructor(private readonly db: Kysely<Database>) {}

  /** Everything recorded for a user, oldest first. */
  async history(channel: ChannelId, userId: string): Promise<ConsentEntry[]> {
    const rows = await this.db
      .selectFrom('consents')
      .selectAll()
      .where('channel', '=', channel)
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      purpose: r.purpose,
      noticeVersion: r.notice_version,
      action: r.action,
      at: Number(r.at),
      channel: r.channel as ChannelId,
    }));
  }

  /** True when the user's latest entry for the purpose is a consent that was not withdrawn. */
  async isGiven(channel: ChannelId, userId: string, purpose: string): Promise<boolean> {
    const last = await this.db
      .selectFrom('consents')
      .select('action')
      .where('channel', '=', channel)
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return last?.action === 'given';
  }

  /** Records a withdrawal (the notice version is the one in force when it was withdrawn). */
  async withdraw(
    channel: ChannelId,
    userId: string,
    purpose: string,
    noticeVersion: string,
    now: number,
  ): Promise<void> {
    await this.db
      .insertInto('consents')
      .values({
        channel,
        user_id: userId,
        purpose,
        notice_version: noticeVersion,
        action: 'withdrawn',
        at: now,
      })
      .execute();
    await bumpStats(this.db, ['consent:withdrawn']);
  }
}
