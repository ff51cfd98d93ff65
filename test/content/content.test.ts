import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillAnswer } from '../../src/content/faq.js';
import { ContentError, loadContent } from '../../src/content/load.js';
import { ROOT } from '../../src/services.js';
import { simulate, startTestApp, tempDir } from '../helpers/app.js';

const shipped = path.join(ROOT, 'content');

/** A valid organiser event, to break one field at a time. */
const EVENT = {
  id: 'forum',
  title: { vi: 'Diễn đàn', en: 'Forum' },
  date: '2020-10-05',
  description: { vi: 'Diễn đàn công dân học tập.', en: 'A forum on learning citizens.' },
};
const read = (name: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(shipped, name), 'utf8')) as Record<string, unknown>;

/** Sets the value at a dotted path ("entries.0.title.vi") of parsed JSON. */
function setPath(data: unknown, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = data as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts.at(-1)!] = value;
}

/** A content folder with the shipped files, one of them (a path under content/) changed. */
function contentWith(name: string, dotted?: string, value?: unknown): string {
  const dir = tempDir();
  fs.cpSync(shipped, dir, { recursive: true });
  if (dotted) {
    const data = read(name);
    setPath(data, dotted, value);
    fs.writeFileSync(path.join(dir, name), JSON.stringify(data));
  }
  return dir;
}

describe('shipped content', () => {
  const content = loadContent(shipped);

  it('ships the 2020 edition from the letter as the only edition, with its report address', () => {
    expect(content.editions.map((e) => e.year)).toEqual([2020]);
    const [edition] = content.editions;
    expect(edition).toMatchObject({
      startDate: '2020-10-01',
      endDate: '2020-10-07',
      openingDate: '2020-10-01',
      reportDeadline: '2020-10-30',
      report: { email: 'tlanh@moet.gov.vn' },
    });
    expect(edition!.report!.recipient.vi).toContain('Vụ Giáo dục thường xuyên');
    expect(content.organiser.currentEdition).toBe('by-date');
    expect(content.faq.find((e) => e.id === 'theme')!.answer.vi).toContain('{{themeVi}}');
    expect(content.faq.find((e) => e.id === 'reporting')!.answer.vi).toContain('{{reportEmail}}');
  });

  it('ships organiser data only as demonstration content, and no sample event', () => {
    expect(content.organiser.sample).toBe(true);
    expect(content.organiser.contacts).toEqual({});
    expect(content.events).toEqual([]);
    expect(content.courses.courses.every((c) => c.sample)).toBe(true);
    expect(content.faq.some((e) => e.sample)).toBe(false);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fillAnswer('Từ {{start}} đến {{ end }}.', { start: '01/10', end: '07/10' })).toBe(
      'Từ 01/10 đến 07/10.',
    );
    expect(fillAnswer('{{nope}}', {})).toBe('{{nope}}');
  });
});

describe('content errors name the file and the field', () => {
  it.each([
    [
      'faq.json',
      'entries.0.followUps',
      ['no-such-entry'],
      /faq\.json: field entries\.0\.followUps\.0: "theme" refers to an entry "no-such-entry"/,
    ],
    [
      'faq.json',
      'entries.0.answer.vi',
      'Chủ đề {{chude}}',
      /entries\.0\.answer\.vi: unknown placeholder \{\{chude\}\}/,
    ],
    ['faq.json', 'entries.1.id', 'theme', /entries\.1\.id: duplicate id "theme"/],
    [
      'faq.json',
      'entries.0.title.vi',
      'Một tiêu đề quá dài cho một nút bấm',
      /entries\.0\.title\.vi: must be at most 20 characters/,
    ],
    ['faq.json', 'entries.0.question', ['typo'], /entries\.0: Unrecognized key/],
    ['faq.json', 'entries.0.questions.en', [], /questions\.en: needs at least one/],
    [
      'events.json',
      'events.0',
      { ...EVENT, endDate: '2020-09-01' },
      /events\.json: field events\.0\.endDate: endDate must not be before date/,
    ],
    [
      'events.json',
      'events.0',
      { ...EVENT, onlineUrl: 'javascript:alert(1)' },
      /events\.0\.onlineUrl: must start with https:\/\//,
    ],
    [
      'events.json',
      'events.0',
      { ...EVENT, time: '8h' },
      /events\.0\.time: must be a time like 08:30/,
    ],
    ['events.json', 'events.0', { ...EVENT, audience: ['aliens'] }, /events\.0\.audience\.0/],
  ])('%s: %s', (file, dotted, value, message) => {
    const dir = contentWith(file, dotted, value);
    expect(() => loadContent(dir)).toThrow(ContentError);
    expect(() => loadContent(dir)).toThrow(message);
  });

  it('refuses to start without faq.json, naming the file', async () => {
    const dir = contentWith('faq.json');
    fs.rmSync(path.join(dir, 'faq.json'));
    await expect(startTestApp({ env: { CONTENT_DIR: dir } })).rejects.toThrow(
      /faq\.json: cannot be read/,
    );
  });

  it('starts with edited content, and the bot answers from it without code changes', async () => {
    const count = (read('faq.json').entries as unknown[]).length;
    const dir = contentWith('faq.json', `entries.${count}`, {
      id: 'parking',
      title: { vi: 'Gửi xe', en: 'Parking' },
      questions: { vi: ['Gửi xe máy ở đâu?'], en: ['Where can I park?'] },
      answer: { vi: 'Gửi xe ở cổng sau nhà văn hóa.', en: 'Park at the back gate.' },
    });
    const t = await startTestApp({ env: { CONTENT_DIR: dir } });
    try {
      const replies = await simulate(t.app, { userId: 'c1', text: 'gui xe may o dau' });
      expect(replies[0]!.text).toContain('Gửi xe ở cổng sau nhà văn hóa.');
    } finally {
      await t.close();
    }
  });
});
