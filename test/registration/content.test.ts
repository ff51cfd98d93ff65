import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentError, loadContent } from '../../src/content/load.js';
import { ROOT } from '../../src/services.js';
import { contentDir, SMALL_CATALOGUE } from './helpers.js';

describe('content/courses.json', () => {
  it('ships both kinds as demonstration courses during the 2020 Week', () => {
    const { courses } = loadContent(path.join(ROOT, 'content'));
    expect(courses.note).toMatch(/Demonstration/);
    expect(new Set(courses.courses.map((c) => c.kind))).toEqual(
      new Set(['online-course', 'safe-internet']),
    );
    for (const course of courses.courses) {
      expect(course.sample).toBe(true);
      for (const s of course.sessions) {
        const day =
          s.schedule.type === 'scheduled' ? s.schedule.start.slice(0, 10) : s.schedule.opens;
        expect(day! >= '2020-10-01' && day! <= '2020-10-07', s.id).toBe(true);
      }
    }
    const audiences = new Set(courses.courses.flatMap((c) => c.audiences));
    for (const a of ['pupil', 'student', 'parent', 'public-servant', 'worker'])
      expect(audiences).toContain(a);
  });

  it.each([
    [
      'a session time without a UTC offset',
      (c: typeof SMALL_CATALOGUE) => {
        (c.courses[0]!.sessions[0]!.schedule as { start: string }).start = '2020-10-02T08:00:00';
      },
      /courses\.json: field courses\.0\.sessions\.0\.schedule\.start: .*UTC offset/,
    ],
    [
      'an unknown province',
      (c: typeof SMALL_CATALOGUE) => {
        (c.courses[0]!.sessions[0]! as { province?: string }).province = 'ha-tay';
      },
      /field courses\.0\.sessions\.0\.province: is not a provincial-level unit/,
    ],
    [
      'an id used twice',
      (c: typeof SMALL_CATALOGUE) => {
        c.courses[1]!.sessions[0]!.id = 'solo-0210';
      },
      /field courses\.1\.sessions\.0\.id: id "solo-0210" is used twice/,
    ],
    [
      'an unknown audience',
      (c: typeof SMALL_CATALOGUE) => {
        c.courses[0]!.audiences.push('retiree');
      },
      /field courses\.0\.audiences\.2/,
    ],
    [
      'a session that ends before it starts',
      (c: typeof SMALL_CATALOGUE) => {
        (c.courses[0]!.sessions[0]!.schedule as { end: string }).end = '2020-10-01T08:00:00+07:00';
      },
      /schedule\.end: schedule\.end must be after schedule\.start/,
    ],
  ])('refuses %s with the file and field named', (_name, spoil, message) => {
    const catalogue = structuredClone(SMALL_CATALOGUE);
    spoil(catalogue);
    const dir = contentDir(catalogue);
    expect(() => loadContent(dir)).toThrow(ContentError);
    expect(() => loadContent(dir)).toThrow(message);
  });

  it('names the file when courses.json is missing', () => {
    const dir = contentDir();
    fs.rmSync(path.join(dir, 'courses.json'));
    expect(() => loadContent(dir)).toThrow(/courses\.json: cannot be read/);
  });
});

describe('RETENTION_DAYS_AFTER_EDITION', () => {
  it('defaults to 90 days and refuses values that are not 1..3650 whole days', async () => {
    const { loadConfig } = await import('../../src/config.js');
    expect(loadConfig({}).retentionDaysAfterEdition).toBe(90);
    expect(loadConfig({ RETENTION_DAYS_AFTER_EDITION: '30' }).retentionDaysAfterEdition).toBe(30);
    expect(() => loadConfig({ RETENTION_DAYS_AFTER_EDITION: 'ninety' })).toThrow(
      /RETENTION_DAYS_AFTER_EDITION: "ninety" is not a whole number/,
    );
    expect(() => loadConfig({ RETENTION_DAYS_AFTER_EDITION: '0' })).toThrow(
      /RETENTION_DAYS_AFTER_EDITION: 0 is out of range; use 1\.\.3650/,
    );
  });
});
