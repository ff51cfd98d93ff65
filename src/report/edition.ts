import type { Content } from '../content/load.js';
import type { Localized } from '../content/localized.js';

/** What the report needs to know about an edition of the Week (one place to adapt when editions change shape). */
export interface ReportEdition {
  /** How the API names the edition (`?edition=2020`). */
  id: string;
  year: number;
  name: Localized;
  theme: Localized;
  /** First and last day of the Week (yyyy-mm-dd, local). */
  startDate: string;
  endDate: string;
  reportDeadline: string;
  /** The Ministry's letter the report answers ("số hiệu, ngày"), when the edition records it. */
  letterRef: string | null;
  /** Who the report goes to. */
  recipient: Localized;
  /** The organising Department (the data controller named in content/organiser.json). */
  department: Localized;
  /** Course ids of the edition (registrations for other courses belong to other editions). */
  courseIds: string[];
}

/** The letter of 2020 names this recipient; an edition that records its own replaces it. */
const MINISTRY_RECIPIENT: Localized = {
  vi: 'Bộ Giáo dục và Đào tạo (qua Vụ Giáo dục thường xuyên)',
  en: 'Ministry of Education and Training (Department of Continuing Education)',
};

/**
 * The edition named `id` (its year), or the latest edition (content/editions/) when `id` is
 * absent; undefined when unknown.
 */
export function reportEdition(content: Content, id?: string): ReportEdition | undefined {
  const edition =
    id === undefined ? content.edition : content.editions.find((e) => String(e.year) === id);
  if (!edition) return undefined;
  const { letter } = edition;
  const letterDate = letter?.date ? letter.date.split('-').reverse().join('/') : undefined;
  return {
    id: String(edition.year),
    year: edition.year,
    name: edition.name,
    theme: edition.theme,
    startDate: edition.startDate,
    endDate: edition.endDate,
    reportDeadline: edition.reportDeadline,
    letterRef: letter?.number
      ? letterDate
        ? `${letter.number}, ${letterDate}`
        : letter.number
      : null,
    recipient: edition.report?.recipient ?? MINISTRY_RECIPIENT,
    department: content.organiser.controller.name,
    courseIds: content.courses.courses.map((c) => c.id),
  };
}

/** Ids of the editions the report knows (for the 404 message). */
export function reportEditionIds(content: Content): string[] {
  return content.editions.map((e) => String(e.year));
}
