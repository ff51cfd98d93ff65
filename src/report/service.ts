import type { Kysely, Transaction } from 'kysely';
import { nextDay } from '../content/courses.js';
import type { Content } from '../content/load.js';
import type { Clock } from '../core/clock.js';
import type { Translate } from '../i18n.js';
import type { QuizBank } from '../quiz/bank.js';
import { formatDay, localDayStart } from '../registration/time.js';
import type { Store } from '../store/db.js';
import type { Database } from '../store/schema.js';
import { emptyDraft, type Draft } from './draft.js';
import { reportEdition, type ReportEdition } from './edition.js';
import type { Snapshot, SnapshotData, SnapshotWarning, SnapshotWindow } from './model.js';
import { ReportRepo, type DraftVersion } from './repo.js';
import { both } from './section.js';
import { SECTION_SOURCES } from './sources.js';

/** Figures that count the edition's content (courses, rounds) rather than records. */
const CONTENT_FIGURES = new Set(['courses', 'rounds']);

/** Longest period a snapshot may cover (days). */
export const MAX_PERIOD_DAYS = 400;

/** The local days from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to && days.length <= MAX_PERIOD_DAYS; d = nextDay(d)) days.push(d);
  return days;
}

/** The organisers' draft as the API shows it: the latest version, or an empty version 0. */
export interface DraftView {
  edition: string;
  version: number;
  savedAt: number | null;
  savedBy: string | null;
  draft: Draft;
}

/** The results report: snapshots of the bot's figures and the organisers' draft. */
export class ReportService {
  readonly repo: ReportRepo;

  constructor(
    private readonly deps: {
      store: Store;
      content: Content;
      t: Translate;
      clock: Clock;
      timezone: string;
      /** The quiz's rounds, for the contest figures. */
      quizBank?: QuizBank;
    },
  ) {
    this.repo = new ReportRepo(deps.store.db);
  }

  /** The edition named `id`, or the current one. */
  edition(id?: string): ReportEdition | undefined {
    return reportEdition(this.deps.content, id);
  }

  /** Takes and stores a snapshot of the bot's figures over the edition's dates (or `period`). */
  async takeSnapshot(
    edition: ReportEdition,
    takenBy: string,
    period: { from?: string; to?: string } = {},
  ): Promise<Snapshot> {
    const { store, content, t, clock, timezone, quizBank } = this.deps;
    const now = clock.now();
    const fromDay = period.from ?? edition.startDate;
    const toDay = period.to ?? edition.endDate;
    const window: SnapshotWindow = {
      from: localDayStart(fromDay, timezone),
      to: localDayStart(nextDay(toDay), timezone),
      days: daysBetween(fromDay, toDay),
      timezone,
    };
    // One consistent read: the inbox purge moves rows into the daily counters meanwhile.
    const read = async (db: Transaction<Database> | Kysely<Database>) => {
      const sections = [];
      for (const source of SECTION_SOURCES)
        sections.push(
          await source.collect({
            db,
            content,
            edition,
            window,
            t,
            ...(quizBank ? { quizBank } : {}),
          }),
        );
      return sections;
    };
    const begin = store.db.transaction();
    const sections = await (
      store.dialect === 'postgres' ? begin.setIsolationLevel('repeatable read') : begin
    ).execute(read);
    const warnings: SnapshotWarning[] = [];
    if (now < window.from)
      warnings.push({
        code: 'before-start',
        message: {
          vi: t('vi', 'report:warning.beforeStart', { start: formatDay(fromDay, 'vi') }),
          en: t('en', 'report:warning.beforeStart', { start: formatDay(fromDay, 'en') }),
        },
      });
    else if (now < window.to)
      warnings.push({
        code: 'during-edition',
        message: {
          vi: t('vi', 'report:warning.during', { end: formatDay(toDay, 'vi') }),
          en: t('en', 'report:warning.during', { end: formatDay(toDay, 'en') }),
        },
      });
    // Courses and quiz rounds are counted from the content, not from what people did.
    const anything = sections.some((s) =>
      s.figures.some((f) => !CONTENT_FIGURES.has(f.key) && f.value > 0),
    );
    if (!anything) warnings.push({ code: 'no-data', message: both(t, 'warning.noData') });
    const data: SnapshotData = {
      edition: edition.id,
      period: { from: fromDay, to: toDay },
      timezone,
      takenAt: new Date(now).toISOString(),
      warnings,
      sections,
    };
    const id = await this.repo.insertSnapshot(data, now, takenBy);
    return { id, edition: edition.id, takenAt: now, takenBy, data };
  }

  /** The organisers' latest draft, or an empty one (version 0). */
  async draft(edition: ReportEdition): Promise<DraftView> {
    const saved: DraftVersion<Draft> | undefined = await this.repo.draft<Draft>(edition.id);
    return {
      edition: edition.id,
      version: saved?.version ?? 0,
      savedAt: saved?.savedAt ?? null,
      savedBy: saved?.savedBy ?? null,
      draft: saved ? { ...emptyDraft(), ...saved.data } : emptyDraft(),
    };
  }

  /** Saves a new version on top of `expected`; undefined when someone saved in between. */
  async saveDraft(
    edition: ReportEdition,
    expected: number,
    draft: Draft,
    savedBy: string,
  ): Promise<DraftView | undefined> {
    const now = this.deps.clock.now();
    const ok = await this.repo.saveDraft(edition.id, expected, draft, savedBy, now);
    if (!ok) return undefined;
    return { edition: edition.id, version: expected + 1, savedAt: now, savedBy, draft };
  }
}
