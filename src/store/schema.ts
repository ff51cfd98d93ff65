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

/** A registration; `full_name`/`phone` are cleared on cancellation (data minimisation). */
export interface RegistrationTable {
  id: Generated<number>;
  code: string;
  course_id: string;
  session_id: string;
  channel: string;
  user_id: string;
  full_name: string | null;
  phone: string | null;
  province: string;
  audience: string;
  locale: string;
  status: 'confirmed' | 'waitlisted' | 'cancelled';
  consent_id: number | null;
  created_at: Millis;
  confirmed_at: Millis | null;
  cancelled_at: Millis | null;
}

/** One row per session: registrations for a session take this row's lock first. */
export interface SessionSeatsTable {
  session_id: string;
  capacity: number;
  updated_at: Millis;
}

/** Consent ledger (append-only): every consent given and withdrawn. */
export interface ConsentTable {
  id: Generated<number>;
  channel: string;
  user_id: string;
  purpose: string;
  notice_version: string;
  action: 'given' | 'withdrawn';
  at: Millis;
}

/** Reminders and waitlist promotions to tell a registrant about, one per registration and kind. */
export interface RegistrationNoticeTable {
  id: Generated<number>;
  registration_id: number;
  kind: 'promoted' | 'day-before' | 'hour-before';
  status: 'pending' | 'sending' | 'sent' | 'skipped' | 'failed';
  reason: string | null;
  billed: ColumnType<number, number | undefined, number>;
  attempts: ColumnType<number, number | undefined, number>;
  created_at: Millis;
  updated_at: Millis;
}

/** Anonymous counters (kept when personal data is erased). */
export interface RegistrationStatsTable {
  key: string;
  n: number;
}

export interface BroadcastTable {
  id: Generated<number>;
  status: string;
  /** JSON: the text per language. */
  message: string;
  /** JSON: optional button {payload, title per language}. */
  button: string | null;
  /** JSON: who it is for. */
  segment: string;
  schedule_at: Millis;
  /** JSON: the plan shown when it was created (dry run) or started. */
  plan: string | null;
  created_at: Millis;
  updated_at: Millis;
  started_at: Millis | null;
  finished_at: Millis | null;
}

export interface DeliveryTable {
  id: Generated<number>;
  broadcast_id: number;
  /** NULL once the person was erased (the row stays, anonymous, for the broadcast's counts). */
  contact_id: number | null;
  channel: string;
  /** The platform id; `'erased'` once the person was erased. */
  user_id: string;
  /** The language the recipient got. */
  locale: string | null;
  status: string;
  reason: string | null;
  /** 1 when the platform bills this message (Zalo 48 h - 7 days, Viber outside a session). */
  billed: ColumnType<number, number | undefined, number>;
  message_id: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Millis;
  created_at: Millis;
  updated_at: Millis;
  sent_at: Millis | null;
  /** Platform receipt: delivered, read or failed. */
  receipt: string | null;
  receipt_at: Millis | null;
}

/** Anonymous counters per local day (no text, no contact). */
export interface DailyCountTable {
  day: string;
  key: string;
  n: number;
}

/** A frozen snapshot of the bot's figures for an edition (JSON sections, counts only). */
export interface ReportSnapshotTable {
  id: Generated<number>;
  edition: string;
  taken_at: Millis;
  taken_by: string;
  data: string;
}

/** One saved version of the organisers' part of the report. */
export interface ReportDraftTable {
  id: Generated<number>;
  edition: string;
  version: number;
  saved_at: Millis;
  saved_by: string;
  data: string;
}

/** Status of an outbox row: open (pending, sending) or final. */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped' | 'unknown';

/** One message to deliver (see migrations/010-outbox.ts). */
export interface OutboxTable {
  id: Generated<number>;
  /** `channel:userId`: rows of one conversation are delivered one at a time, in id order. */
  conversation: string;
  channel: string;
  user_id: string;
  /** reply | notice | proactive */
  kind: string;
  /** How the channel sends it (reply | proactive). */
  mode: string;
  /** The notice row a `notice` reports to. */
  ref: number | null;
  /** The OutboundMessage as JSON; cleared once final (it may hold personal data). */
  body: string | null;
  status: OutboxStatus;
  reason: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Millis;
  /** No attempt after this (the platform's window closes). */
  deadline: Millis;
  created_at: Millis;
  updated_at: Millis;
}

/** One person's attempt at a quiz round (one per person per round). */
export interface QuizAttemptTable {
  id: Generated<number>;
  edition: number;
  round_id: string;
  channel: string;
  user_id: string;
  province: string | null;
  locale: string;
  answered: ColumnType<number, number | undefined, number>;
  score: ColumnType<number, number | undefined, number>;
  total: number;
  started_at: Millis;
  finished_at: Millis | null;
  show_on_board: ColumnType<number, number | undefined, number>;
  nickname: string | null;
}

/** One answer of an attempt (the choice index as shown, whether it was right). */
export interface QuizAnswerTable {
  attempt_id: number;
  question_index: number;
  choice_index: number;
  correct: number;
  answered_at: Millis;
}

/** A nomination of an exemplary self-learner, as the nominator gave it. */
export interface NominationTable {
  id: Generated<number>;
  channel: string;
  user_id: string;
  nominee_name: string;
  commune: string;
  province: string;
  story: string;
  contact: string;
  locale: string;
  consent_id: number;
  nominee_agreed: number;
  status: 'pending' | 'accepted' | 'rejected' | 'commended';
  review_note: string | null;
  created_at: Millis;
  reviewed_at: Millis | null;
}

/** The whole schema, as Kysely sees it. */
export interface Database {
  inbox: InboxTable;
  contacts: ContactTable;
  bot_state: BotStateTable;
  kv: KvTable;
  audit_log: AuditTable;
  unanswered_questions: UnansweredQuestionTable;
  registrations: RegistrationTable;
  session_seats: SessionSeatsTable;
  consents: ConsentTable;
  registration_notices: RegistrationNoticeTable;
  registration_stats: RegistrationStatsTable;
  broadcasts: BroadcastTable;
  deliveries: DeliveryTable;
  daily_counts: DailyCountTable;
  report_snapshots: ReportSnapshotTable;
  report_drafts: ReportDraftTable;
  outbox: OutboxTable;
  quiz_attempts: QuizAttemptTable;
  quiz_answers: QuizAnswerTable;
  nominations: NominationTable;
}
