import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { fillAnswer } from '../../src/content/faq.js';
import { fold } from '../../src/core/text.js';
import { ROOT } from '../../src/services.js';
import { editionValues } from '../../flows/week-status.js';

/** The Ministry's letter on the 2020 Week, as sent (test/fixtures/letter-2020.txt). */
const LETTER = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'letter-2020.txt'), 'utf8');

/** Where each section of the letter starts (section ids as in editions/2020.json). */
const STARTS: Array<[string, string]> = [
  ['intro', 'Kính gửi'],
  ['1', '1. Mục đích, yêu cầu'],
  ['2', '2. Chủ đề'],
  ['3', '3. Thời gian tổ chức'],
  ['4', '4. Các hoạt động trong Tuần lễ'],
  ['4a', 'a) Tổ chức các hoạt động thông tin'],
  ['4b', 'b) Tổ chức Lễ khai mạc'],
  ['4c', 'c) Triển khai các hoạt động'],
  ['5', '5. Tổ chức thực hiện'],
  ['5a', 'a) Ủy ban nhân dân các tỉnh'],
  ['5b', 'b) Sở Giáo dục và Đào tạo'],
  ['5c', 'c) Các cơ sở giáo dục'],
  ['closing', 'Bộ Giáo dục và Đào tạo đề nghị Chủ tịch'],
  ['addressees', 'Nơi nhận'],
];

/** The letter cut into its sections. */
function sections(): Map<string, string> {
  const at = STARTS.map(([id, start]) => {
    const index = LETTER.indexOf(start);
    if (index < 0) throw new Error(`section ${id} ("${start}") not found in the letter`);
    return [id, index] as const;
  });
  return new Map(
    at.map(([id, index], i) => [id, LETTER.slice(index, at[i + 1]?.[1] ?? LETTER.length)]),
  );
}

/** Word trigrams of a text, folded (no case, no diacritics). */
function trigrams(text: string): string[] {
  const words = fold(text)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.slice(2).map((w, i) => `${words[i]} ${words[i + 1]} ${w}`);
}

/** The share of an answer's trigrams (as read for the 2020 edition) found in the given text. */
function coverage(answer: string, source: string): number {
  const values = { ...editionValues(content.editions[0]!, 'vi'), status: '', contact: '' };
  const grams = trigrams(fillAnswer(answer, values));
  const known = new Set(trigrams(source));
  return grams.filter((g) => known.has(g)).length / Math.max(1, grams.length);
}

const content = loadContent(path.join(ROOT, 'content'));
const letterEntries = content.faq.filter(
  (e) => typeof e.source === 'object' && e.source.letter !== undefined,
);

describe('each FAQ answer is tied to the section of the letter it comes from', () => {
  const parts = sections();

  it('records a structured source for every entry, and the letter’s sections match the edition', () => {
    for (const entry of content.faq) expect(typeof entry.source, entry.id).toBe('object');
    expect([...parts.keys()].filter((id) => id !== 'addressees')).toEqual(
      content.editions[0]!.letter!.sections,
    );
    expect(letterEntries.length).toBeGreaterThanOrEqual(20);
  });

  it.each(letterEntries.map((e) => [e.id, e] as const))(
    '%s: its Vietnamese answer quotes the cited sections, and every cited section',
    (_id, entry) => {
      const cited = (entry.source as { letter: string[] }).letter;
      const text = cited.map((id) => parts.get(id) ?? '').join('\n');
      expect(coverage(entry.answer.vi, text)).toBeGreaterThanOrEqual(0.35);
      for (const id of cited)
        expect(coverage(entry.answer.vi, parts.get(id)!), `section ${id}`).toBeGreaterThan(0);
    },
  );

  it('would catch an answer cited to the wrong section', () => {
    const province = content.faq.find((e) => e.id === 'role-province')!;
    expect(coverage(province.answer.vi, parts.get('5a')!)).toBeGreaterThanOrEqual(0.35);
    expect(coverage(province.answer.vi, parts.get('5b')!)).toBeLessThan(0.2);
    expect(coverage(province.answer.vi, parts.get('4c')!)).toBeLessThan(0.2);
  });
});
