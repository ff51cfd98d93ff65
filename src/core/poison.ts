import type { InboundEvent } from './events.js';

/** Characters no store keeps as they are: NUL (PostgreSQL refuses it) and UTF-16 surrogates. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A string as it can be stored: lone surrogates become U+FFFD, NUL is dropped. */
export function storable(value: string): string {
  if (!SUSPECT.test(value)) return value;
  return value.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '');
}

/** True when some string in `value` is not storable as it is. */
function poisoned(value: unknown): boolean {
  if (typeof value === 'string') return SUSPECT.test(value) && storable(value) !== value;
  if (Array.isArray(value)) return value.some(poisoned);
  if (value !== null && typeof value === 'object') return Object.values(value).some(poisoned);
  return false;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return storable(value);
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = clean(v);
    return out;
  }
  return value;
}

/** Events made storable, and the number refused. */
export interface Cleaned {
  events: InboundEvent[];
  refused: number;
}

/**
 * Makes each event storable on its own: text and ids with lone surrogates or NUL are cleaned
 * (deterministically, so a platform retry still dedupes), but an event whose user id would
 * change is refused (a reply would go to someone else). Clean events pass untouched.
 */
export function cleanEvents(events: InboundEvent[]): Cleaned {
  let refused = 0;
  const out: InboundEvent[] = [];
  for (const event of events) {
    if (!poisoned(event)) {
      out.push(event);
      continue;
    }
    if (storable(event.userId) !== event.userId) {
      refused += 1;
      continue;
    }
    out.push(clean(event) as InboundEvent);
  }
  return { events: out, refused };
}
