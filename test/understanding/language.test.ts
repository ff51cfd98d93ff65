import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { ROOT } from '../../src/services.js';
import { questionIndexFor } from '../../flows/questions.js';

/** The string literals of the understanding tests and the FAQ's wordings, as in pairs.test.ts. */
function corpus(): string[] {
  const texts = new Set<string>(['xin chào', 'hello', 'menu', 'tiếng anh', 'thank you', '']);
  const dir = path.join(ROOT, 'test', 'understanding');
  for (const file of fs.readdirSync(dir))
    for (const m of fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/'([^'\n]{2,200})'/g))
      texts.add(m[1]!);
  for (const m of fs
    .readFileSync(path.join(ROOT, 'content', 'faq.json'), 'utf8')
    .matchAll(/"([^"\n]{2,300})"/g))
    texts.add(m[1]!);
  return [...texts];
}

describe('the language of a message, read without matching it', () => {
  it('is the language a whole match reads, for every text of the corpus', () => {
    const index = questionIndexFor(loadContent(path.join(ROOT, 'content')));
    const texts = corpus();
    expect(texts.length).toBeGreaterThan(300);
    const langs = new Set<string | undefined>();
    for (const text of texts) {
      const lang = index.analyse(text).lang;
      langs.add(lang);
      expect([text, index.language(text)]).toEqual([text, lang]);
    }
    // Both languages and "not clear" occur, so the comparison covers each.
    expect(langs).toEqual(new Set(['vi', 'en', undefined]));
  });
});
