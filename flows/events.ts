import { addDays, mondayOf, tenseOf, type LocalNow } from '../src/content/calendar.js';
import { formatDate } from '../src/content/dates.js';
import type { WeekEvent } from '../src/content/events.js';
import type { Choice, Locale } from '../src/core/events.js';
import { EVENT_INTENTS, type EventsQuery } from './event-questions.js';
import type { Feature } from './feature.js';
import { MENU } from './menu.js';
import { answerLocale, questionIndexFor } from './questions.js';
import type { Turn } from './turn.js';
import { calendar } from './calendar.js';
import { nowIn, shownEdition, weekSentence } from './week-status.js';

/** Payload of the events menu entry; `EVENTS:<QUERY>` answers one query. */
export const EVENTS = 'EVENTS';

/** At most this many events in one message (Zalo allows 2,000 characters). */
const MAX_LISTED = 4;

const QUERIES: readonly EventsQuery[] = ['today', 'week', 'next', 'start', 'countdown', 'all'];

/** The button that asks an events query. */
export function eventsChoice(turn: Turn, query: EventsQuery, locale: Locale): Choice {
  return {
    title: turn.services.t(locale, `events:choices.${query}`),
    payload: `${EVENTS}:${query.toUpperCase()}`,
  };
}

function weekdayDate(iso: string, locale: Locale): string {
  const weekday = new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    weekday: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${iso}T00:00:00Z`));
  return `${weekday}, ${formatDate(iso, locale)}`;
}

/** One event as a few lines, with its tense relative to now. */
function describe(turn: Turn, event: WeekEvent, now: LocalNow, locale: Locale): string {
  const t = (key: string, vars?: Record<string, unknown>) => turn.services.t(locale, key, vars);
  let when = weekdayDate(event.date, locale);
  if (event.endDate && event.endDate !== event.date)
    when += ` – ${weekdayDate(event.endDate, locale)}`;
  const tense = tenseOf(event, now);
  if (showsTime(event, tense)) when += `, ${event.time}${event.endTime ? `–${event.endTime}` : ''}`;
  const lines = [
    `• ${event.title[locale]}${event.sample ? ` ${t('events:sample')}` : ''}`,
    `  ${when} (${t(`events:tense.${tense}`)})`,
  ];
  if (event.place) lines.push(`  ${t('events:place', { place: event.place[locale] })}`);
  if (event.onlineUrl && tense !== 'past')
    lines.push(`  ${t('events:online', { url: event.onlineUrl })}`);
  // A one-day event to come without time or place has details still to come; a week-long one is
  // everywhere, and a past one needs none.
  const oneDay = !event.endDate || event.endDate === event.date;
  if (oneDay && tense !== 'past' && !event.place && !event.onlineUrl && !event.time)
    lines.push(`  ${t('events:noPlace')}`);
  if (event.province) lines.push(`  ${t('events:province', { province: event.province[locale] })}`);
  if (event.audience.length > 0) {
    const audience = event.audience.map((a) => t(`events:audiences.${a}`)).join(', ');
    lines.push(`  ${t('events:audience', { audience })}`);
  }
  lines.push(`  ${event.description[locale]}`);
  return lines.join('\n');
}

/** A demonstration event's time is invented: once it is over, only its date is told. */
function showsTime(event: WeekEvent, tense: string): event is WeekEvent & { time: string } {
  return event.time !== undefined && !(event.sample && tense === 'past');
}

/** One event as one line: title, when, tense. */
function summary(turn: Turn, event: WeekEvent, now: LocalNow, locale: Locale): string {
  const t = (key: string) => turn.services.t(locale, key);
  const tense = tenseOf(event, now);
  let when = formatDate(event.date, locale);
  if (event.endDate && event.endDate !== event.date)
    when += ` – ${formatDate(event.endDate, locale)}`;
  if (showsTime(event, tense)) when += `, ${event.time}`;
  const sample = event.sample ? ` ${t('events:sample')}` : '';
  return `• ${event.title[locale]}${sample}: ${when} (${t(`events:tense.${tense}`)})`;
}

function listing(turn: Turn, events: readonly WeekEvent[], now: LocalNow, locale: Locale): string {
  const shown = events.slice(0, MAX_LISTED).map((e) => describe(turn, e, now, locale));
  if (events.length > MAX_LISTED)
    shown.push(turn.services.t(locale, 'events:andMore', { count: events.length - MAX_LISTED }));
  return shown.join('\n\n');
}

/** The text answering one events query, relative to the clock. */
export function eventsAnswer(turn: Turn, query: EventsQuery, locale: Locale): string {
  const { content, t } = turn.services;
  const events = calendar(turn.services);
  const now = nowIn(turn.services);
  const today = now.date;
  const { edition, current } = shownEdition(content, today);
  const overlaps = (from: string, to: string) => (e: WeekEvent) =>
    e.date <= to && (e.endDate ?? e.date) >= from;
  const upcoming = events.filter((e) => tenseOf(e, now) === 'future');
  const section = (heading: string, list: WeekEvent[], none: string, vars = {}) => {
    if (list.length > 0)
      return `${t(locale, `events:heading.${heading}`, vars)}\n\n${listing(turn, list, now, locale)}`;
    const lines = [t(locale, `events:none.${none}`, vars)];
    if (upcoming[0])
      lines.push(`${t(locale, 'events:nearest')}\n\n${describe(turn, upcoming[0], now, locale)}`);
    else lines.push(weekSentence(t, locale, content, today, 'countdown'));
    return lines.join('\n\n');
  };
  switch (query) {
    case 'today':
      return section('today', events.filter(overlaps(today, today)), 'today', {
        date: weekdayDate(today, locale),
      });
    case 'week': {
      const from = mondayOf(today);
      const to = addDays(from, 6);
      return section('week', events.filter(overlaps(from, to)), 'week', {
        from: formatDate(from, locale),
        to: formatDate(to, locale),
      });
    }
    case 'next':
      if (upcoming.length > 0)
        return `${t(locale, 'events:heading.next')}\n\n${listing(turn, upcoming, now, locale)}`;
      return `${t(locale, 'events:none.next')}\n\n${weekSentence(t, locale, content, today, 'countdown')}`;
    case 'start':
      return weekSentence(t, locale, content, today, 'start');
    case 'countdown':
      return weekSentence(t, locale, content, today, 'countdown');
    case 'all': {
      const ofEdition = events.filter((e) => e.date.startsWith(String(edition.year)));
      const lines = current ? [] : [t(locale, 'events:noCurrent')];
      if (ofEdition.length === 0) return [...lines, t(locale, 'events:none.all')].join('\n');
      return [
        ...lines,
        t(locale, 'events:heading.all', { name: edition.name[locale] }),
        ...ofEdition.map((e) => summary(turn, e, now, locale)),
      ].join('\n');
    }
  }
}

/** Answers an events query with the other queries as buttons. */
export async function sendEvents(
  turn: Turn,
  query: EventsQuery,
  locale = turn.locale,
): Promise<void> {
  const others = QUERIES.filter((q) => q !== query && q !== 'start').map((q) =>
    eventsChoice(turn, q, locale),
  );
  const back = { title: turn.services.t(locale, 'faq:backToMenu'), payload: MENU };
  let text = eventsAnswer(turn, query, locale);
  if (locale !== turn.locale) text += `\n\n${turn.services.t(locale, 'faq:languageNote')}`;
  text += `\n\n${turn.services.t(locale, 'events:more')}`;
  await turn.say(text, [...others, back], { numbered: true });
}

/** "What's on": today, this week, next, when the Week starts, how many days are left. */
export const eventsFeature: Feature = {
  name: 'events',
  menu: [{ payload: EVENTS, titleKey: 'events:menu' }],
  async onPayload(turn, payload) {
    if (payload === EVENTS) {
      await sendEvents(turn, 'all');
      return true;
    }
    if (!payload.startsWith(`${EVENTS}:`)) return false;
    const query = payload.slice(EVENTS.length + 1).toLowerCase();
    const known = QUERIES.find((q) => q === query);
    await sendEvents(turn, known ?? 'all');
    return true;
  },
  async onText(turn) {
    const match = questionIndexFor(turn.services.content).match(turn.text);
    if (match.kind !== 'answer') return false;
    const intent = EVENT_INTENTS.find((i) => i.id === match.id);
    if (!intent) return false;
    await sendEvents(turn, intent.query, answerLocale(turn, match.lang));
    return true;
  },
};
