import type { Block, ReportDocument } from './document.js';
import { cellText, type PresentedTable } from './present.js';

/** Escapes text for HTML: organiser text is always shown as typed, never as markup. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
  @page { size: A4; margin: 2cm 2cm 2cm 3cm; }
  body { font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; font-size: 13pt;
    line-height: 1.4; max-width: 17cm; margin: 1.5cm auto; color: #000; }
  .letterhead { display: flex; justify-content: space-between; text-align: center; font-weight: bold; margin-bottom: 1em; }
  .letterhead { font-size: 12pt; }
  .letterhead .left { width: 44%; }
  .letterhead .right { width: 56%; white-space: nowrap; }
  .letterhead .right span:last-child { text-decoration: underline; }
  h1 { font-size: 13pt; margin: 1.2em 0 .4em; text-transform: uppercase; }
  h2 { font-size: 13pt; margin: 1em 0 .3em; }
  h3 { font-size: 13pt; font-style: italic; margin: .8em 0 .3em; }
  p { margin: .3em 0; text-align: justify; overflow-wrap: anywhere; }
  .center { text-align: center; }
  table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; font-size: 11pt; page-break-inside: auto; }
  caption { font-style: italic; text-align: left; margin-bottom: .2em; }
  th, td { border: 1px solid #000; padding: 2px 5px; vertical-align: top; }
  td.n { text-align: right; white-space: nowrap; }
  tfoot td { font-weight: bold; }
  @media print { body { margin: 0; } }
`;

function table(t: PresentedTable, locale: ReportDocument['locale']): string {
  const cell = (v: string | number) =>
    `<td${typeof v === 'number' || v === '<5' ? ' class="n"' : ''}>${escapeHtml(cellText(v, locale))}</td>`;
  return [
    `<table id="${escapeHtml(t.id)}"><caption>${escapeHtml(t.title)}</caption>`,
    `<thead><tr>${t.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>${t.rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody>`,
    t.total ? `<tfoot><tr>${t.total.map(cell).join('')}</tr></tfoot>` : '',
    '</table>',
  ].join('');
}

function block(b: Block, locale: ReportDocument['locale'], shift = 0): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level + shift}>${escapeHtml(b.text)}</h${b.level + shift}>`;
    case 'paragraph': {
      let inner = escapeHtml(b.text);
      if (b.bold) inner = `<strong>${inner}</strong>`;
      if (b.italic) inner = `<em>${inner}</em>`;
      return `<p${b.center ? ' class="center"' : ''}>${inner}</p>`;
    }
    case 'bullets':
      return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'table':
      return table(b.table, locale);
  }
}

/**
 * The report's letterhead and blocks as HTML; `shift` lowers the headings' levels (the dashboard
 * shows the report under its own page title).
 */
export function renderHtmlBody(doc: ReportDocument, shift = 0): string {
  const side = (lines: string[], cls: string) =>
    `<div class="${cls}">${lines.map((l) => `<span>${escapeHtml(l)}</span>`).join('<br>')}</div>`;
  return [
    `<header class="letterhead">${side(doc.letterhead.left, 'left')}${side(doc.letterhead.right, 'right')}</header>`,
    ...doc.blocks.map((b) => block(b, doc.locale, shift)),
  ].join('\n');
}

/** The report as a printable HTML page (no scripts, no external resources). */
export function renderHtml(doc: ReportDocument): string {
  return [
    '<!doctype html>',
    `<html lang="${doc.locale}"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(doc.title)}</title><style>${STYLE}</style></head><body>`,
    renderHtmlBody(doc),
    '</body></html>',
  ].join('\n');
}
