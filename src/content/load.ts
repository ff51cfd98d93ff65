import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { catalogueSchema, type Catalogue } from './courses.js';
import { editionSchema, type Edition } from './edition.js';
import { eventsSchema, type WeekEvent } from './events.js';
import { faqSchema, type FaqEntry } from './faq.js';

/** Thrown when a content file is missing or invalid; names the file and the field. */
export class ContentError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ContentError';
  }
}

/** Everything organisers edit, validated. */
export interface Content {
  edition: Edition;
  /** Questions and answers (content/faq.json). */
  faq: FaqEntry[];
  /** Events of the edition, in date order (content/events.json). */
  events: WeekEvent[];
  /** Courses and training sessions people register for (content/courses.json). */
  courses: Catalogue;
}

/** Reads and validates one JSON content file against its schema. */
export function readContentFile<T extends z.ZodTypeAny>(
  dir: string,
  name: string,
  schema: T,
): z.infer<T> {
  const file = path.join(dir, name);
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ContentError(file, 'cannot be read; it must exist (see README, "Editing content").');
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new ContentError(file, `is not valid JSON (${(error as Error).message}).`);
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new ContentError(file, `field ${where}: ${issue.message}`);
  }
  return result.data;
}

/** Loads every content file; throws ContentError on the first problem. */
export function loadContent(dir: string): Content {
  return {
    edition: readContentFile(dir, 'edition.json', editionSchema),
    faq: readContentFile(dir, 'faq.json', faqSchema).entries,
    events: [...readContentFile(dir, 'events.json', eventsSchema).events].sort((a, b) =>
      `${a.date} ${a.time ?? ''}`.localeCompare(`${b.date} ${b.time ?? ''}`),
    ),
    courses: readContentFile(dir, 'courses.json', catalogueSchema),
  };
}
