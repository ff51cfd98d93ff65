import ExcelJS from 'exceljs';
import { inflateRawSync } from 'node:zlib';

/** Reads the files of a ZIP archive (stored or deflated), as Word and Excel write them. */
export function unzip(archive: Buffer): Map<string, Buffer> {
  // The end-of-central-directory record: the last "PK\x05\x06" in the file.
  let eocd = archive.length - 22;
  while (eocd >= 0 && archive.readUInt32LE(eocd) !== 0x06054b50) eocd -= 1;
  if (eocd < 0) throw new Error('not a ZIP archive: no end of central directory');
  const count = archive.readUInt16LE(eocd + 10);
  let at = archive.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i += 1) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error('broken central directory');
    const method = archive.readUInt16LE(at + 10);
    const size = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extra = archive.readUInt16LE(at + 30);
    const comment = archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const data = archive.subarray(start, start + size);
    files.set(name, method === 0 ? Buffer.from(data) : inflateRawSync(data));
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

/** The text of a Word document's paragraphs and its tables (rows of cell texts), in order. */
export function readDocx(archive: Buffer): {
  xml: string;
  paragraphs: string[];
  tables: string[][][];
} {
  const xml = unzip(archive).get('word/document.xml')?.toString('utf8');
  if (!xml) throw new Error('no word/document.xml in the archive');
  const text = (fragment: string) =>
    [...fragment.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)]
      .map((m) => m[1]!)
      .join('')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => text(m[0]));
  const tables = [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((m) =>
    [...m[0].matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((row) =>
      [...row[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((cell) => text(cell[0])),
    ),
  );
  return { xml, paragraphs, tables };
}

/** The rows of a Word table whose first row (its header) contains every one of `headers`. */
export function docxTable(tables: string[][][], ...headers: string[]): string[][] {
  const found = tables.find((t) => headers.every((h) => t[0]?.includes(h)));
  if (!found)
    throw new Error(`no table with the columns ${headers.map((h) => `"${h}"`).join(', ')}`);
  return found;
}

/** The rows of the workbook sheet holding table `id`, as cell values. */
export async function xlsxTable(file: Buffer, id: string): Promise<unknown[][]> {
  const book = new ExcelJS.Workbook();
  // exceljs types its argument as the older non-generic Buffer.
  await book.xlsx.load(file as unknown as Parameters<typeof book.xlsx.load>[0]);
  const sheet = book.worksheets.find((s) => s.name.endsWith(` ${id}`));
  if (!sheet)
    throw new Error(`no sheet for ${id}: ${book.worksheets.map((s) => s.name).join(', ')}`);
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}
