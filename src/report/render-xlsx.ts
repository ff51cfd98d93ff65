import ExcelJS from 'exceljs';
import type { ReportDocument } from './document.js';

/** Excel refuses these in sheet names, and names longer than 31 characters. */
function sheetName(index: number, id: string): string {
  return `${index}. ${id}`.replace(/[[\]:*?/\\]/g, '-').slice(0, 31);
}

/**
 * The annex of figure tables as a workbook: a first sheet with the edition, period and notes,
 * then one sheet per table (counts as numbers, suppressed groups as the text "<5").
 */
export async function renderXlsx(doc: ReportDocument): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = doc.facts.find(([, v]) => v)?.[1] ?? '';
  // A fixed date keeps the same snapshot's workbook byte-for-byte comparable in its figures.
  book.created = new Date(0);
  book.modified = new Date(0);
  const info = book.addWorksheet(doc.locale === 'vi' ? 'Thông tin' : 'About');
  info.addRow([doc.title]).font = { bold: true, size: 13 };
  info.addRow([]);
  for (const [label, value] of doc.facts) info.addRow([label, value]);
  info.addRow([]);
  for (const note of doc.notes) info.addRow([note]);
  info.getColumn(1).width = 40;
  info.getColumn(2).width = 60;

  doc.tables.forEach((table, i) => {
    const sheet = book.addWorksheet(sheetName(i + 1, table.id));
    sheet.addRow([table.title]).font = { bold: true };
    const header = sheet.addRow(table.header);
    header.font = { bold: true };
    for (const row of table.rows) sheet.addRow(row);
    if (table.total) sheet.addRow(table.total).font = { bold: true };
    table.header.forEach((h, c) => {
      const longest = Math.max(h.length, ...table.rows.map((r) => String(r[c] ?? '').length));
      sheet.getColumn(c + 1).width = Math.min(60, Math.max(10, longest + 2));
    });
    sheet.views = [{ state: 'frozen', ySplit: 2 }];
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
