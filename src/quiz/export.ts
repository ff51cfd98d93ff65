import type { CsvValue } from '../registration/csv.js';
import { provinceName } from '../registration/provinces.js';
import { isoLocal } from '../registration/time.js';
import type { QuizService } from './service.js';

/** Columns of the results export (CSV and XLSX alike). */
export const RESULT_COLUMNS = [
  'round_id',
  'attempt_id',
  'channel',
  'province_id',
  'province',
  'score',
  'total',
  'passed',
  'rank_in_province',
  'duration_seconds',
  'started_at',
  'finished_at',
  'nickname_shown',
] as const;

/**
 * The results of the edition (or one round) as rows, best first within each round. No platform
 * ids and no nickname of someone who did not agree to be shown: the export holds what the
 * report needs.
 */
export async function resultRows(
  service: QuizService,
  timezone: string,
  roundId?: string,
): Promise<CsvValue[][]> {
  const rows: CsvValue[][] = [];
  for (const round of service.bank.rounds) {
    if (roundId && round.id !== roundId) continue;
    const ranked = await service.repo.ranked(service.bank.edition, round.id);
    const unfinished = (await service.repo.all(service.bank.edition, round.id)).filter(
      (a) => a.finishedAt === null,
    );
    const places = new Map<string, number>();
    for (const a of [...ranked, ...unfinished]) {
      const finished = a.finishedAt !== null;
      const key = a.province ?? '';
      const rank = finished && a.province ? (places.get(key) ?? 0) + 1 : null;
      if (rank !== null) places.set(key, rank);
      rows.push([
        round.id,
        a.id,
        a.channel,
        a.province,
        a.province ? provinceName(a.province, 'vi') : null,
        a.score,
        a.total,
        service.passed(round, a) ? 'yes' : 'no',
        rank,
        finished ? Math.round((a.finishedAt! - a.startedAt) / 1000) : null,
        isoLocal(a.startedAt, timezone),
        finished ? isoLocal(a.finishedAt!, timezone) : null,
        a.showOnBoard ? a.nickname : null,
      ]);
    }
  }
  return rows;
}

/** The same rows as an XLSX workbook (one sheet, a bold header row). */
export async function toXlsx(header: readonly string[], rows: CsvValue[][]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('results');
  sheet.addRow([...header]).font = { bold: true };
  for (const row of rows) sheet.addRow(row.map((v) => (v === undefined ? null : v)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
