import type { Kysely } from 'kysely';
import type { Database, Millis } from '../store/schema.js';

/** Admin tokens (migration 020): only the SHA-256 of a token is stored. */
export interface AdminTokenTable {
  id: import('kysely').Generated<number>;
  name: string;
  role: string;
  token_hash: string;
  /** "setup": the one-time owner sign-in made on a first start without ADMIN_TOKEN. */
  source: 'env' | 'store' | 'setup';
  created_by: string | null;
  created_at: Millis;
  revoked_at: Millis | null;
  last_used_at: Millis | null;
}

/** Browser sessions of the dashboard (the cookie carries the id; the table its SHA-256). */
export interface AdminSessionTable {
  id_hash: string;
  token_id: number;
  created_at: Millis;
  expires_at: Millis;
}

/** Who asked for a broadcast from the dashboard or API, and who approved it. */
export interface BroadcastApprovalTable {
  broadcast_id: number;
  requested_by: string;
  requested_at: Millis;
  approved_by: string | null;
  approved_at: Millis | null;
}

/** A registration the organiser marked as attended. */
export interface AttendanceTable {
  registration_id: number;
  marked_by: string;
  marked_at: Millis;
}

/** What an organiser did with an unanswered question. */
export interface QuestionResolutionTable {
  question_id: number;
  action: 'answered' | 'faq' | 'dismissed';
  actor: string;
  at: Millis;
}

/** Every version of an FAQ entry changed at run time. */
export interface FaqChangeTable {
  id: import('kysely').Generated<number>;
  entry_id: string;
  version: number;
  entry: string;
  action: string;
  actor: string;
  at: Millis;
}

/** Every version of an event, of the contacts or of a course changed at run time (migration 021). */
export interface ContentChangeTable {
  id: import('kysely').Generated<number>;
  kind: 'event' | 'contacts' | 'course';
  item: string;
  version: number;
  data: string;
  action: string;
  actor: string;
  at: Millis;
}

/** The store's schema plus the dashboard's tables. */
export interface DashboardDatabase extends Database {
  admin_tokens: AdminTokenTable;
  admin_sessions: AdminSessionTable;
  broadcast_approvals: BroadcastApprovalTable;
  attendance: AttendanceTable;
  question_resolutions: QuestionResolutionTable;
  faq_changes: FaqChangeTable;
  content_changes: ContentChangeTable;
}

/** The store's database seen with the dashboard's tables. */
export function dashboardDb(db: Kysely<Database>): Kysely<DashboardDatabase> {
  return db.withTables<Omit<DashboardDatabase, keyof Database>>();
}
