import type { Locale } from '../core/events.js';
import type { Services } from '../services.js';
import { buildDocument, type ReportDocument } from './document.js';
import type { ReportEdition } from './edition.js';
import type { Snapshot } from './model.js';
import { renderHtml } from './render-html.js';
import { ReportService } from './service.js';

/** The formats the report is exported in. */
export type ReportFormat = 'docx' | 'xlsx' | 'html';

/** Content types of the exports. */
export const REPORT_TYPES: Record<ReportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html; charset=utf-8',
};

/** The report service of these services (the admin API and the dashboard share its records). */
export function reportService(services: Services): ReportService {
  return new ReportService({
    store: services.store,
    content: services.content,
    t: services.t,
    clock: services.clock,
    timezone: services.config.timezone,
    quizBank: services.quiz.bank,
  });
}

/** The report of an edition in one language, from a snapshot (the latest unless one is named). */
export async function loadReport(
  report: ReportService,
  services: Pick<Services, 't' | 'config'>,
  edition: ReportEdition,
  options: { snapshot?: number; lang: Locale },
): Promise<{ doc: ReportDocument; snapshot: Snapshot | undefined } | undefined> {
  const snapshot = await report.repo.snapshot(edition.id, options.snapshot);
  if (options.snapshot !== undefined && !snapshot) return undefined;
  const { draft } = await report.draft(edition);
  const doc = buildDocument({
    edition,
    snapshot,
    draft,
    t: services.t,
    locale: options.lang,
    timezone: services.config.timezone,
  });
  return { doc, snapshot };
}

/** The file name a download is saved under. */
export function reportFileName(edition: ReportEdition, format: ReportFormat): string {
  return `bao-cao-tuan-le-hoc-tap-suot-doi-${edition.id}.${format}`;
}

/** The warnings an export carries in `X-Report-Warnings`. */
export function reportWarnings(snapshot: Snapshot | undefined): string {
  const codes = snapshot ? snapshot.data.warnings.map((w) => w.code) : ['no-snapshot'];
  return codes.join(',') || 'none';
}

/** The report written in a format. */
export async function renderReport(
  doc: ReportDocument,
  format: ReportFormat,
): Promise<Buffer | string> {
  if (format === 'html') return renderHtml(doc);
  // The Word and Excel writers are loaded on first use: exceljs alone adds about a second to
  // every start of the server.
  if (format === 'docx') {
    const { renderDocx } = await import('./render-docx.js');
    return renderDocx(doc);
  }
  const { renderXlsx } = await import('./render-xlsx.js');
  return renderXlsx(doc);
}
