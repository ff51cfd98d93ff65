/**
 * Evaluates question understanding on test/faq/questions.json: top-1 accuracy, direct answers,
 * wrong direct answers, the misses, and the median time per match. `npm run eval:faq`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { questionIndexFor } from '../flows/questions.js';
import { loadContent } from '../src/content/load.js';
import { ROOT } from '../src/services.js';
import { evaluate, type EvalQuestion } from '../src/understanding/evaluate.js';

const contentDir = process.env.CONTENT_DIR ?? path.join(ROOT, 'content');
const questions = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'test/faq/questions.json'), 'utf8'),
) as EvalQuestion[];
const index = questionIndexFor(loadContent(contentDir));
const report = evaluate(index, questions);

const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;
console.log(`questions:          ${report.total}`);
console.log(
  `top-1 accuracy:     ${pct(report.top1, report.total)} (${report.top1}/${report.total})`,
);
console.log(
  `answered directly:  ${pct(report.direct, report.total)} (the rest get "Did you mean...?" or the menu)`,
);
console.log(`wrong direct answers: ${report.wrongAnswers}`);
console.log(`median time/answer: ${(report.medianMs * 1000).toFixed(0)} µs`);
console.log('by kind:');
for (const [kind, k] of Object.entries(report.byKind))
  console.log(`  ${kind.padEnd(7)} ${pct(k.top1, k.total).padStart(6)} (${k.top1}/${k.total})`);
if (report.misses.length > 0) {
  console.log('misses:');
  for (const miss of report.misses)
    console.log(
      `  [${miss.question.kind}] "${miss.question.q}": expected ${miss.question.expect}, got ${miss.got} (${miss.kind})`,
    );
}
