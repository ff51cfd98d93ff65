import type { FastifyReply } from 'fastify';
import { CSV_HEADER, registrationRow } from '../admin/registration-routes.js';
import type { Services } from '../services.js';
import type { RegistrationFilter } from './repo.js';

/** Largest export in one workbook (a bigger one should be narrowed with filters). */
const XLSX_MAX_ROWS = 100_000;

/** Registrations matching the filter as an XLSX workbook (UTF-8 strings: Vietnamese intact). */
export async function registrationsXlsx(
  services: Services,
  filter: RegistrationFilter,
): Promise<{ ok: true; body: Buffer } | { ok: false; message: string }> {
  const { items, total } = await services.registration.repo.query(filter, {
    offset: 0,
    limit: XLSX_MAX_ROWS,
  });
  if (total > XLSX_MAX_ROWS)
    return {
      ok: false,
      message: `The export has ${total} rows, more than ${XLSX_MAX_ROWS}: narrow it with filters (course, from, to...).`,
    };
  // Loaded on the first export: exceljs is large and most processes never export.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Lifelong Learning Week';
  const sheet = workbook.addWorksheet('registrations', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = CSV_HEADER.map((header) => ({ header, key: header, width: 18 }));
  sheet.getRow(1).font = { bold: true };
  for (const r of items) {
    // Every value as text or a number: a cell starting with "=" stays text, never a formula.
    sheet.addRow(Object.values(registrationRow(services, r)).map((v) => v ?? ''));
  }
  const body = Buffer.from(await workbook.xlsx.writeBuffer());
  return { ok: true, body };
}

/** Sends a workbook as a download that no cache keeps (it holds names and phone numbers). */
export function sendXlsx(reply: FastifyReply, body: Buffer): FastifyReply {
  return reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', 'attachment; filename="registrations.xlsx"')
    .header('cache-control', 'no-store')
    .send(body);
}
