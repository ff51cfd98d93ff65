/** An RFC 4180 reader (quotes, doubled quotes, CRLF), to read the CSV export back as a user's spreadsheet would. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  return rows;
}

/** The CSV rows as records keyed by the header row. */
export function csvRecords(text: string): Array<Record<string, string>> {
  const [header = [], ...records] = parseCsv(text);
  return records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
