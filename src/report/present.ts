import type { Locale } from '../core/events.js';
import type { Cell, FigureTable } from './model.js';

/** Smallest group a breakdown by province or audience shows as a number. */
export const SMALL_GROUP = 5;

/** A table ready to print in one language: suppressed cells are the text "<5". */
export interface PresentedTable {
  id: string;
  title: string;
  header: string[];
  rows: Array<Array<string | number>>;
  total?: Array<string | number>;
}

/** A count as written in the language: 1.234 (vi), 1,234 (en). */
export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB').format(n);
}

/** A count of a small-group breakdown: 1 to 4 become "<5" (0 stays 0: nobody to single out). */
export function suppress(n: number): string | number {
  return n > 0 && n < SMALL_GROUP ? `<${SMALL_GROUP}` : n;
}

/** The text of a label cell in a language. */
export function label(cell: Cell | undefined, locale: Locale): string | number {
  if (cell === undefined) return '';
  if (typeof cell === 'object') return cell[locale];
  return cell;
}

/** A snapshot table in one language, with groups under 5 suppressed where the table asks for it. */
export function presentTable(table: FigureTable, locale: Locale): PresentedTable {
  const row = (r: Record<string, Cell>) =>
    table.columns.map(({ key }) => {
      const v = label(r[key], locale);
      return table.small && typeof v === 'number' ? suppress(v) : v;
    });
  return {
    id: table.id,
    title: table.title[locale],
    header: table.columns.map((c) => c.title[locale]),
    rows: table.rows.map(row),
    // Totals are exact: they are not a group of a breakdown.
    ...(table.total
      ? { total: table.columns.map(({ key }) => label(table.total![key], locale)) }
      : {}),
  };
}

/** A presented cell as text (numbers formatted for the language). */
export function cellText(value: string | number, locale: Locale): string {
  return typeof value === 'number' ? formatNumber(value, locale) : value;
}
