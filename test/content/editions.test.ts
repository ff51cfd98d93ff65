import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentError, loadContent } from '../../src/content/load.js';
import { ROOT } from '../../src/services.js';
import { startTestApp, tempDir } from '../helpers/app.js';
import { ORGANISER } from '../helpers/organiser.js';

const shipped = path.join(ROOT, 'content');
const read = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(shipped, name), 'utf8')) as Record<string, unknown>;

/** A copy of the shipped content with some files (paths under content/) replaced. */
function contentWith(files: Record<string, unknown>): string {
  const dir = tempDir();
  fs.cpSync(shipped, dir, { recursive: true });
  for (const [name, data] of Object.entries(files))
    fs.writeFileSync(path.join(dir, name), JSON.stringify(data));
  return dir;
}

/** The 2020 edition moved to another year and dates. */
function edition(year: number, dates: Record<string, string>) {
  return { ...read('editions/2020.json'), year, ...dates };
}

const DATES_2026 = {
  startDate: '2026-10-01',
  endDate: '2026-10-07',
  openingDate: '2026-10-01',
  reportDeadline: '2026-10-30',
};

describe('bad editions and organiser data stop start-up, naming the file and the field', () => {
  it.each([
    [
      'an end before the start',
      { 'editions/2026.json': edition(2026, { ...DATES_2026, endDate: '2026-09-30' }) },
      /editions\/2026\.json: field endDate: endDate must not be before startDate/,
    ],
    [
      'a report deadline before the end',
      { 'editions/2026.json': edition(2026, { ...DATES_2026, reportDeadline: '2026-10-05' }) },
      /editions\/2026\.json: field reportDeadline: reportDeadline must be after endDate/,
    ],
    [
      'an opening outside the Week',
      { 'editions/2026.json': edition(2026, { ...DATES_2026, openingDate: '2026-11-01' }) },
      /editions\/2026\.json: field openingDate: openingDate must fall between/,
    ],
    [
      'overlapping editions',
      {
        'editions/2026.json': edition(2026, DATES_2026),
        'editions/2027.json': edition(2027, {
          startDate: '2027-01-01',
          endDate: '2027-01-07',
          openingDate: '2027-01-01',
          reportDeadline: '2027-01-30',
        }),
        'editions/2025.json': edition(2025, {
          startDate: '2025-12-30',
          endDate: '2026-10-02',
          openingDate: '2025-12-30',
          reportDeadline: '2026-10-30',
        }),
      },
      /editions\/2026\.json: field startDate: 2026-10-01 overlaps the 2025 edition/,
    ],
    [
      'a file named for another year',
      {
        'editions/2026.json': edition(2027, {
          ...DATES_2026,
          startDate: '2027-10-01',
          endDate: '2027-10-07',
          openingDate: '2027-10-01',
          reportDeadline: '2027-10-30',
        }),
      },
      /editions\/2026\.json: field year: 2027 does not match the file name/,
    ],
    [
      'an unknown current edition',
      { 'organiser.json': { ...ORGANISER, currentEdition: 2026 } },
      /organiser\.json: field currentEdition: there is no edition 2026 \(known: 2020\)/,
    ],
    [
      'an organiser field left as a placeholder',
      {
        'organiser.json': {
          ...ORGANISER,
          controller: {
            ...ORGANISER.controller,
            address: { vi: '(mẫu: ghi địa chỉ)', en: 'Nghe An' },
          },
        },
      },
      /organiser\.json: field controller\.address\.vi: "\(mẫu: ghi địa chỉ\)" is a “mẫu” \(sample\) marker/,
    ],
    [
      'a contact left as "chưa cập nhật"',
      {
        'organiser.json': {
          ...ORGANISER,
          contacts: { address: { vi: 'Địa chỉ: (chưa cập nhật)', en: 'Address' } },
        },
      },
      /organiser\.json: field contacts\.address\.vi: .* is a “not yet updated” stand-in/,
    ],
    [
      'an example link in a course',
      {
        'courses.json': {
          courses: [
            {
              id: 'c',
              kind: 'online-course',
              title: { vi: 'Khóa học', en: 'Course' },
              audiences: ['citizen'],
              sessions: [
                {
                  id: 's',
                  schedule: { type: 'self-paced' },
                  place: { type: 'online', url: 'https://example.org/course' },
                  capacity: 10,
                },
              ],
            },
          ],
        },
      },
      /courses\.json: field courses\.0\.sessions\.0\.place\.url: .* is an example link/,
    ],
    [
      'a real organiser without the controller’s address',
      { 'organiser.json': { ...ORGANISER, controller: { name: ORGANISER.controller.name } } },
      /organiser\.json: field controller\.address: the data controller’s address is required/,
    ],
  ])('%s', async (_what, files, message) => {
    const dir = contentWith(files);
    expect(() => loadContent(dir)).toThrow(ContentError);
    expect(() => loadContent(dir)).toThrow(message);
    await expect(startTestApp({ env: { CONTENT_DIR: dir } })).rejects.toThrow(message);
  });
});

describe('production start-up and demonstration content', () => {
  it('refuses the shipped demonstration content with NODE_ENV=production, naming file and field', async () => {
    await expect(startTestApp({ env: { NODE_ENV: 'production' } })).rejects.toThrow(
      /organiser\.json: field sample: demonstration content \("sample": true\) cannot go live with NODE_ENV=production; .* or set ALLOW_DEMONSTRATION_CONTENT=on for a staging bot/,
    );
  });

  it('names the demonstration course once the organiser is real', async () => {
    const dir = contentWith({ 'organiser.json': ORGANISER });
    await expect(
      startTestApp({ env: { NODE_ENV: 'production', CONTENT_DIR: dir } }),
    ).rejects.toThrow(/courses\.json: field courses\.0\.sample: demonstration content/);
  });

  it('starts a staging bot with ALLOW_DEMONSTRATION_CONTENT=on, and production with real content', async () => {
    const staging = await startTestApp({
      env: { NODE_ENV: 'production', ALLOW_DEMONSTRATION_CONTENT: 'on' },
    });
    await staging.close();
    const dir = contentWith({ 'organiser.json': ORGANISER, 'courses.json': { courses: [] } });
    const live = await startTestApp({ env: { NODE_ENV: 'production', CONTENT_DIR: dir } });
    expect(live.services.content.organiser.sample).toBe(false);
    await live.close();
  });
});
