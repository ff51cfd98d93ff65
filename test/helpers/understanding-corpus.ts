import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../src/services.js';

/**
 * Texts to compare an understanding shortcut with what it replaces: the string literals of the
 * understanding tests and the FAQ's wordings (several hundred, in both languages).
 */
export function understandingCorpus(): Set<string> {
  const texts = new Set<string>();
  const dir = path.join(ROOT, 'test', 'understanding');
  for (const file of fs.readdirSync(dir))
    for (const m of fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/'([^'\n]{2,200})'/g))
      texts.add(m[1]!);
  for (const m of fs
    .readFileSync(path.join(ROOT, 'content', 'faq.json'), 'utf8')
    .matchAll(/"([^"\n]{2,300})"/g))
    texts.add(m[1]!);
  return texts;
}
