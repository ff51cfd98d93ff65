import type { ColumnType, Generated } from 'kysely';

/** Epoch milliseconds; stored as BIGINT on PostgreSQL and INTEGER on SQLite. */
export type Millis = number;

export interface InboxTable {
  id: Generated<number>;
  channel: string;
  event_id: string;
  conversation: string;
  kind: string;
  /** The normalised event as JSON; cleared once processed (it may hold what a citizen wrote). */
  body: string | null;
  status: 'pending' | 'done' | 'failed';
  attempts: ColumnType<number, number | undefined, number>;
  received_at: Millis;
  processed_at: Millis | null;
}

export interface ContactTable {
  id: Generated<number>;
  channel: string;
  user_id: string;
  locale: string | null;
  first_seen_at: Millis;
  last_inbound_at: Millis | null;
  /** Platform-level state: followed (Zalo), subscribed (Viber); null when unknown. */
  followed: number | null;
  /** Announcements opt-in (silence is not consent). */
  opted_in: ColumnType<number, number | undefined, number>;
  /** Comma-separated announcement topics. */
  topics: string | null;
  province: string | null;
  audience: string | null;
  agent_paused_until: Millis | null;
}

export interface BotStateTable {
  key: string;
  doc: string;
  updated_at: Millis;
}

export interface KvTable {
  key: string;
  value: string;
  updated_at: Millis;
}

export interface AuditTable {
  id: Generated<number>;
  at: Millis;
  actor: string;
  action: string;
  detail: string | null;
}

export interface UnansweredQuestionTable {
  id: Generated<number>;
  /** What was asked, with phone numbers and e-mail addresses masked. */
  text: string;
  channel: string;
  contact_id: number | null;
  outcome: 'none' | 'suggested';
  asked_at: Millis;
}

/** The whole schema, as Kysely sees it. */
export interface Database {
  inbox: InboxTable;
  contacts: ContactTable;
  bot_state: BotStateTable;
  kv: KvTable;
  audit_log: AuditTable;
  unanswered_questions: UnansweredQuestionTable;
}
