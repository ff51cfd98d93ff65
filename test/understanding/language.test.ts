import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { ROOT } from '../../src/services.js';
import { questionIndexFor } from '../../flows/questions.js';
import { understandingCorpus } from '../helpers/understanding-corpus.js';

describe('the language of a message, read without matching it', () => {
  it('is the language a whole match reads, for every text of the corpus', () => {
    const index = questionIndexFor(loadContent(path.join(ROOT, 'content')));
    const texts = [
      ...understandingCorpus(),
      ...['xin chào', 'hello', 'menu', 'tiếng anh', 'thank you', ''],
    ];
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
