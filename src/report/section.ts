import type { Kysely, Transaction } from 'kysely';
import type { Content } from '../content/load.js';
import type { Localized } from '../content/localized.js';
import type { Translate } from '../i18n.js';
import type { QuizBank } from '../quiz/bank.js';
import type { Database } from '../store/schema.js';
import type { ReportEdition } from './edition.js';
import type { SnapshotSection, SnapshotWindow } from './model.js';

/** What a section source reads from: one consistent read of the records, the content, the window. */
export interface SectionContext {
  db: Kysely<Database> | Transaction<Database>;
  content: Content;
  edition: ReportEdition;
  window: SnapshotWindow;
  t: Translate;
  /** The quiz's rounds (content/quiz.json), when the contest runs. */
  quizBank?: QuizBank;
}

/** A named part of the snapshot; another feature adds one to `SECTION_SOURCES` to add its figures. */
export interface SectionSource {
  id: string;
  collect(ctx: SectionContext): Promise<SnapshotSection>;
}

/** A report text in both languages (`report:<key>`). */
export function both(t: Translate, key: string, vars?: Record<string, unknown>): Localized {
  const k = key.includes(':') ? key : `report:${key}`;
  return { vi: t('vi', k, vars), en: t('en', k, vars) };
}

/** Adds `n` to `map[key]`. */
export function add(map: Map<string, number>, key: string, n = 1): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/** The channels a report lists, in a fixed order (a channel without figures still shows 0). */
export const REPORT_CHANNELS = ['zalo', 'messenger', 'viber', 'simulator'] as const;
