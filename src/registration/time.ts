import type { Locale } from '../core/events.js';

// Building an Intl.DateTimeFormat costs far more than using one: one per time zone, kept.
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  return format;
}

function parts(epoch: number, timeZone: string): Record<string, string> {
  const out: Record<string, string> = {};
  const format = formatFor(timeZone);
  for (const p of format.formatToParts(new Date(epoch))) out[p.type] = p.value;
  return out;
}

/** Offset of a time zone from UTC at an instant, in ms (Asia/Ho_Chi_Minh: +7 h). */
function offsetAt(epoch: number, timeZone: string): number {
  const p = parts(epoch, timeZone);
  const asUtc = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  return asUtc - Math.floor(epoch / 1000) * 1000;
}

/** Epoch ms of local midnight starting the calendar day `iso` (yyyy-mm-dd) in a time zone. */
export function localDayStart(iso: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${iso}T00:00:00Z`);
  // Two passes settle the offset even on a day the zone changes it.
  let guess = utcMidnight - offsetAt(utcMidnight, timeZone);
  guess = utcMidnight - offsetAt(guess, timeZone);
  return guess;
}

/** The local calendar day (yyyy-mm-dd) of an instant in a time zone. */
export function localDay(epoch: number, timeZone: string): string {
  const p = parts(epoch, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** "08:00 ngày 02/10/2020" / "08:00 on 2 October 2020", in the bot's time zone. */
export function formatDateTime(epoch: number, locale: Locale, timeZone: string): string {
  const p = parts(epoch, timeZone);
  const time = `${p.hour}:${p.minute}`;
  if (locale === 'vi') return `${time} ngày ${p.day}/${p.month}/${p.year}`;
  return `${time} on ${formatDay(`${p.year}-${p.month}-${p.day}`, 'en')}`;
}

/** "02/10/2020" / "2 October 2020". */
export function formatDay(iso: string, locale: Locale): string {
  const [y, m, d] = iso.split('-');
  if (locale === 'vi') return `${d}/${m}/${y}`;
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${iso}T00:00:00Z`));
}

/** "02/10 08:00" / "2 Oct 08:00": short enough for a button. */
export function formatShort(epoch: number, locale: Locale, timeZone: string): string {
  const p = parts(epoch, timeZone);
  const time = `${p.hour}:${p.minute}`;
  if (locale === 'vi') return `${p.day}/${p.month} ${time}`;
  const month = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2000, Number(p.month) - 1, 1)),
  );
  return `${Number(p.day)} ${month} ${time}`;
}

/** ISO 8601 local time with the zone's offset: "2020-10-02T08:00:00+07:00". */
export function isoLocal(epoch: number, timeZone: string): string {
  const p = parts(epoch, timeZone);
  const offset = Math.round(offsetAt(epoch, timeZone) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${sign}${hh}:${mm}`;
}

/**
 * `localDay` for many instants: remembers the day of each quarter hour (every zone's offset is a
 * multiple of 15 minutes), so counting a hundred thousand timestamps does not build a hundred
 * thousand date formatters.
 */
export function localDayOf(timeZone: string): (epoch: number) => string {
  const QUARTER = 900_000;
  const days = new Map<number, string>();
  return (epoch) => {
    const quarter = Math.floor(epoch / QUARTER);
    let day = days.get(quarter);
    if (day === undefined) {
      day = localDay(quarter * QUARTER, timeZone);
      days.set(quarter, day);
    }
    return day;
  };
}

/** A real calendar day (2020-02-30 and 2020-13-45 are refused, not turned into NaN). */
export function isCalendarDay(iso: string): boolean {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
