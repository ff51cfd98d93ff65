import { sql, type Kysely, type Selectable } from 'kysely';
import type { ChannelId, Locale } from '../core/events.js';
import { firstPendingOf } from './inbox-repo.js';
import { Prepared, type Slot } from './prepared.js';
import { directWriter, type Writer } from './write-group.js';
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

// The locale is set only when the contact is created (a person's choice later wins); a platform
// follow state given replaces the stored one; events may arrive out of order, so the latest
// interaction time is kept.
function touchContact(db: Kysely<Database>, $: Slot) {
  return db
    .insertInto('contacts')
    .values({
      channel: $('channel'),
      user_id: $('userId'),
      locale: $('locale'),
      first_seen_at: $('now'),
      last_inbound_at: $('inboundAt'),
      followed: $('followed'),
    })
    .onConflict((oc) =>
      oc.columns(['channel', 'user_id']).doUpdateSet({
        followed: sql<number | null>`coalesce(excluded.followed, contacts.followed)`,
        last_inbound_at: sql<number | null>`case
          when excluded.last_inbound_at is null then contacts.last_inbound_at
          when contacts.last_inbound_at is null
            or contacts.last_inbound_at < excluded.last_inbound_at
            then excluded.last_inbound_at
          else contacts.last_inbound_at end`,
      }),
    )
    .returningAll();
}

const TOUCH = new Prepared<Selectable<ContactTable>>((db, $) => touchContact(db, $));

// The same, returning the conversation's stored dialog state too: the turn that follows needs both.
const TOUCH_WITH_STATE = new Prepared<Selectable<ContactTable> & { state_doc: string | null }>(
  (db, $) =>
    touchContact(db, $).returning((eb) =>
      eb.selectFrom('bot_state').select('doc').where('key', '=', $('stateKey')).as('state_doc'),
    ),
);

// The same again, with the id of the conversation's oldest pending inbox row: a process that runs
// the rows it recorded from memory learns in this one statement whether one is still its turn.
const TOUCH_WITH_STATE_AND_TURN = new Prepared<
  Selectable<ContactTable> & { state_doc: string | null; first_pending: number | string | null }
>((db, $) =>
  touchContact(db, $).returning((eb) => [
    eb.selectFrom('bot_state').select('doc').where('key', '=', $('stateKey')).as('state_doc'),
    firstPendingOf($).as('first_pending'),
  ]),
);

/** What a turn's upsert returns: the contact, its dialog state and, when asked, `first_pending`. */
type TurnRow = Selectable<ContactTable> & {
  state_doc: string | null;
  first_pending?: number | string | null;
};

/** What a touch changes, as the statement's parameters. */
interface TouchChanges {
  inboundAt?: number;
  locale?: Locale;
  followed?: boolean;
}

function touchParams(channel: ChannelId, userId: string, now: number, changes: TouchChanges) {
  return {
    channel,
    userId,
    locale: changes.locale ?? null,
    now,
    inboundAt: changes.inboundAt ?? null,
    followed: changes.followed === undefined ? null : changes.followed ? 1 : 0,
  };
}

/** Who the bot talks to, per channel; one row per (channel, user id). */
export class ContactsRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly write: Writer = directWriter(db),
  ) {}

  async get(channel: ChannelId, userId: string): Promise<Contact | undefined> {
    const row = await this.db
      .selectFrom('contacts')
      .selectAll()
      .where('channel', '=', channel)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? toContact(row) : undefined;
  }

  /**
   * Creates the contact if new; records an inbound interaction time and platform state when given.
   * One statement (an upsert returning the row): it runs on every turn.
   */
  async touch(
    channel: ChannelId,
    userId: string,
    now: number,
    changes: TouchChanges = {},
  ): Promise<Contact> {
    const params = touchParams(channel, userId, now, changes);
    const [row] = await this.write((db) => TOUCH.rows(db, params));
    if (!row) throw new Error('contact upsert returned no row');
    return toContact(row);
  }

  /**
   * `touch`, also reading the dialog state stored under `stateKey` (null when none), in the same
   * statement: what a turn reads before it runs, in one round trip. With `conversation`, also the
   * id of its oldest pending inbox row (`firstPending`, null when none).
   */
  async touchWithState(
    channel: ChannelId,
    userId: string,
    now: number,
    changes: TouchChanges,
    stateKey: string,
    conversation?: string,
  ): Promise<{ contact: Contact; stateDoc: string | null; firstPending?: number | null }> {
    const params = { ...touchParams(channel, userId, now, changes), stateKey };
    const [row]: Array<TurnRow> = await this.write((db) =>
      conversation === undefined
        ? TOUCH_WITH_STATE.rows(db, params)
        : TOUCH_WITH_STATE_AND_TURN.rows(db, { ...params, conversation }),
    );
    if (!row) throw new Error('contact upsert returned no row');
    const { state_doc: stateDoc, first_pending: first, ...contact } = row;
    const read = { contact: toContact(contact), stateDoc: stateDoc ?? null };
    if (conversation === undefined) return read;
    return { ...read, firstPending: first === null || first === undefined ? null : Number(first) };
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
