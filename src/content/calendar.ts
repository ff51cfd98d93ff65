/** Calendar arithmetic on local dates ("2020-10-01") and times ("08:30") of one time zone. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local date and time of an instant in a time zone. */
export interface LocalNow {
  date: string;
  time: string;
}

/** Where the wall clock of `timeZone` stands at epoch milliseconds `now`. */
export function localNow(now: number, timeZone: string): LocalNow {
  // Asked several times per turn; the answer changes once a minute (every zone is offset from
  // UTC by whole minutes).
  const minute = Math.floor(now / 60_000);
  if (lastNow && lastNow.minute === minute && lastNow.timeZone === timeZone) return lastNow.value;
  const value = Object.freeze(computeLocalNow(now, timeZone));
  lastNow = { minute, timeZone, value };
  return value;
}

let lastNow: { minute: number; timeZone: string; value: LocalNow } | undefined;

function computeLocalNow(now: number, timeZone: string): LocalNow {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(now))
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
  };
}

function utcDay(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
}

/** Whole days from one date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(utcDay(to) - utcDay(from));
}

/** The date `days` days after `iso`. */
export function addDays(iso: string, days: number): string {
  return new Date((utcDay(iso) + days) * 86_400_000).toISOString().slice(0, 10);
}

/** The Monday of the week (Monday to Sunday) that holds `iso`. */
export function mondayOf(iso: string): string {
  const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(iso, -((weekday + 6) % 7));
}

/** Past, happening now, or still to come. */
export type Tense = 'past' | 'now' | 'future';

/** Where a span of local dates and times stands relative to `now`. */
export function tenseOf(
  span: {
    date: string;
    endDate?: string | undefined;
    time?: string | undefined;
    endTime?: string | undefined;
  },
  now: LocalNow,
): Tense {
  const start = `${span.date} ${span.time ?? '00:00'}`;
  // Without an end time an event is "on" until the end of its last day.
  const end = `${span.endDate ?? span.date} ${span.endTime ?? '23:59'}`;
  const current = `${now.date} ${now.time}`;
  if (current > end) return 'past';
  if (current >= start) return 'now';
  return 'future';
}
