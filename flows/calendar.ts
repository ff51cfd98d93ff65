import type { Edition } from '../src/content/edition.js';
import type { WeekEvent } from '../src/content/events.js';
import type { Locale } from '../src/core/events.js';
import type { FlowServices } from './turn.js';

type Both = (key: string, vars?: Record<string, unknown>) => { vi: string; en: string };

/** The Week itself and its opening ceremony, from an edition's own dates (no invented times). */
function editionEvents(edition: Edition, both: Both): WeekEvent[] {
  const vars = (locale: Locale) => ({ name: edition.name[locale], theme: edition.theme[locale] });
  const named = (key: string) => ({
    vi: both(key, vars('vi')).vi,
    en: both(key, vars('en')).en,
  });
  return [
    {
      id: `week-${edition.year}`,
      title: edition.name,
      date: edition.startDate,
      endDate: edition.endDate,
      province: both('events:edition.everywhere'),
      audience: ['everyone'],
      description: named('events:edition.weekDescription'),
      sample: false,
    },
    {
      id: `opening-${edition.year}`,
      title: named('events:edition.openingTitle'),
      date: edition.openingDate,
      province: both('events:edition.eachProvince'),
      audience: [],
      description: both('events:edition.openingDescription'),
      sample: false,
    },
  ];
}

/** Every event the bot knows: each edition's Week and opening, then the organiser's events. */
export function calendar(services: FlowServices): WeekEvent[] {
  const both: Both = (key, vars) => ({
    vi: services.t('vi', key, vars),
    en: services.t('en', key, vars),
  });
  return [
    ...services.content.editions.flatMap((e) => editionEvents(e, both)),
    ...services.content.events,
  ].sort((a, b) => `${a.date} ${a.time ?? ''}`.localeCompare(`${b.date} ${b.time ?? ''}`));
}
