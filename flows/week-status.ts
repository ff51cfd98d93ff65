import { daysBetween, localNow, type LocalNow } from '../src/content/calendar.js';
import { formatDate } from '../src/content/dates.js';
import type { Edition } from '../src/content/edition.js';
import { editionOn, type EditionView } from '../src/content/editions.js';
import type { Content } from '../src/content/load.js';
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

/** The edition the bot presents today (the current one, or an archive when this year has none). */
export function shownEdition(content: Content, today: string): EditionView {
  return editionOn(content.editions, content.organiser.currentEdition, today);
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
    reportRecipient: edition.report?.recipient[locale] ?? edition.letter?.issuer[locale] ?? '',
    reportEmail: edition.report?.email ?? '',
  };
}

/** The kinds of Week sentence; each has a text per phase in locales/<lang>/events.json. */
export type SentenceKind = 'greeting' | 'about' | 'dates' | 'status' | 'start' | 'countdown';

/** Kinds with their own "tomorrow" and "last day" texts. */
const FINE_GRAINED: ReadonlySet<SentenceKind> = new Set(['status', 'start', 'countdown']);

/**
 * A Week sentence for today in the tense that fits: a countdown before the edition, "on" during
 * it, the past tense after it. When the current year has no edition yet, it says so first and
 * then speaks of the archive.
 */
export function weekSentence(
  t: Translate,
  locale: Locale,
  content: Content,
  today: string,
  kind: SentenceKind,
): string {
  // The same sentence for everyone today: kept until the day, the editions, the organiser's
  // settings (replaced when an organiser edits them) or the texts change.
  if (
    !sentences ||
    sentences.t !== t ||
    sentences.editions !== content.editions ||
    sentences.organiser !== content.organiser ||
    sentences.today !== today
  )
    sentences = {
      t,
      editions: content.editions,
      organiser: content.organiser,
      today,
      texts: new Map(),
    };
  const key = `${locale}:${kind}`;
  let text = sentences.texts.get(key);
  if (text === undefined)
    sentences.texts.set(key, (text = composeSentence(t, locale, content, today, kind)));
  return text;
}

let sentences:
  | {
      t: Translate;
      editions: Content['editions'];
      organiser: Content['organiser'];
      today: string;
      texts: Map<string, string>;
    }
  | undefined;

function composeSentence(
  t: Translate,
  locale: Locale,
  content: Content,
  today: string,
  kind: SentenceKind,
): string {
  const { edition, current } = shownEdition(content, today);
  const phase = weekPhase(edition, today);
  const values = editionValues(edition, locale);
  const fine = FINE_GRAINED.has(kind);
  let text: string;
  switch (phase.phase) {
    case 'future':
      text = t(locale, `events:${kind}.${fine && phase.days === 1 ? 'tomorrow' : 'future'}`, {
        ...values,
        days: phase.days,
      });
      break;
    case 'during': {
      const key = fine && kind === 'countdown' && phase.left === 0 ? 'lastDay' : 'during';
      text = t(locale, `events:${kind}.${key}`, { ...values, day: phase.day, total: phase.total });
      break;
    }
    case 'past':
      text = t(locale, `events:${kind}.past`, values);
  }
  return current ? text : `${t(locale, 'events:noCurrent')} ${text}`;
}
