import fs from 'node:fs';
import path from 'node:path';
import { editionSchema, type Edition } from './edition.js';
import { ContentError } from './errors.js';
import { readContentFile } from './read.js';
import type { CurrentEdition } from './organiser.js';

/** Reads content/editions/<year>.json (and a legacy content/edition.json); checks them together. */
export function readEditions(dir: string): Edition[] {
  const folder = path.join(dir, 'editions');
  const found: Array<{ file: string; edition: Edition }> = [];
  if (fs.existsSync(folder)) {
    for (const name of fs
      .readdirSync(folder)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const edition = readContentFile(folder, name, editionSchema);
      const file = path.join(folder, name);
      if (name !== `${edition.year}.json`)
        throw new ContentError(
          file,
          `field year: ${edition.year} does not match the file name; name it ${edition.year}.json`,
        );
      found.push({ file, edition });
    }
  }
  if (fs.existsSync(path.join(dir, 'edition.json')))
    found.push({
      file: path.join(dir, 'edition.json'),
      edition: readContentFile(dir, 'edition.json', editionSchema),
    });
  if (found.length === 0)
    throw new ContentError(
      folder,
      'holds no edition; add one file per edition, e.g. editions/2020.json (see README, "Editing content").',
    );
  found.sort((a, b) => a.edition.startDate.localeCompare(b.edition.startDate));
  for (let i = 1; i < found.length; i++) {
    const before = found[i - 1]!;
    const after = found[i]!;
    if (after.edition.year === before.edition.year)
      throw new ContentError(
        after.file,
        `field year: ${after.edition.year} is also the year of ${before.file}`,
      );
    if (after.edition.startDate <= before.edition.endDate)
      throw new ContentError(
        after.file,
        `field startDate: ${after.edition.startDate} overlaps the ${before.edition.year} edition (${before.edition.startDate} to ${before.edition.endDate})`,
      );
  }
  return found.map((f) => f.edition);
}

/** Checks that a pinned current edition exists. */
export function checkCurrentEdition(
  file: string,
  editions: readonly Edition[],
  current: CurrentEdition,
): void {
  if (current === 'by-date' || editions.some((e) => e.year === current)) return;
  throw new ContentError(
    file,
    `field currentEdition: there is no edition ${current} (known: ${editions.map((e) => e.year).join(', ')}); add editions/${current}.json or use "by-date"`,
  );
}

/** The edition the bot talks about on a day, and whether it is the current one. */
export interface EditionView {
  edition: Edition;
  /** False when the current year has no edition yet: `edition` is then an archive (or the next one). */
  current: boolean;
}

/**
 * The current edition on `today` (a local date): the pinned year, or the edition of today's
 * year. Without one, the latest edition that has started (an archive), else the next one.
 */
export function editionOn(
  editions: readonly Edition[],
  current: CurrentEdition,
  today: string,
): EditionView {
  const year = current === 'by-date' ? Number(today.slice(0, 4)) : current;
  const match = editions.find((e) => e.year === year);
  if (match) return { edition: match, current: true };
  const started = editions.filter((e) => e.startDate <= today);
  const edition = started.at(-1) ?? editions[0]!;
  return { edition, current: false };
}
