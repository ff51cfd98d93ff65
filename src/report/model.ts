import type { Localized } from '../content/localized.js';

/** Where a section's figures go in part II of the provinces' report. */
export const REPORT_PARTS = [
  'publicity',
  'opening',
  'online',
  'safe-internet',
  'contests',
  'libraries',
  'other-classes',
  'commendations',
  'funding',
] as const;
export type ReportPart = (typeof REPORT_PARTS)[number];

/** A cell: a count, a label that reads the same in both languages (a day, an id), or a text in each. */
export type Cell = string | number | Localized;

/** A table of counts. `small: true` marks a breakdown by province or audience (groups under 5 show as "<5"). */
export interface FigureTable {
  id: string;
  title: Localized;
  columns: Array<{ key: string; title: Localized }>;
  rows: Array<Record<string, Cell>>;
  /** The row of totals, when the figures add up. */
  total?: Record<string, Cell>;
  small?: boolean;
}

/** One named section of a snapshot; features add their own (nominations, contests, campaigns). */
export interface SnapshotSection {
  id: string;
  part: ReportPart;
  title: Localized;
  /** Headline figures ("people reached: 1,234"), in the order the report tells them. */
  figures: Array<{ key: string; label: Localized; value: number; small?: boolean }>;
  tables: FigureTable[];
  /** What each figure means and where it comes from. */
  notes: Localized[];
}

/** A warning the report shows with the figures (no data, taken before the Week...). */
export interface SnapshotWarning {
  code: 'no-data' | 'before-start' | 'during-edition';
  message: Localized;
}

/** The frozen figures of an edition. */
export interface SnapshotData {
  edition: string;
  /** The local days the figures cover (the edition's dates). */
  period: { from: string; to: string };
  timezone: string;
  takenAt: string;
  warnings: SnapshotWarning[];
  sections: SnapshotSection[];
}

/** A stored snapshot. */
export interface Snapshot {
  id: number;
  edition: string;
  takenAt: number;
  takenBy: string;
  data: SnapshotData;
}

/** The window a section counts over: epoch ms [from, to) and the local days in it. */
export interface SnapshotWindow {
  from: number;
  to: number;
  days: string[];
  timezone: string;
}
