import path from 'node:path';
import { catalogueSchema, type Catalogue } from './courses.js';
import type { Edition } from './edition.js';
import { checkCurrentEdition, readEditions } from './editions.js';
import { byDate, eventsSchema, type WeekEvent } from './events.js';
import { checkSources, faqSchema, type FaqEntry } from './faq.js';
import { organiserSchema, type Organiser } from './organiser.js';
import { assertNoPlaceholders, assertNoSample } from './placeholders.js';
import { readContentFile, readJson } from './read.js';

export { ContentError } from './errors.js';
export { readContentFile } from './read.js';

/** Everything organisers edit, validated. */
export interface Content {
  /** The latest edition (by start date); what retention counts from. */
  edition: Edition;
  /** Every edition, by start date (content/editions/<year>.json). */
  editions: Edition[];
  /** Who runs the bot: controller, contacts, province, current edition (content/organiser.json). */
  organiser: Organiser;
  /** Questions and answers (content/faq.json). */
  faq: FaqEntry[];
  /** The organiser's events, in date order (content/events.json). */
  events: WeekEvent[];
  /** Courses and training sessions people register for (content/courses.json). */
  courses: Catalogue;
}

/** How strict loading is. */
export interface LoadOptions {
  /** Refuse demonstration content (`"sample": true`); set for NODE_ENV=production. */
  refuseSamples?: boolean;
  /** The setting that allows samples anyway, named in the error. */
  allowSetting?: string;
}

const FILES = ['organiser.json', 'faq.json', 'events.json', 'courses.json'];

/** Loads and checks every content file; throws ContentError naming the file and field. */
export function loadContent(dir: string, options: LoadOptions = {}): Content {
  const editions = readEditions(dir);
  const organiser = readContentFile(dir, 'organiser.json', organiserSchema);
  checkCurrentEdition(path.join(dir, 'organiser.json'), editions, organiser.currentEdition);
  const faq = readContentFile(dir, 'faq.json', faqSchema).entries;
  checkSources(path.join(dir, 'faq.json'), faq, editions);
  const content: Content = {
    edition: editions.at(-1)!,
    editions,
    organiser,
    faq,
    events: byDate(readContentFile(dir, 'events.json', eventsSchema).events),
    courses: readContentFile(dir, 'courses.json', catalogueSchema),
  };
  const files = [
    ...FILES.map((f) => path.join(dir, f)),
    ...editions.map((e) => path.join(dir, 'editions', `${e.year}.json`)),
  ];
  for (const file of files) {
    const data = readJson(file);
    assertNoPlaceholders(file, data);
    if (options.refuseSamples)
      assertNoSample(file, data, options.allowSetting ?? 'ALLOW_DEMONSTRATION_CONTENT');
  }
  return content;
}
