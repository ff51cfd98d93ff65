import type { Locale } from '../core/events.js';

// One formatter for the whole process: building one costs far more than formatting with it.
const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** Formats an ISO date (yyyy-mm-dd) the way each language writes it: 01/10/2020, 1 October 2020. */
export function formatDate(iso: string, locale: Locale): string {
  const [y, m, d] = iso.split('-');
  if (locale === 'vi') return `${d}/${m}/${y}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return LONG_DATE.format(date);
}
