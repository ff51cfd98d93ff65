import { daysBetween, localNow, type LocalNow } from '../src/content/calendar.js';
import { formatDate } from '../src/content/dates.js';
import type { Edition } from '../src/content/edition.js';
import type { Locale } from '../src/core/events.js';
import type { Translate } from '../src/i18n.js';
import type { FlowServices } from './turn.js';

/** Where today stands relative to the edition's dates. */
export type WeekPhase =
  | { phase: 'future'; days: number }
  | { phase: 'during'; day: number; total: number; left: number }
  | { phase: 'past' };

/** The local date and time now, in the bot's time zone. */
export function nowIn(services: FlowServices): LocalNow {
  return localNow(services.clock.now(), services.timezone);
}

/** Where `today` (a local date) stands relative to the edition. */
export function weekPhase(edition: Edition, today: string): WeekPhase {
  const toStart = daysBetween(today, edition.startDate);
  if (toStart > 0) return { phase: 'future', days: toStart };
  const left = daysBetween(today, edition.endDate);
  if (left < 0) return { phase: 'past' };
  return {
    phase: 'during',
    day: 1 - toStart,
    total: daysBetween(edition.startDate, edition.endDate) + 1,
    left,
  };
}

/** Values every Week sentence may use, in one language. */
export function editionValues(edition: Edition, locale: Locale): Record<string, string> {
  return {
    name: edition.name[locale],
    year: String(edition.year),
    theme: edition.theme[locale],
    themeVi: edition.theme.vi,
    themeEn: edition.theme.en,
    start: formatDate(edition.startDate, locale),
    end: formatDate(edition.endDate, locale),
    opening: formatDate(edition.openingDate, locale),
    reportDeadline: formatDate(edition.reportDeadline, locale),
  };
}

/** A Week sentence ("status", "start" or "countdown") for today, in the tense that fits. */
export function weekSentence(
  t: Translate,
  locale: Locale,
  edition: Edition,
  today: string,
  kind: 'status' | 'start' | 'countdown',
): string {
  const phase = weekPhase(edition, today);
  const values = editionValues(edition, locale);
  switch (phase.phase) {
    case 'future':
      return t(locale, `events:${kind}.${phase.days === 1 ? 'tomorrow' : 'future'}`, {
        ...values,
        days: phase.days,
      });
    case 'during': {
      const key = kind === 'countdown' && phase.left === 0 ? 'lastDay' : 'during';
      return t(locale, `events:${kind}.${key}`, { ...values, day: phase.day, total: phase.total });
    }
    case 'past':
      return t(locale, `events:${kind}.past`, values);
  }
}
