import { loadContent } from '../src/content/load.js';
import { questionIndexFor } from '../flows/questions.js';
import { questionParts } from '../src/understanding/sentences.js';
import { dominantEntry } from '../src/understanding/question-index.js';
const content = loadContent('content', { allowDemonstration: true } as never);
const index = questionIndexFor(content) as any;
for (const q of process.argv.slice(2)) {
  const all = [...questionParts(q), q];
  for (const p of all) {
    const t = index.normaliser.terms(p);
    const m = index.analyse(p);
    console.log(
      `\n[${p.slice(0, 90)}]\n  uni=${t.unigrams.join(' ')} -> ${m.kind} ${m.id ?? m.ids ?? ''} words=${m.words} dom=${dominantEntry(m)}`,
    );
    for (const c of m.candidates.slice(0, 3))
      console.log(
        `   ${c.id} s=${c.score.toFixed(1)} cov=${c.coverage.toFixed(2)} held=${c.held.toFixed(2)}`,
      );
  }
}
