type QrLib = typeof import('qrcode');
let lib: Promise<QrLib> | undefined;

/** `qrcode` is loaded on the first code asked for, not at start-up. */
function qrcode(): Promise<QrLib> {
  lib ??= import('qrcode').then((m) => (m as { default?: QrLib }).default ?? m);
  return lib;
}

/** Texts printed around a code: who prints it, what to do, which app, and a code to send. */
export interface QrLabels {
  department: string;
  callToAction: string;
  platform: string;
  /** A line under the call to action (the code to send on Zalo), when there is one. */
  note?: string;
}

/** Error correction M survives a crease or a little dirt on a printed banner. */
const LEVEL = 'M';

/** The code alone as a PNG (1,024 px, white quiet zone of 4 modules), for any print layout. */
export async function qrPng(url: string): Promise<Buffer> {
  return (await qrcode()).toBuffer(url, {
    type: 'png',
    errorCorrectionLevel: LEVEL,
    margin: 4,
    width: 1024,
  });
}

/** The code's dark modules as one SVG path in module units, and its size in modules. */
export async function qrPath(url: string): Promise<{ size: number; d: string }> {
  const { modules } = (await qrcode()).create(url, { errorCorrectionLevel: LEVEL });
  const { size } = modules;
  const parts: string[] = [];
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!modules.get(y, x)) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && modules.get(y, x)) x++;
      parts.push(`M${start} ${y}h${x - start}v1h-${x - start}z`);
    }
  }
  return { size, d: parts.join('') };
}

/** Escapes text for XML and HTML. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The bare code as inline SVG markup (for the poster), `px` wide. */
export async function qrSvgElement(url: string, px: number): Promise<string> {
  const { size, d } = await qrPath(url);
  const full = size + 8;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="-4 -4 ${full} ${full}" shape-rendering="crispEdges" role="img">` +
    `<rect x="-4" y="-4" width="${full}" height="${full}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`
  );
}

/**
 * A printable card as SVG (10 x 13.5 cm at 100 %): the Department's name, the code with its quiet
 * zone, the app's name, the call to action and, when given, the note (the code to send).
 */
export async function qrSvgCard(url: string, labels: QrLabels): Promise<string> {
  const width = 1000;
  const code = 760;
  const top = 150;
  const lines = [
    `<text x="500" y="80" font-size="40" font-weight="700">${escapeXml(labels.department)}</text>`,
    `<text x="500" y="${top + code + 70}" font-size="52" font-weight="700">${escapeXml(labels.platform)}</text>`,
    `<text x="500" y="${top + code + 140}" font-size="40">${escapeXml(labels.callToAction)}</text>`,
  ];
  if (labels.note)
    lines.push(
      `<text x="500" y="${top + code + 200}" font-size="32">${escapeXml(labels.note)}</text>`,
    );
  const height = top + code + (labels.note ? 250 : 190);
  const { size, d } = await qrPath(url);
  const scale = code / (size + 8);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="${((height / width) * 100).toFixed(1)}mm" viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>` +
    `<g font-family="'Be Vietnam Pro','Noto Sans',Arial,sans-serif" text-anchor="middle" fill="#0b3d91">${lines.join('')}</g>` +
    `<g transform="translate(${(width - code) / 2} ${top}) scale(${scale.toFixed(5)}) translate(4 4)" shape-rendering="crispEdges"><path fill="#000" d="${d}"/></g>` +
    `</svg>\n`
  );
}
