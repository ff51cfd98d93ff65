import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillAnswer } from '../../src/content/faq.js';
import { ContentError, loadContent } from '../../src/content/load.js';
import { ROOT } from '../../src/services.js';
import { simulate, startTestApp, tempDir } from '../helpers/app.js';

const shipped = path.join(ROOT, 'content');
const read = (name: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(shipped, name), 'utf8')) as Record<string, unknown>;

/** Sets the value at a dotted path ("entries.0.title.vi") of parsed JSON. */
function setPath(data: unknown, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = data as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts.at(-1)!] = value;
}

/** A content folder with the shipped files, one of them changed at a path. */
function contentWith(name: string, dotted?: string, value?: unknown): string {
  const dir = tempDir();
  for (const file of fs.readdirSync(shipped).filter((f) => f.endsWith('.json'))) {
    const data = read(file);
    if (file === name && dotted) setPath(data, dotted, value);
    fs.writeFileSync(path.join(dir, file), JSON.stringify(data));
  }
  return dir;
}

describe('shipped content', () => {
  const content = loadContent(shipped);

  it('loads the FAQ with the letter’s facts and events in date order', () => {
    expect(content.faq.length).toBeGreaterThanOrEqual(20);
    const theme = content.faq.find((e) => e.id === 'theme')!;
    expect(theme.answer.vi).toContain('{{theme}}');
    const reporting = content.faq.find((e) => e.id === 'reporting')!;
    expect(reporting.answer.vi).toContain('Vụ Giáo dục thường xuyên');
    const dates = content.events.map((e) => e.date);
    expect([...dates].sort()).toEqual(dates);
    expect(content.events.find((e) => e.id === 'opening-2020')?.date).toBe('2020-10-01');
  });

  it('marks every event and entry that is not from the letter as a sample', () => {
    const samples = content.events.filter((e) => e.sample).map((e) => e.id);
    expect(samples.every((id) => id.endsWith('-sample'))).toBe(true);
    for (const event of content.events.filter((e) => e.onlineUrl))
      expect(event.sample, event.id).toBe(true);
    expect(content.faq.find((e) => e.id === 'contact')?.sample).toBe(true);
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
      'events.0.endDate',
      '2020-09-01',
      /events\.json: field events\.0\.endDate: endDate must not be before date/,
    ],
    [
      'events.json',
      'events.2.onlineUrl',
      'javascript:alert(1)',
      /events\.2\.onlineUrl: must start with https:\/\//,
    ],
    ['events.json', 'events.3.time', '8h', /events\.3\.time: must be a time like 08:30/],
    ['events.json', 'events.0.audience', ['aliens'], /events\.0\.audience\.0/],
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
