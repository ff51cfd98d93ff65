import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Block, ReportDocument } from './document.js';
import { cellText, type PresentedTable } from './present.js';

/** Times New Roman 13 pt, as administrative documents are written (Decree 30/2020). */
const FONT = 'Times New Roman';
const SIZE = 26;
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

function run(
  text: string,
  options: { bold?: boolean; italic?: boolean; size?: number } = {},
): TextRun {
  return new TextRun({
    text,
    font: FONT,
    size: options.size ?? SIZE,
    bold: options.bold ?? false,
    italics: options.italic ?? false,
  });
}

function letterhead(doc: ReportDocument): Table {
  const side = (lines: string[], width: number) =>
    new TableCell({
      width: { size: width, type: WidthType.PERCENTAGE },
      borders: { top: NONE, bottom: NONE, left: NONE, right: NONE },
      children: lines.map(
        (line, i) =>
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [run(line, { bold: true, size: i === 0 ? 24 : 26 })],
          }),
      ),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: {
      top: NONE,
      bottom: NONE,
      left: NONE,
      right: NONE,
      insideHorizontal: NONE,
      insideVertical: NONE,
    },
    rows: [
      new TableRow({ children: [side(doc.letterhead.left, 40), side(doc.letterhead.right, 60)] }),
    ],
  });
}

function figureTable(
  t: PresentedTable,
  locale: ReportDocument['locale'],
): Array<Paragraph | Table> {
  const cell = (v: string | number, bold = false) =>
    new TableCell({
      children: [
        new Paragraph({
          alignment: typeof v === 'number' || v === '<5' ? AlignmentType.RIGHT : AlignmentType.LEFT,
          children: [run(cellText(v, locale), { bold, size: 22 })],
        }),
      ],
    });
  const rows = [
    new TableRow({ tableHeader: true, children: t.header.map((h) => cell(h, true)) }),
    ...t.rows.map((r) => new TableRow({ children: r.map((v) => cell(v)) })),
    ...(t.total ? [new TableRow({ children: t.total.map((v) => cell(v, true)) })] : []),
  ];
  return [
    new Paragraph({ spacing: { before: 120 }, children: [run(t.title, { italic: true })] }),
    new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows }),
  ];
}

function block(b: Block, locale: ReportDocument['locale']): Array<Paragraph | Table> {
  switch (b.kind) {
    case 'heading':
      return [
        new Paragraph({
          heading: [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3][
            b.level - 1
          ],
          spacing: { before: 200, after: 80 },
          children: [
            run(b.level === 1 ? b.text.toLocaleUpperCase(locale) : b.text, {
              bold: b.level < 3,
              italic: b.level === 3,
            }),
          ],
        }),
      ];
    case 'paragraph':
      return [
        new Paragraph({
          alignment: b.center ? AlignmentType.CENTER : AlignmentType.JUSTIFIED,
          spacing: { after: 60 },
          children: [run(b.text, { bold: b.bold ?? false, italic: b.italic ?? false })],
        }),
      ];
    case 'bullets':
      return b.items.map((item) => new Paragraph({ bullet: { level: 0 }, children: [run(item)] }));
    case 'table':
      return figureTable(b.table, locale);
  }
}

/** The report as a Word document (A4, Times New Roman), shaped like the provinces' reports. */
export async function renderDocx(doc: ReportDocument): Promise<Buffer> {
  const document = new Document({
    title: doc.title,
    creator: doc.letterhead.left[1] ?? '',
    styles: { default: { document: { run: { font: FONT, size: SIZE } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 1134, bottom: 1134, left: 1701, right: 1134 },
          },
        },
        children: [
          letterhead(doc),
          new Paragraph({ children: [] }),
          ...doc.blocks.flatMap((b) => block(b, doc.locale)),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
