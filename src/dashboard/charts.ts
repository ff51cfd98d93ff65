import { html, type Safe } from './html.js';

/** One bar of a chart. */
export interface Bar {
  label: string;
  value: number;
  /** Text after the value (e.g. "12 seats left"). */
  note?: string;
  /** Drawn in red (failures). */
  danger?: boolean;
}

const ROW = 28;
const WIDTH = 600;
const LABEL = 210;

/**
 * A horizontal bar chart as inline SVG, drawn on the server: no script, no external library,
 * readable without colour (the numbers are written next to the bars), scales to a phone.
 */
export function barChart(title: string, bars: Bar[]): Safe {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = Math.max(1, bars.length) * ROW + 8;
  const room = WIDTH - LABEL - 150;
  return html`<figure class="chart">
    <figcaption>${title}</figcaption>
    <svg
      viewBox="0 0 ${WIDTH} ${height}"
      role="img"
      aria-label="${title}"
      preserveAspectRatio="xMinYMin meet"
    >
      ${bars.map((b, i) => {
        const y = i * ROW + 4;
        const w = Math.max(b.value > 0 ? 2 : 0, Math.round((b.value / max) * room));
        return html`<g
          ><text x="0" y="${y + 18}" font-size="15" fill="#1f2937">${clip(b.label)}</text
          ><rect x="${LABEL}" y="${y + 4}" width="${w}" height="18" rx="3" fill="#0b5cad"></rect
          ><text x="${LABEL + w + 6}" y="${y + 18}" font-size="15" fill="#1f2937"
            >${b.value}${b.note ? ` · ${b.note}` : ''}</text
          ></g
        >`;
      })}
    </svg>
  </figure>`;
}

/** A funnel (planned, sent, delivered, read; failed) as a row of labelled bars. */
export function funnel(steps: Bar[]): Safe {
  const max = Math.max(1, ...steps.map((s) => s.value));
  const width = 300;
  return html`<svg
    class="funnel"
    viewBox="0 0 ${width} ${steps.length * 22}"
    role="img"
    aria-label="${steps.map((s) => `${s.label} ${s.value}`).join(', ')}"
  >
    ${steps.map((s, i) => {
      const w = Math.max(s.value > 0 ? 2 : 0, Math.round((s.value / max) * 150));
      return html`<text x="0" y="${i * 22 + 15}" font-size="13" fill="#1f2937">${s.label}</text
        ><rect
          x="110"
          y="${i * 22 + 4}"
          width="${w}"
          height="14"
          rx="2"
          fill="${s.danger ? '#b91c1c' : '#0b5cad'}"
        ></rect
        ><text x="${116 + w}" y="${i * 22 + 15}" font-size="13" fill="#1f2937">${s.value}</text>`;
    })}
  </svg>`;
}

function clip(label: string): string {
  const chars = [...label];
  return chars.length > 26 ? `${chars.slice(0, 25).join('')}…` : label;
}
