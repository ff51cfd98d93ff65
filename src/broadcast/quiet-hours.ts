import type { BroadcastConfig } from '../config.js';

type Quiet = NonNullable<BroadcastConfig['quietHours']>;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes after local midnight (and seconds into the minute) at `now` in `timezone`. */
function localTime(now: number, timezone: string): { minute: number; ms: number } {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, format);
  }
  const parts = format.formatToParts(new Date(now));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return { minute: hour * 60 + minute, ms: now % 60_000 };
}

/** True when `now` falls in the quiet period (which may wrap past midnight, e.g. 21:00-07:00). */
export function isQuiet(now: number, quiet: Quiet | null, timezone: string): boolean {
  if (!quiet) return false;
  const { minute } = localTime(now, timezone);
  const { startMinute: start, endMinute: end } = quiet;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** When the quiet period around `now` ends (epoch ms); `now` itself when it is not quiet. */
export function quietEndsAt(now: number, quiet: Quiet | null, timezone: string): number {
  if (!quiet || !isQuiet(now, quiet, timezone)) return now;
  const { minute, ms } = localTime(now, timezone);
  const minutesLeft = (quiet.endMinute - minute + 24 * 60) % (24 * 60);
  return now - ms + minutesLeft * 60_000;
}
